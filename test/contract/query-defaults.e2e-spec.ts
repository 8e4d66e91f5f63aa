import {
  createStaff,
  type EnvelopeBody,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { mapLimit, ok } from '../workflow/workflow-helpers';

interface Parameter {
  name: string;
  in: string;
  schema?: { default?: unknown };
}
interface Document {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
}

/**
 * Where the OpenAPI document states a default for a query parameter, an empty value (`status=`, as a
 * form with an untouched select sends it) means that default: on every GET route, `?p=` answers exactly
 * as `?p=<default>`. It meant "no filter" on the staff, customer and organization lists (deleted
 * records listed), and 4101 on `pageNum=` / `pageSize=`.
 */
describe('an empty query value means the documented default', () => {
  let stack: Stack;
  let admin: TestSession;
  let seedHeaders: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack({ label: 'query_defaults' });
    admin = await loginAsAdmin(stack.http);
    // records outside each list's default: a deleted and a disabled member, a deleted group,
    // customer and organization
    const gone = await createStaff(admin.http, { account: 'qd_deleted' });
    ok(await admin.http.delete(`/api/v1/staff/${gone.id}`), 'delete staff');
    const off = await createStaff(admin.http, { account: 'qd_disabled' });
    ok(await admin.http.post(`/api/v1/staff/${off.id}/disable`, {}), 'disable staff');
    const group = ok<{ id: string }>(await admin.http.post('/api/v1/groups', { name: '空值组' }), 'group');
    ok(await admin.http.delete(`/api/v1/groups/${group.id}`), 'delete group');
    const org = ok<{ id: string }>(
      await admin.http.post('/api/v1/crm/organizations', { name: '空值公司' }),
      'organization',
    );
    const customer = ok<{ id: string }>(
      await admin.http.post('/api/v1/crm/customers', {
        realName: '空值客户',
        phone: '13900000001',
        organizationIds: [org.id],
      }),
      'customer',
    );
    ok(await admin.http.delete(`/api/v1/crm/customers/${customer.id}`), 'delete customer');
    ok(await admin.http.delete(`/api/v1/crm/organizations/${org.id}`), 'delete organization');
    const app = ok<{ clientId: string; secret: string }>(
      await admin.http.post('/api/v1/applications', { type: 'app', name: '空值前端', permissions: ['*'] }),
    );
    seedHeaders = {
      requestType: 'app',
      appID: app.clientId,
      secretKey: app.secret,
      accessToken: admin.accessToken,
    };
  });
  afterAll(() => stack?.stop());

  it('on every GET route, `?p=` answers as `?p=<default>` for each query parameter with a default', async () => {
    const document = (await stack.http.get<Document>('/docs-json')).body;
    const pairs: { empty: string; given: string }[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!operations.get || path.includes('{') || path.endsWith('/events/stream')) continue;
      for (const p of operations.get.parameters ?? [])
        if (p.in === 'query' && p.schema?.default !== undefined)
          pairs.push({
            empty: `${path}?${p.name}=`,
            given: `${path}?${p.name}=${encodeURIComponent(String(p.schema.default))}`,
          });
    }
    // the lists of the issue are among them
    for (const list of [
      '/api/v1/staff',
      '/api/v1/groups',
      '/api/v1/crm/customers',
      '/api/v1/crm/organizations',
    ])
      expect(pairs.map((p) => p.empty)).toContain(`${list}?status=`);
    expect(pairs.map((p) => p.empty)).toContain('/api/v1/crm/customers?pageNum=');
    const get = async (target: string) => {
      const headers = target.startsWith('/workflow/') ? seedHeaders : {};
      const answer = await admin.http.get<EnvelopeBody>(target, { headers });
      return { status: answer.status, body: answer.text };
    };
    const differ: string[] = [];
    await mapLimit(pairs, 4, async ({ empty, given }) => {
      const [a, b] = [await get(empty), await get(given)];
      if (a.status !== b.status || a.body !== b.body)
        differ.push(
          `${empty} → ${a.status} ${a.body.slice(0, 160)} ≠ ${given} → ${b.status} ${b.body.slice(0, 160)}`,
        );
    });
    expect(pairs.length).toBeGreaterThan(50);
    expect(differ).toEqual([]);
  });
});
