import {
  createDepartment,
  createRole,
  createStaff,
  type EnvelopeBody,
  HttpClient,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
} from '@app/testing';

interface Staff {
  id: string;
  status: string;
  realName: string;
  nickName: string | null;
  note: string | null;
  createdAt: string;
  roles: { code: string }[];
  department: { id: string } | null;
}

/** Every response body seen by this file, to prove none carries a password hash or a secret. */
const seen: string[] = [];
class RecordingClient extends HttpClient {
  override async request<T>(...args: Parameters<HttpClient['request']>) {
    const answer = await super.request<T>(...args);
    seen.push(answer.text);
    return answer;
  }
  override withToken(token: string): HttpClient {
    return new RecordingClient(this.baseUrl, { authorization: `Bearer ${token}` });
  }
}

const FORBIDDEN_FIELDS = {
  status: 'disabled',
  roleIds: ['1'],
  password: 'Hijacked-Passw0rd',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$fake',
  id: '1',
  createdAt: '2000-01-01T00:00:00Z',
  isSuperAdmin: true,
  permissions: ['*'],
  mustChangePassword: true,
};

describe('identity: mass assignment and secrets', () => {
  let stack: Stack;
  let admin: HttpClient;
  let http: RecordingClient;

  beforeAll(async () => {
    stack = await startStack({ label: 'identity_mass', withWorkflow: false });
    http = new RecordingClient(stack.http.baseUrl);
    admin = (await loginAsAdmin(http)).http;
  });
  afterAll(() => stack?.stop());

  const adminView = async (id: string) =>
    (await admin.get<EnvelopeBody<Staff>>(`/api/v1/staff/${id}`)).body.data;

  it('PATCH /me by a plain member changes profile fields only', async () => {
    const member = await createStaff(admin, { account: 'plain' });
    const before = await adminView(member.id);
    const session = await loginAs(http, member.account, member.password);
    const res = await session.http.patch<EnvelopeBody<{ profile: Staff }>>('/api/v1/me', {
      ...FORBIDDEN_FIELDS,
      realName: 'Renamed By Self',
      departmentId: '1',
      note: 'self note',
      nickName: 'nick',
    });
    expect(res.status).toBe(200);
    const after = await adminView(member.id);
    expect(after.nickName).toBe('nick');
    expect(after).toMatchObject({
      id: before.id,
      status: 'enabled',
      realName: before.realName,
      note: before.note,
      createdAt: before.createdAt,
      roles: before.roles,
      department: before.department,
    });
    // the password did not change: the old one still signs in, the injected one does not
    expect(
      (await http.post('/api/v1/auth/login', { account: 'plain', password: member.password })).status,
    ).toBe(200);
    expect(
      (await http.post('/api/v1/auth/login', { account: 'plain', password: FORBIDDEN_FIELDS.password }))
        .status,
    ).toBe(401);
    // and the session still works (mustChangePassword was not set)
    expect((await session.http.get('/api/v1/me')).status).toBe(200);
  });

  it('PATCH /staff/{id} by a non-admin editor: status, password, id, createdAt ignored; roleIds refused', async () => {
    const d1 = await createDepartment(admin, 'D-mass');
    const editorRole = await createRole(admin, {
      code: 'mass_editor',
      permissions: ['staff:read', 'staff:write'],
      dataScope: 'department',
    });
    const editor = await createStaff(admin, { account: 'editor', departmentId: d1, roleIds: [editorRole] });
    const colleague = await createStaff(admin, { account: 'colleague', departmentId: d1 });
    const session = await loginAs(http, editor.account, editor.password);
    const before = await adminView(colleague.id);

    const { roleIds: _, ...withoutRoles } = FORBIDDEN_FIELDS;
    const res = await session.http.patch<EnvelopeBody<Staff>>(`/api/v1/staff/${colleague.id}`, {
      ...withoutRoles,
      note: 'edited',
    });
    expect(res.status).toBe(200);
    const after = await adminView(colleague.id);
    expect(after).toMatchObject({
      id: before.id,
      status: 'enabled',
      createdAt: before.createdAt,
      note: 'edited',
    });
    expect(after.roles).toEqual(before.roles);
    expect(
      (await http.post('/api/v1/auth/login', { account: 'colleague', password: colleague.password })).status,
    ).toBe(200);

    // roleIds needs staff:grant: refused as a whole, nothing changes
    const withRoles = await session.http.patch(`/api/v1/staff/${colleague.id}`, {
      roleIds: [await roleId(admin, 'admin')],
      note: 'should not stick',
    });
    expect(withRoles.body).toMatchObject({ code: 4001 });
    expect(await adminView(colleague.id)).toMatchObject({ note: 'edited', roles: before.roles });
    // nor may the editor grant themselves anything
    const self = await session.http.patch(`/api/v1/staff/${editor.id}`, {
      roleIds: [editorRole, await roleId(admin, 'admin')],
    });
    expect(self.body).toMatchObject({ code: 4001 });
    expect((await adminView(editor.id)).roles.map((r) => r.code)).toEqual(['mass_editor']);
  });

  it('the create DTO ignores status, id, createdAt and password', async () => {
    const res = await admin.post<EnvelopeBody<Staff & { hasPassword: boolean }>>('/api/v1/staff', {
      ...FORBIDDEN_FIELDS,
      roleIds: undefined,
      account: 'fresh',
      realName: 'Fresh',
    });
    expect(res.status).toBe(200);
    expect(res.body.data.id).not.toBe('1');
    expect(res.body.data).toMatchObject({ status: 'enabled', hasPassword: false, mustChangePassword: false });
    expect(res.body.data.createdAt.startsWith('2000')).toBe(false);
  });

  it('no response of this file carries a password hash, a password or an application secret', async () => {
    const created = await admin.post<EnvelopeBody<{ id: string; secret: string }>>('/api/v1/applications', {
      type: 'service',
      name: 'svc',
      permissions: ['staff:read'],
    });
    const secret = created.body.data.secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rotated = await admin.post<EnvelopeBody<{ secret: string }>>(
      `/api/v1/applications/${created.body.data.id}/rotate-secret`,
    );
    const secondSecret = rotated.body.data.secret;
    await admin.get(`/api/v1/applications/${created.body.data.id}`);
    await admin.get('/api/v1/applications');
    await admin.get('/api/v1/staff?status=all&pageSize=200&include=menus');
    await admin.get('/api/v1/audit-logs?pageSize=200');
    await admin.get('/api/v1/me');

    // the two answers that show a secret once are the only ones allowed to contain it
    const others = seen.filter((text) => !text.includes('"secret":"'));
    for (const text of others) {
      expect(text).not.toMatch(/\$argon2|passwordHash|password_hash|secretHash|secret_hash/i);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secondSecret);
      expect(text).not.toContain(FORBIDDEN_FIELDS.password);
    }
    expect(seen.filter((text) => text.includes(secret))).toHaveLength(1);
    expect(seen.length).toBeGreaterThan(20);
  });
});
