import {
  createDepartment,
  createRole,
  createStaff,
  type EnvelopeBody,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
} from '@app/testing';

/**
 * Every role × every identity endpoint × a record of one's own, of one's department, of a
 * sub-department and of another department. The expected answer comes from a small model of the
 * rules (permission → 403, outside the data scope → 404, yourself for disable/delete/reset → 403,
 * else 200) and every answer must match it exactly: no unexpected 2xx, and no foreign id in a list.
 */

type Scope = 'own' | 'department' | 'department_and_below' | 'all';
interface RoleSpec {
  name: string;
  permissions: string[];
  scope: Scope;
  /** a system role by code instead of a custom one */
  system?: string;
}

const ROLES: RoleSpec[] = [
  { name: 'none', permissions: [], scope: 'own' },
  {
    name: 'staff',
    system: 'staff',
    permissions: ['department:read', 'group:read', 'staff:read'],
    scope: 'own',
  },
  { name: 'viewer_own', permissions: ['staff:read'], scope: 'own' },
  { name: 'viewer_dept', permissions: ['staff:read'], scope: 'department' },
  {
    name: 'editor_dept',
    permissions: ['staff:read', 'staff:write', 'staff:password-reset'],
    scope: 'department',
  },
  {
    name: 'editor_below',
    permissions: ['staff:read', 'staff:write', 'staff:password-reset', 'staff:grant', 'department:read'],
    scope: 'department_and_below',
  },
  { name: 'auditor_dept', permissions: ['audit:read'], scope: 'department' },
  { name: 'admin', system: 'admin', permissions: ['*'], scope: 'all' },
];

type TargetName = 'own' | 'same_department' | 'sub_department' | 'other_department';

describe('identity: authorization matrix', () => {
  let stack: Stack;
  let admin: HttpClient;
  const dept: Record<'d1' | 'd1a' | 'd2', string> = { d1: '', d1a: '', d2: '' };
  const targets: Record<
    Exclude<TargetName, 'own'>,
    { id: string; password: string; departmentId: string }
  > = {} as never;
  const callers: Record<string, { id: string; http: HttpClient }> = {};
  /** department of every staff id, as the model sees it */
  const departmentOf = new Map<string, string | null>();
  let menuId = '';

  beforeAll(async () => {
    stack = await startStack({
      label: 'identity_matrix',
      withWorkflow: false,
      gatewayEnv: { LOGIN_RATE_IP_LIMIT: '1000' },
    });
    admin = (await loginAsAdmin(stack.http)).http;
    departmentOf.set('1', null);
    dept.d1 = await createDepartment(admin, 'D1');
    dept.d1a = await createDepartment(admin, 'D1a', dept.d1);
    dept.d2 = await createDepartment(admin, 'D2');
    menuId = (await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/menus', { name: 'matrix-menu' })).body
      .data.id;
    const place = { same_department: dept.d1, sub_department: dept.d1a, other_department: dept.d2 } as const;
    for (const [name, departmentId] of Object.entries(place) as [Exclude<TargetName, 'own'>, string][]) {
      const member = await createStaff(admin, { account: `t_${name}`, departmentId });
      targets[name] = { id: member.id, password: member.password, departmentId };
      departmentOf.set(member.id, departmentId);
    }
    for (const role of ROLES) {
      const roleIds = role.system
        ? [await roleId(admin, role.system)]
        : role.permissions.length
          ? [
              await createRole(admin, {
                code: `m_${role.name}`,
                permissions: role.permissions,
                dataScope: role.scope,
              }),
            ]
          : [];
      const member = await createStaff(admin, { account: `c_${role.name}`, departmentId: dept.d1, roleIds });
      departmentOf.set(member.id, dept.d1);
      callers[role.name] = {
        id: member.id,
        http: (await loginAs(stack.http, member.account, member.password)).http,
      };
    }
    // every caller and target has signed in at least once: the audit log has entries about each
    for (const t of Object.values(targets)) {
      await loginAs(
        stack.http,
        `t_${Object.keys(targets).find((k) => targets[k as never] === t)}`,
        t.password,
      );
    }
  }, 120_000);
  afterAll(() => stack?.stop());

  const can = (role: RoleSpec, permission: string) =>
    role.permissions.includes('*') || role.permissions.includes(permission);

  function reaches(role: RoleSpec, callerId: string, staffId: string): boolean {
    if (staffId === callerId) return true;
    const d = departmentOf.get(staffId) ?? null;
    switch (role.scope) {
      case 'all':
        return true;
      case 'own':
        return false;
      case 'department':
        return d === dept.d1;
      case 'department_and_below':
        return d === dept.d1 || d === dept.d1a;
    }
  }

  interface RecordCall {
    name: string;
    permission: string;
    selfForbidden?: boolean;
    call: (http: HttpClient, id: string, password: string) => Promise<{ status: number }>;
  }

  const RECORD_CALLS: RecordCall[] = [
    { name: 'GET /staff/{id}', permission: 'staff:read', call: (h, id) => h.get(`/api/v1/staff/${id}`) },
    {
      name: 'PATCH /staff/{id}',
      permission: 'staff:write',
      call: (h, id) => h.patch(`/api/v1/staff/${id}`, { note: 'matrix' }),
    },
    {
      name: 'POST /staff/{id}/disable',
      permission: 'staff:write',
      selfForbidden: true,
      call: (h, id) => h.post(`/api/v1/staff/${id}/disable`),
    },
    {
      name: 'POST /staff/{id}/enable',
      permission: 'staff:write',
      selfForbidden: true,
      call: (h, id) => h.post(`/api/v1/staff/${id}/enable`),
    },
    {
      name: 'DELETE /staff/{id}',
      permission: 'staff:write',
      selfForbidden: true,
      call: (h, id) => h.delete(`/api/v1/staff/${id}`),
    },
    {
      name: 'POST /staff/{id}/restore',
      permission: 'staff:write',
      selfForbidden: true,
      call: (h, id) => h.post(`/api/v1/staff/${id}/restore`),
    },
    {
      name: 'POST /staff/{id}/password-reset',
      permission: 'staff:password-reset',
      selfForbidden: true,
      call: (h, id, password) =>
        h.post(`/api/v1/staff/${id}/password-reset`, { password, mustChangePassword: false }),
    },
    {
      name: 'GET /staff/{id}/menus',
      permission: 'staff:read',
      call: (h, id) => h.get(`/api/v1/staff/${id}/menus`),
    },
    {
      name: 'PUT /staff/{id}/menus',
      permission: 'staff:grant',
      call: (h, id) => h.put(`/api/v1/staff/${id}/menus`, { menuIds: [] }),
    },
  ];

  interface CollectionCall {
    name: string;
    permission: string | null;
    /** expected status when the permission is held (default 200) */
    allowed?: (role: RoleSpec) => number;
    call: (http: HttpClient, n: string) => Promise<{ status: number }>;
  }

  const COLLECTION_CALLS: CollectionCall[] = [
    { name: 'GET /me', permission: null, call: (h) => h.get('/api/v1/me') },
    {
      name: 'GET /staff',
      permission: 'staff:read',
      call: (h) => h.get('/api/v1/staff?status=all&pageSize=200'),
    },
    {
      name: 'POST /staff (into my department)',
      permission: 'staff:write',
      allowed: (role) => (role.scope === 'own' ? 403 : 200),
      call: (h, n) =>
        h.post('/api/v1/staff', { account: `new_${n}_a`, realName: 'n', departmentId: dept.d1 }),
    },
    {
      name: 'POST /staff (into another department)',
      permission: 'staff:write',
      allowed: (role) => (role.scope === 'all' ? 200 : 403),
      call: (h, n) =>
        h.post('/api/v1/staff', { account: `new_${n}_b`, realName: 'n', departmentId: dept.d2 }),
    },
    {
      name: 'POST /staff (granting a role)',
      permission: 'staff:write',
      allowed: (role) => (can(role, 'staff:grant') && role.scope === 'all' ? 200 : 403),
      call: async (h, n) =>
        h.post('/api/v1/staff', {
          account: `new_${n}_c`,
          realName: 'n',
          departmentId: dept.d1,
          roleIds: [await roleId(admin, 'admin')],
        }),
    },
    { name: 'GET /departments', permission: 'department:read', call: (h) => h.get('/api/v1/departments') },
    {
      name: 'POST /departments',
      permission: 'department:write',
      call: (h, n) => h.post('/api/v1/departments', { name: `dep_${n}` }),
    },
    { name: 'GET /groups', permission: 'group:read', call: (h) => h.get('/api/v1/groups') },
    {
      name: 'POST /groups',
      permission: 'group:write',
      call: (h, n) => h.post('/api/v1/groups', { name: `g_${n}` }),
    },
    { name: 'GET /roles', permission: 'role:read', call: (h) => h.get('/api/v1/roles') },
    {
      name: 'POST /roles',
      permission: 'role:write',
      call: (h, n) =>
        h.post('/api/v1/roles', { code: `r_${n}`, name: 'r', permissions: [], dataScope: 'own' }),
    },
    { name: 'GET /menus', permission: 'menu:read', call: (h) => h.get('/api/v1/menus') },
    {
      name: 'POST /menus',
      permission: 'menu:write',
      call: (h, n) => h.post('/api/v1/menus', { name: `m_${n}` }),
    },
    { name: 'GET /applications', permission: 'application:read', call: (h) => h.get('/api/v1/applications') },
    {
      name: 'POST /applications',
      permission: 'application:write',
      call: (h, n) => h.post('/api/v1/applications', { type: 'service', name: `a_${n}`, permissions: [] }),
    },
    {
      name: 'GET /audit-logs',
      permission: 'audit:read',
      call: (h) => h.get('/api/v1/audit-logs?pageSize=200'),
    },
  ];

  it.each(ROLES.map((r) => [r.name, r] as const))(
    'role %s: every answer as the rules say',
    async (_, role) => {
      const caller = callers[role.name];
      const mismatches: string[] = [];
      const record = (what: string, expected: number, actual: number) => {
        if (expected !== actual) mismatches.push(`${what}: expected ${expected}, got ${actual}`);
      };

      const targetList: [TargetName, string, string][] = [
        ['own', caller.id, ''],
        ...(Object.entries(targets) as [TargetName, { id: string; password: string }][]).map(
          ([name, t]) => [name, t.id, t.password] as [TargetName, string, string],
        ),
      ];
      for (const [targetName, id, password] of targetList) {
        for (const call of RECORD_CALLS) {
          if (targetName === 'own' && call.name.includes('password-reset') && can(role, call.permission)) {
            // expected 403 CANNOT_TARGET_SELF; the password is irrelevant
          }
          const expected = !can(role, call.permission)
            ? 403
            : targetName === 'own' && call.selfForbidden
              ? 403
              : !reaches(role, caller.id, id)
                ? 404
                : 200;
          const res = await call.call(caller.http, id, password || 'irrelevant-password');
          record(`${call.name} on ${targetName}`, expected, res.status);
        }
      }

      for (const call of COLLECTION_CALLS) {
        const expected = call.permission && !can(role, call.permission) ? 403 : (call.allowed?.(role) ?? 200);
        const res = await call.call(caller.http, role.name);
        record(call.name, expected, res.status);
      }

      // members created above (by callers allowed to) join the model with their department
      const everyone = await admin.get<
        EnvelopeBody<{ rows: { id: string; department: { id: string } | null }[] }>
      >('/api/v1/staff?status=all&pageSize=200');
      for (const row of everyone.body.data.rows) departmentOf.set(row.id, row.department?.id ?? null);

      // lists: never an id outside the scope, and every id inside it
      if (can(role, 'staff:read')) {
        const page = await caller.http.get<EnvelopeBody<{ rows: { id: string }[] }>>(
          '/api/v1/staff?status=all&pageSize=200',
        );
        const listed = page.body.data.rows.map((r) => r.id);
        const foreign = listed.filter((id) => !reaches(role, caller.id, id));
        if (foreign.length) mismatches.push(`GET /staff lists foreign ids ${foreign.join(',')}`);
        const expectedIds = [...departmentOf.keys()].filter((id) => reaches(role, caller.id, id));
        const missing = expectedIds.filter((id) => !listed.includes(id));
        if (missing.length) mismatches.push(`GET /staff misses ids ${missing.join(',')}`);
        const search = await caller.http.get<EnvelopeBody<{ rows: { id: string }[] }>>(
          '/api/v1/staff?status=all&keyword=t_',
        );
        const foreignHits = search.body.data.rows.filter((r) => !reaches(role, caller.id, r.id));
        if (foreignHits.length) mismatches.push('search lists foreign ids');
      }
      if (can(role, 'audit:read')) {
        const audit = await caller.http.get<EnvelopeBody<{ rows: { subjectStaffId: string | null }[] }>>(
          '/api/v1/audit-logs?pageSize=200',
        );
        const foreign = audit.body.data.rows.filter(
          (r) =>
            role.scope !== 'all' &&
            (r.subjectStaffId === null || !reaches(role, caller.id, r.subjectStaffId)),
        );
        if (foreign.length)
          mismatches.push(`GET /audit-logs shows ${foreign.length} entries outside the scope`);
        if (audit.body.data.rows.length === 0) mismatches.push('GET /audit-logs shows nothing at all');
      }
      expect(mismatches).toEqual([]);
    },
  );

  it('a super admin cannot be changed by an admin without `*`', async () => {
    const plainAdmin = await createStaff(admin, {
      account: 'plain_admin',
      roleIds: [await roleId(admin, 'admin')],
    });
    const http = (await loginAs(stack.http, plainAdmin.account, plainAdmin.password)).http;
    for (const res of [
      await http.post('/api/v1/staff/1/disable'),
      await http.post('/api/v1/staff/1/password-reset', {}),
      await http.patch('/api/v1/staff/1', { roleIds: [] }),
    ]) {
      expect(res.body).toMatchObject({ code: 4001, reason: 'SUPER_ADMIN_PROTECTED' });
    }
    expect((await http.get('/api/v1/staff/1')).status).toBe(200);
  });

  it('nobody grants what they do not hold (roles, menus, applications)', async () => {
    const grantor = callers.editor_below.http;
    const target = targets.same_department.id;
    const adminRole = await roleId(admin, 'admin');
    expect((await grantor.patch(`/api/v1/staff/${target}`, { roleIds: [adminRole] })).body).toMatchObject({
      code: 4001,
      reason: 'GRANT_EXCEEDS_OWN',
    });
    const powerful = (
      await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/menus', {
        name: 'power',
        permissions: ['audit:read'],
      })
    ).body.data.id;
    expect((await grantor.put(`/api/v1/staff/${target}/menus`, { menuIds: [powerful] })).body).toMatchObject({
      reason: 'GRANT_EXCEEDS_OWN',
    });
    // a harmless menu is fine
    expect((await grantor.put(`/api/v1/staff/${target}/menus`, { menuIds: [menuId] })).status).toBe(200);
    // … and granting oneself a wider data scope through a role is refused too
    const wide = await createRole(admin, {
      code: 'wide_reader',
      permissions: ['staff:read'],
      dataScope: 'all',
    });
    expect(
      (await grantor.patch(`/api/v1/staff/${callers.editor_below.id}`, { roleIds: [wide] })).body,
    ).toMatchObject({
      reason: 'GRANT_EXCEEDS_OWN',
    });
  });
});
