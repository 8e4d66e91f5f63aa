import { Agent } from 'node:http';
import {
  loginAsAdmin,
  sendUnreadBody,
  type Stack,
  startStack,
  type TestSession,
  type UnreadBodyAnswer,
} from '@app/testing';

const KiB = 1024;
const MiB = 1024 * KiB;
const LIMIT = 64 * KiB;
const FILE_HEAD = '--x\r\nContent-Disposition: form-data; name="file"; filename="a.bpmn"\r\n\r\n';

/**
 * A body the answer leaves unread, on every route that takes one (issue: deployments and non-upload
 * routes read an endless body to its end, bounded only by the request timeout): the gateway reads at
 * most UPLOAD_LIMIT_BYTES more, answers with `Connection: close` and closes; a small refused body keeps
 * the connection. Every multipart route of /docs-json is sent an endless file.
 */
describe('unread request bodies are read only so far', () => {
  let stack: Stack;
  let admin: TestSession;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    stack = await startStack({
      label: 'unread_bodies',
      gatewayEnv: { UPLOAD_LIMIT_BYTES: String(LIMIT) },
    });
    admin = await loginAsAdmin(stack.http);
  });
  afterAll(async () => {
    agent.destroy();
    await stack?.stop();
  });

  const send = (
    path: string,
    options: { total: number; contentType?: string; head?: string; token?: string | null },
  ) =>
    sendUnreadBody(new URL(stack.http.baseUrl + path), {
      agent,
      total: options.total,
      contentType: options.contentType ?? 'multipart/form-data; boundary=x',
      head: options.head ?? FILE_HEAD,
      token: options.token === undefined ? admin.accessToken : (options.token ?? undefined),
    });

  /** Answered, closed, and read no further than the limit plus what the sockets buffer (never 64 MiB). */
  const boundedRefusal = (result: UnreadBodyAnswer, status: number, code: number) => {
    expect([result.status, result.code, result.connection, result.closed]).toEqual([
      status,
      code,
      'close',
      true,
    ]);
    expect(result.sent).toBeLessThan(16 * MiB);
  };

  it('every multipart route of the OpenAPI document: an endless file is refused and the connection closed', async () => {
    type Operation = { requestBody?: { content?: Record<string, unknown> } };
    const doc = (await stack.http.get<{ paths: Record<string, Record<string, Operation>> }>('/docs-json'))
      .body;
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody?.content?.['multipart/form-data'])
        .map(([method]) => ({ method, path: path.replace(/\{[^}]+\}/g, '99999999') })),
    );
    // attachments on work orders, task comments, CRM records; BPMN deployments
    expect(routes.length).toBeGreaterThanOrEqual(4);
    expect(routes.map((r) => r.path)).toContain('/api/v1/workflow/deployments');
    for (const route of routes) {
      expect(route.method).toBe('post');
      const result = await send(route.path, { total: Infinity });
      // a record that is not there (404), or the BPMN file past 5 MiB (4101 on `file`)
      const deploy = route.path === '/api/v1/workflow/deployments';
      boundedRefusal(result, deploy ? 400 : 404, deploy ? 4101 : 404);
    }
  });

  it('an endless file onto a record that is there: refused at the limit (4101 on `file`), not read to its end', async () => {
    const org = (await admin.http.post('/api/v1/crm/organizations', { name: '无尽上传有限公司' })).body as {
      data: { id: string };
    };
    const path = `/api/v1/crm/organizations/${org.data.id}/attachments`;
    boundedRefusal(
      await send(path, { total: Infinity, head: FILE_HEAD.replace('a.bpmn', 'a.txt') }),
      400,
      4101,
    );
    expect((await admin.http.get(path)).body).toMatchObject({ code: 200, data: [] });
  });

  it('a refused small deployment keeps the connection; the next request reuses it', async () => {
    const head = FILE_HEAD.replace('name="file"', 'name="bpmn"');
    const small = await send('/api/v1/workflow/deployments', { total: 16 * KiB, head });
    expect([small.status, small.code, small.connection]).toEqual([400, 4101, 'keep-alive']);
    const again = await send('/api/v1/workflow/deployments', { total: 16 * KiB, head });
    expect(again.socket).toBe(small.socket);
  });

  it('an endless upload without a token, multipart on a JSON route, an endless JSON body: bounded too', async () => {
    boundedRefusal(await send('/api/v1/workflow/deployments', { total: Infinity, token: null }), 401, 4004);
    // CRM imports take the CSV as JSON: multipart there is refused unread
    boundedRefusal(await send('/api/v1/crm/imports', { total: Infinity }), 400, 4101);
    const json = await send('/api/v1/crm/imports', {
      total: Infinity,
      contentType: 'application/json',
      head: '{"entity":"customers","csv":"',
    });
    expect([json.closed, json.sent < 16 * MiB]).toEqual([true, true]);
    expect(json.status).toBeGreaterThanOrEqual(400);
    expect(json.status).toBeLessThan(500);
  });
});
