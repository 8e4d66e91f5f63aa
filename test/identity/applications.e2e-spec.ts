import {
  createStaff,
  type EnvelopeBody,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestMember,
} from '@app/testing';

interface App {
  id: string;
  clientId: string;
  secret: string;
}
interface Me {
  profile: { id: string };
  permissions: string[];
  applicationId: string | null;
}

/** Seed 004: registered applications and services call with requestType + appID/serverID + secretKey (+ token). */
describe('identity: applications and services (seed-004 headers)', () => {
  let stack: Stack;
  let admin: HttpClient;
  let member: TestMember;
  let memberToken: string;
  let app: App;
  let service: App;

  beforeAll(async () => {
    stack = await startStack({ label: 'identity_apps', withWorkflow: false });
    admin = (await loginAsAdmin(stack.http)).http;
    member = await createStaff(admin, { account: 'app_user' }); // system role staff: department/group/staff read
    memberToken = (await loginAs(stack.http, member.account, member.password)).accessToken;
    const register = async (body: object) =>
      (await admin.post<EnvelopeBody<App>>('/api/v1/applications', body)).body.data;
    app = await register({
      type: 'app',
      name: '工单前端',
      clientId: '12345678',
      permissions: ['staff:read', 'audit:read'],
    });
    service = await register({
      type: 'service',
      name: '同步服务',
      permissions: ['staff:read', 'department:read'],
      dataScope: 'all',
    });
  });
  afterAll(() => stack?.stop());

  const appHeaders = (extra: Record<string, string> = {}) => ({
    requestType: 'app',
    appID: app.clientId,
    secretKey: app.secret,
    accessToken: memberToken,
    Authorization: memberToken,
    ...extra,
  });
  const serviceHeaders = (extra: Record<string, string> = {}) => ({
    requestType: 'service',
    serverID: service.clientId,
    secretKey: service.secret,
    ...extra,
  });

  it('an app call acts as the signed-in user, limited to what both the user and the app may do', async () => {
    const me = await stack.http.get<EnvelopeBody<Me>>('/api/v1/me', { headers: appHeaders() });
    expect(me.status).toBe(200);
    expect(me.body.data.profile.id).toBe(member.id);
    expect(me.body.data.applicationId).toBe(app.id);
    // the user has department/group/staff read, the app staff/audit read: only staff:read remains
    expect(me.body.data.permissions).toEqual(['staff:read']);
    expect((await stack.http.get('/api/v1/staff', { headers: appHeaders() })).status).toBe(200);
    expect((await stack.http.get('/api/v1/departments', { headers: appHeaders() })).status).toBe(403);
    expect((await stack.http.get('/api/v1/audit-logs', { headers: appHeaders() })).status).toBe(403);
  });

  it('header quirks of the seed: quoted values, Bearer or bare Authorization', async () => {
    const quoted = appHeaders({ appID: `"${app.clientId}"`, Authorization: `Bearer ${memberToken}` });
    expect((await stack.http.get('/api/v1/me', { headers: quoted })).status).toBe(200);
  });

  it('refuses: unknown app or wrong secret 4001, no or bad token 4004, two different tokens 4004, bad requestType 4000', async () => {
    const cases: [Record<string, string>, number, number][] = [
      [appHeaders({ appID: 'nope' }), 403, 4001],
      [appHeaders({ secretKey: 'wrong-secret' }), 403, 4001],
      [appHeaders({ requestType: 'service', serverID: app.clientId }), 403, 4001],
      [{ requestType: 'app', appID: app.clientId, secretKey: app.secret }, 401, 4004],
      [appHeaders({ accessToken: 'garbage', Authorization: 'garbage' }), 401, 4004],
      [appHeaders({ Authorization: 'Bearer something-else' }), 401, 4004],
      [appHeaders({ requestType: 'browser' }), 400, 4000],
      [{ requestType: 'app', secretKey: 'x' }, 400, 4000],
    ];
    for (const [headers, status, code] of cases) {
      const res = await stack.http.get('/api/v1/me', { headers });
      expect({ status: res.status, code: (res.body as EnvelopeBody).code }).toEqual({ status, code });
    }
  });

  it('a service acts as itself with its own permissions and scope', async () => {
    const staff = await stack.http.get<EnvelopeBody<{ total: number }>>('/api/v1/staff?status=all', {
      headers: serviceHeaders(),
    });
    expect(staff.status).toBe(200);
    expect(staff.body.data.total).toBeGreaterThanOrEqual(2); // scope all: admin and the member
    expect((await stack.http.get('/api/v1/departments', { headers: serviceHeaders() })).status).toBe(200);
    expect((await stack.http.get('/api/v1/roles', { headers: serviceHeaders() })).status).toBe(403);
    // /me and password routes are for people
    expect((await stack.http.get('/api/v1/me', { headers: serviceHeaders() })).body).toMatchObject({
      code: 4001,
      reason: 'STAFF_ONLY',
    });
  });

  it('a service with a user token acts for that user, within both their rights', async () => {
    const me = await stack.http.get<EnvelopeBody<Me>>('/api/v1/me', {
      headers: serviceHeaders({ accessToken: memberToken }),
    });
    expect(me.body.data.profile.id).toBe(member.id);
    expect(me.body.data.permissions).toEqual(['department:read', 'staff:read']);
  });

  it('the secret is shown once, rotated (old one dead at once) and revoked', async () => {
    const listed = await admin.get<EnvelopeBody<{ rows: Record<string, unknown>[] }>>('/api/v1/applications');
    expect(listed.text).not.toContain(app.secret);
    expect(listed.body.data.rows[0]).not.toHaveProperty('secret');
    expect(listed.body.data.rows[0]).toMatchObject({
      secretHint: service.secret.slice(-4) === '' ? '' : expect.any(String),
    });

    const rotated = await admin.post<EnvelopeBody<App>>(`/api/v1/applications/${service.id}/rotate-secret`);
    expect(rotated.body.data.secret).not.toBe(service.secret);
    expect((await stack.http.get('/api/v1/staff', { headers: serviceHeaders() })).status).toBe(403);
    const fresh = serviceHeaders({ secretKey: rotated.body.data.secret });
    expect((await stack.http.get('/api/v1/staff', { headers: fresh })).status).toBe(200);

    await admin.delete(`/api/v1/applications/${service.id}`);
    expect((await stack.http.get('/api/v1/staff', { headers: fresh })).body).toMatchObject({
      code: 4001,
      reason: 'APPLICATION_UNKNOWN',
    });
    expect((await admin.post(`/api/v1/applications/${service.id}/rotate-secret`)).status).toBe(409);
  });

  it('an application cannot be given more than its registrar holds; duplicate client ids are refused', async () => {
    const limited = await createStaff(admin, { account: 'app_admin' });
    const role = await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/roles', {
      code: 'app_registrar',
      name: 'registrar',
      permissions: ['application:write', 'staff:read'],
      dataScope: 'own',
    });
    await admin.patch(`/api/v1/staff/${limited.id}`, { roleIds: [role.body.data.id] });
    const registrar = (await loginAs(stack.http, limited.account, limited.password)).http;
    const tooMuch = await registrar.post('/api/v1/applications', {
      type: 'service',
      name: 'x',
      permissions: ['audit:read'],
    });
    expect(tooMuch.body).toMatchObject({ code: 4001, reason: 'GRANT_EXCEEDS_OWN' });
    const widerScope = await registrar.post('/api/v1/applications', {
      type: 'service',
      name: 'x',
      permissions: [],
      dataScope: 'all',
    });
    expect(widerScope.body).toMatchObject({ code: 4001, reason: 'GRANT_EXCEEDS_OWN' });
    const ok = await registrar.post('/api/v1/applications', {
      type: 'service',
      name: 'x',
      permissions: ['staff:read'],
      dataScope: 'own',
    });
    expect(ok.status).toBe(200);
    const dup = await admin.post('/api/v1/applications', {
      type: 'app',
      name: 'dup',
      clientId: '12345678',
      permissions: [],
    });
    expect(dup.body).toMatchObject({ code: 4090, errors: [{ field: 'clientId' }] });
  });
});
