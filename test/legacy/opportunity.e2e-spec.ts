import {
  createStaff,
  type EnvelopeBody,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, fixtureXml, ok, start } from '../workflow/workflow-helpers';

/** Seed 000's routes replayed as its document writes them: form login, session cookie, path paging. */
describe('legacy 000: 云改商机上报支撑系统', () => {
  let stack: Stack;
  let admin: TestSession;
  let cookie: string;
  const member = { account: 'zhang000', password: 'Pw-zhang000-123456' };

  const call = async <T = EnvelopeBody>(
    method: string,
    path: string,
    body?: Record<string, string>,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${stack.http.baseUrl}${path}`, {
      method,
      headers: { cookie, ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    stack = await startStack({ label: 'legacy_000' });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    await createStaff(admin.http, { ...member, roleIds: [staff] });
    await deploy(admin.http, fixtureXml('single-task.bpmn'));
  });
  afterAll(() => stack?.stop());

  it('POST /doLogin (form-urlencoded) answers {msg:"",status:"ok"} and sets the session cookie', async () => {
    const res = await fetch(`${stack.http.baseUrl}/doLogin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ accountId: member.account, pass: member.password }).toString(),
    });
    const body = (await res.json()) as { msg: string; status: string; token: string };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ msg: '', status: 'ok' });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(
      /^flowdesk_token=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Strict$/,
    );
    cookie = setCookie.split(';')[0];
  });

  it('a wrong password answers status "error" with HTTP 200, like every business failure of seed 000', async () => {
    const res = await call<{ status: string; msg: string }>('POST', '/doLogin', {
      accountId: member.account,
      pass: 'wrong-password',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('error');
    expect(res.body.msg).not.toBe('');
    const noCookie = await fetch(`${stack.http.baseUrl}/currentProcessInstances/10/1`);
    expect(noCookie.status).toBe(200);
    expect(((await noCookie.json()) as EnvelopeBody).code).toBe(4004);
  });

  it('lists, diagram and claim work with the cookie alone; the platform sees the same state', async () => {
    const me = ok<{ staffId?: string; profile: { id: string } }>(
      await stack.http.get('/api/v1/me', {
        headers: { authorization: `Bearer ${decodeURIComponent(cookie.split('=')[1])}` },
      }),
    );
    const started = await start(admin.http, {
      definitionKey: 'singleTask',
      variables: { pool: 'role:staff' },
    });
    const claimable = await call<EnvelopeBody<{ total: number; rows: { id: string }[] }>>(
      'GET',
      '/needAcceptTasks/10/1',
    );
    expect(claimable.body.code).toBe(200);
    expect(claimable.body.data.rows.map((t) => t.id)).toContain(started.tasks[0].id);
    const held = await call<EnvelopeBody<{ rows: { id: string }[] }>>('GET', '/acceptedTasks/10/1');
    expect(held.body.data.rows.map((t) => t.id)).not.toContain(started.tasks[0].id);

    const claimed = await call<EnvelopeBody>('POST', `/task/${started.tasks[0].id}/receive`);
    expect(claimed.body.code).toBe(200);
    const heldNow = await call<EnvelopeBody<{ rows: { id: string; assigneeId: string }[] }>>(
      'GET',
      '/acceptedTasks/10/1',
    );
    expect(heldNow.body.data.rows).toEqual([
      expect.objectContaining({ id: started.tasks[0].id, assigneeId: me.profile.id }),
    ]);
    const platform = ok<{ assigneeId: string }>(
      await admin.http.get(`/api/v1/workflow/tasks/${started.tasks[0].id}`),
    );
    expect(platform.assigneeId).toBe(me.profile.id);
    const again = await call<EnvelopeBody>('POST', `/task/${started.tasks[0].id}/receive`);
    expect(again.body.code).toBe(200); // claiming one's own task again is a no-op

    const mine = await start(stack.http.withToken(decodeURIComponent(cookie.split('=')[1])), {
      definitionKey: 'singleTask',
      variables: { pool: 'x' },
    });
    const current = await call<EnvelopeBody<{ total: number; rows: { id: string }[] }>>(
      'GET',
      '/currentProcessInstances/10/1',
    );
    expect(current.body.data.rows.map((r) => r.id)).toEqual([mine.id]);
    const finished = await call<EnvelopeBody<{ total: number }>>('GET', '/histProcessInstances/10/1');
    expect(finished.body.data.total).toBe(0);
    const diagram = await call<EnvelopeBody<{ xml: string; activeActivityIds: string[] }>>(
      'GET',
      `/processDiagram/${mine.id}`,
    );
    expect(diagram.body.data.activeActivityIds).toEqual(['approve']);
    expect(diagram.body.data.xml).toContain('singleTask');
    const foreign = await call<EnvelopeBody>('GET', '/processDiagram/999999');
    expect(foreign.body.code).toBe(404);
  });

  it('POST /staff/password changes the password and renews the cookie', async () => {
    const res = await call<EnvelopeBody>('POST', '/staff/password', {
      oldPassword: member.password,
      newPassword: 'New-Passw0rd-000',
    });
    expect(res.body.code).toBe(200);
    const renewed = res.headers.get('set-cookie');
    expect(renewed).toMatch(/^flowdesk_token=/);
    const stale = await call<EnvelopeBody>('GET', '/currentProcessInstances/10/1');
    expect(stale.body.code).toBe(4004); // the old session ended
    cookie = renewed!.split(';')[0];
    expect((await call<EnvelopeBody>('GET', '/currentProcessInstances/10/1')).body.code).toBe(200);
    const wrongOld = await call<EnvelopeBody>('POST', '/staff/password', {
      oldPassword: 'nope-nope',
      newPassword: 'Another-Passw0rd',
    });
    expect(wrongOld.status).toBe(200);
    expect(wrongOld.body).toMatchObject({ code: 4101, errors: [{ field: 'oldPassword' }] });
  });
});
