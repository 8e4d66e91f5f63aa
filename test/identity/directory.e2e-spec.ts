import {
  createDepartment,
  createStaff,
  type EnvelopeBody,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
} from '@app/testing';

interface Page<T> {
  total: number;
  pageNum: number;
  pageSize: number;
  rows: T[];
}
interface Staff {
  id: string;
  account: string | null;
  phone: string | null;
  realName: string;
  status: string;
  type: string;
  department: { id: string; name: string } | null;
  groups: { id: string; name: string }[];
  roles: { id: string; code: string }[];
  menus?: { id: string; name: string }[];
  entryTime: string | null;
  birthday: string | null;
}
interface Node {
  id: string;
  name: string;
  manager: { id: string; name: string } | null;
  staffCount: number;
  children: Node[];
}

describe('identity: staff directory (seed 001 semantics)', () => {
  let stack: Stack;
  let admin: HttpClient;
  const ids: Record<string, string> = {};
  const groups: Record<string, string> = {};

  const list = async (query: string) => {
    const res = await admin.get<EnvelopeBody<Page<Staff>>>(`/api/v1/staff?pageSize=200&${query}`);
    expect(res.status).toBe(200);
    // only the fixtures of this file (the admin exists too)
    return res.body.data;
  };
  const accounts = (page: Page<Staff>) => page.rows.map((s) => s.account).filter((a) => a !== 'admin');

  beforeAll(async () => {
    stack = await startStack({ label: 'identity_directory', withWorkflow: false });
    admin = (await loginAsAdmin(stack.http)).http;
    for (const name of ['管理员', '销售组']) {
      const res = await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/groups', {
        name,
        detail: `${name}说明`,
      });
      groups[name] = res.body.data.id;
    }
    const sales = await createDepartment(admin, '销售部');
    const s1 = await createStaff(admin, {
      account: 's_enabled',
      departmentId: sales,
      groupIds: [groups['销售组']],
    });
    const s2 = await createStaff(admin, {
      account: 's_disabled',
      departmentId: sales,
      groupIds: [groups['管理员']],
    });
    const s3 = await createStaff(admin, {
      account: 's_deleted',
      groupIds: [groups['销售组'], groups['管理员']],
    });
    const c1 = await createStaff(admin, { account: 'c_courier', type: 'courier' });
    Object.assign(ids, { s_enabled: s1.id, s_disabled: s2.id, s_deleted: s3.id, c_courier: c1.id, sales });
    expect((await admin.post(`/api/v1/staff/${s2.id}/disable`)).status).toBe(200);
    expect((await admin.delete(`/api/v1/staff/${s3.id}`)).status).toBe(200);
  });
  afterAll(() => stack?.stop());

  it('status filter: enabled by default, all, normal (= enabled + disabled), disabled, deleted', async () => {
    expect(accounts(await list(''))).toEqual(['s_enabled', 'c_courier']);
    expect(accounts(await list('status=enabled'))).toEqual(['s_enabled', 'c_courier']);
    expect(accounts(await list('status=all'))).toEqual(['s_enabled', 's_disabled', 's_deleted', 'c_courier']);
    expect(accounts(await list('status=normal'))).toEqual(['s_enabled', 's_disabled', 'c_courier']);
    expect(accounts(await list('status=disabled'))).toEqual(['s_disabled']);
    expect(accounts(await list('status=deleted'))).toEqual(['s_deleted']);
    const bad = await admin.get('/api/v1/staff?status=1');
    expect(bad.body).toMatchObject({ code: 4101, errors: [{ field: 'status' }] });
  });

  it('type filter: staff (编内员工) or courier (通讯员); both when absent', async () => {
    expect(accounts(await list('status=all&type=courier'))).toEqual(['c_courier']);
    expect(accounts(await list('status=all&type=staff'))).toEqual(['s_enabled', 's_disabled', 's_deleted']);
  });

  it('group filter: members of any given group, as repeated keys, a comma list or a JSON literal', async () => {
    const sales = groups['销售组'];
    const admins = groups['管理员'];
    expect(accounts(await list(`status=all&groupIds=${sales}`))).toEqual(['s_enabled', 's_deleted']);
    const both = ['s_enabled', 's_disabled', 's_deleted'];
    expect(accounts(await list(`status=all&groupIds=${sales}&groupIds=${admins}`))).toEqual(both);
    expect(accounts(await list(`status=all&groupIds=${sales},${admins}`))).toEqual(both);
    expect(accounts(await list(`status=all&groupIds=${encodeURIComponent(`[${sales},${admins}]`)}`))).toEqual(
      both,
    );
    expect(accounts(await list(`status=normal&groupIds=${admins}`))).toEqual(['s_disabled']);
  });

  it('paging: total counts every match, pages slice them, pageSize is capped', async () => {
    const all = await list('status=all');
    expect(all.total).toBe(5); // 4 fixtures + admin
    const page1 = await admin.get<EnvelopeBody<Page<Staff>>>('/api/v1/staff?status=all&pageSize=2&pageNum=1');
    const page3 = await admin.get<EnvelopeBody<Page<Staff>>>('/api/v1/staff?status=all&pageSize=2&pageNum=3');
    expect(page1.body.data).toMatchObject({ total: 5, pageNum: 1, pageSize: 2 });
    expect(page1.body.data.rows).toHaveLength(2);
    expect(page3.body.data.rows).toHaveLength(1);
    const tooBig = await admin.get('/api/v1/staff?pageSize=201');
    expect(tooBig.body).toMatchObject({ code: 4101, errors: [{ field: 'pageSize' }] });
  });

  it('search by part of the name or phone; department filter', async () => {
    await admin.patch(`/api/v1/staff/${ids.s_enabled}`, { realName: '张三丰', phone: '13712345678' });
    expect(accounts(await list('keyword=三丰'))).toEqual(['s_enabled']);
    expect(accounts(await list('keyword=2345'))).toEqual(['s_enabled']);
    expect(accounts(await list('keyword=%25'))).toEqual([]); // % is a character, not a wildcard
    expect(accounts(await list(`status=all&departmentId=${ids.sales}`))).toEqual(['s_enabled', 's_disabled']);
  });

  it('rows carry groups, roles and department; never password data', async () => {
    const page = await admin.get<EnvelopeBody<Page<Staff>>>('/api/v1/staff?status=all&pageSize=200');
    const row = page.body.data.rows.find((s) => s.account === 's_deleted')!;
    expect(row.groups.map((g) => g.name).sort()).toEqual(['管理员', '销售组'].sort());
    expect(row.roles.map((r) => r.code)).toEqual(['staff']);
    const courier = page.body.data.rows.find((s) => s.account === 'c_courier')!;
    expect(courier.roles.map((r) => r.code)).toEqual(['courier']);
    expect(page.text).not.toMatch(/password_?hash|\$argon2/i);
  });

  it('creates with every field of the issue; times read as Asia/Shanghai; duplicates are 4090', async () => {
    const res = await admin.post<EnvelopeBody<Staff>>('/api/v1/staff', {
      phone: '13600000000',
      account: 'full_fields',
      employeeNo: 'AA1611',
      realName: '刘超',
      nickName: 'liuchao',
      avatarUrl: 'https://example.com/a.png',
      sex: 'male',
      title: '经理',
      birthday: '1990-05-01',
      address: '苏州',
      school: '苏州大学',
      education: '本科',
      politicalAffiliation: '群众',
      entryTime: '2020-12-11 00:00:02',
      officialTime: '2021-03-11T08:00:00+08:00',
      note: '备注',
      type: 'staff',
      departmentId: ids.sales,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      employeeNo: 'AA1611',
      birthday: '1990-05-01',
      entryTime: '2020-12-10T16:00:02.000Z',
      officialTime: '2021-03-11T00:00:00.000Z',
      department: { id: ids.sales, name: '销售部' },
      hasPassword: false,
    });
    const dup = await admin.post('/api/v1/staff', { phone: '13600000000', realName: 'dup' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 4090, errors: [{ field: 'phone' }] });
    const noName = await admin.post('/api/v1/staff', { realName: 'x' });
    expect(noName.body).toMatchObject({ code: 4101 });
    const badTime = await admin.post('/api/v1/staff', {
      account: 'bad_time',
      realName: 'x',
      entryTime: '2020-13-40',
    });
    expect(badTime.body).toMatchObject({ code: 4101, errors: [{ field: 'entryTime' }] });
  });

  it('disable / enable / delete / restore follow the status rules', async () => {
    const m = await createStaff(admin, { account: 'lifecycle' });
    expect((await admin.post<EnvelopeBody<Staff>>(`/api/v1/staff/${m.id}/disable`)).body.data.status).toBe(
      'disabled',
    );
    expect((await admin.post<EnvelopeBody<Staff>>(`/api/v1/staff/${m.id}/enable`)).body.data.status).toBe(
      'enabled',
    );
    expect((await admin.delete<EnvelopeBody<Staff>>(`/api/v1/staff/${m.id}`)).body.data.status).toBe(
      'deleted',
    );
    expect((await admin.post(`/api/v1/staff/${m.id}/enable`)).body).toMatchObject({
      code: 4090,
      reason: 'STAFF_DELETED',
    });
    expect(
      (await stack.http.post('/api/v1/auth/login', { account: 'lifecycle', password: m.password })).status,
    ).toBe(401);
    expect((await admin.post<EnvelopeBody<Staff>>(`/api/v1/staff/${m.id}/restore`)).body.data.status).toBe(
      'enabled',
    );
    expect((await admin.post(`/api/v1/staff/999999/disable`)).status).toBe(404);
    // a path id that cannot be an id is bad input naming the parameter (issue 19), not an unknown record
    expect((await admin.get(`/api/v1/staff/not-a-number`)).body).toMatchObject({
      code: 4101,
      errors: [{ field: 'id' }],
    });
    expect((await admin.get(`/api/v1/staff/99999999999999999999`)).status).toBe(400);
  });

  it('groups: list by status (enabled, deleted, all), soft delete and restore', async () => {
    const g = await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/groups', { name: '临时组' });
    await admin.delete(`/api/v1/groups/${g.body.data.id}`);
    const names = async (status: string) =>
      (
        await admin.get<EnvelopeBody<Page<{ name: string; status: string }>>>(
          `/api/v1/groups?status=${status}`,
        )
      ).body.data.rows.map((r) => `${r.name}:${r.status}`);
    expect(await names('enabled')).toEqual(['管理员:enabled', '销售组:enabled']);
    expect(await names('deleted')).toEqual(['临时组:deleted']);
    expect(await names('all')).toHaveLength(3);
    await admin.post(`/api/v1/groups/${g.body.data.id}/restore`);
    expect(await names('enabled')).toHaveLength(3);
  });

  it('departments form a tree with managers; no cycles; only empty ones are deleted', async () => {
    const east = await createDepartment(admin, '华东区', ids.sales);
    const suzhou = await createDepartment(admin, '苏州', east);
    await admin.patch(`/api/v1/departments/${east}`, { managerId: ids.s_enabled });
    const tree = (await admin.get<EnvelopeBody<Node[]>>('/api/v1/departments')).body.data;
    const sales = tree.find((n) => n.id === ids.sales)!;
    expect(sales.children[0]).toMatchObject({
      name: '华东区',
      manager: { id: ids.s_enabled, name: '张三丰' },
    });
    expect(sales.children[0].children[0]).toMatchObject({ id: suzhou, name: '苏州' });
    expect(sales.staffCount).toBe(3);

    const cycle = await admin.patch(`/api/v1/departments/${ids.sales}`, { parentId: suzhou });
    expect(cycle.body).toMatchObject({ code: 4090, reason: 'DEPARTMENT_CYCLE' });
    expect((await admin.delete(`/api/v1/departments/${east}`)).body).toMatchObject({
      reason: 'DEPARTMENT_HAS_CHILDREN',
    });
    expect((await admin.delete(`/api/v1/departments/${ids.sales}`)).body).toMatchObject({ code: 4090 });
    expect((await admin.delete(`/api/v1/departments/${suzhou}`)).status).toBe(200);
  });

  it('two departments moved under each other at once: one move, one cycle refused (4090), never a database failure', async () => {
    const answers: string[] = [];
    for (let round = 0; round < 5; round++) {
      const x = await createDepartment(admin, `互挂甲${round}`);
      const y = await createDepartment(admin, `互挂乙${round}`);
      // each move alone is legal; together they would make a cycle (both had deadlocked into 503 5003)
      const pair = await Promise.all([
        admin.patch<EnvelopeBody<unknown>>(`/api/v1/departments/${x}`, { parentId: y }),
        admin.patch<EnvelopeBody<unknown>>(`/api/v1/departments/${y}`, { parentId: x }),
      ]);
      answers.push(
        pair
          .map((a) => `${a.status}/${a.body.code}`)
          .sort()
          .join(' '),
      );
    }
    expect(answers).toEqual(Array.from({ length: 5 }, () => '200/200 409/4090'));
  });

  it('a delete and a use of the same department, role or menu at the same moment: one wins, the other is refused, never a database failure', async () => {
    const body = (a: { status: number; body: unknown }) =>
      `${a.status}/${(a.body as { code?: number }).code}`;
    const failures: string[] = [];
    const created = <T>(a: { body: unknown }) => (a.body as EnvelopeBody<T>).data;
    const member = await createStaff(admin, { account: 'race_member' });
    for (let round = 0; round < 3; round++) {
      const dept = await createDepartment(admin, `竞删部门${round}`);
      const other = await createDepartment(admin, `竞删落点${round}`);
      const role = created<{ id: string }>(
        await admin.post('/api/v1/roles', {
          code: `race_role_${round}`,
          name: `race_role_${round}`,
          permissions: [],
          dataScope: 'own',
        }),
      ).id;
      const menu = created<{ id: string }>(
        await admin.post('/api/v1/menus', { name: `竞删菜单${round}`, permissions: [] }),
      ).id;
      // each pair: a delete, and a write that checked the row exists (or is unused) before the delete committed
      const pairs: [string, () => Promise<{ status: number; body: unknown }>[]][] = [
        [
          'department vs new member',
          () => [
            admin.delete(`/api/v1/departments/${dept}`),
            admin.post('/api/v1/staff', { account: `race_in_${round}`, realName: 'x', departmentId: dept }),
          ],
        ],
        [
          'department vs new sub-department',
          () => [
            admin.delete(`/api/v1/departments/${other}`),
            admin.post('/api/v1/departments', { name: `竞删子${round}`, parentId: other }),
          ],
        ],
        [
          'role vs assignment',
          () => [
            admin.delete(`/api/v1/roles/${role}`),
            admin.patch(`/api/v1/staff/${member.id}`, { roleIds: [role] }),
          ],
        ],
        [
          'menu vs grant',
          () => [
            admin.delete(`/api/v1/menus/${menu}`),
            admin.put(`/api/v1/staff/${member.id}/menus`, { menuIds: [menu] }),
          ],
        ],
      ];
      for (const [name, calls] of pairs) {
        const answers = await Promise.all(calls());
        if (answers.some((a) => a.status >= 500)) failures.push(`${name}: ${answers.map(body).join(' ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('menus are grants: from groups and direct grants, shown in /me with their permissions', async () => {
    const customers = await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/menus', {
      name: '客户管理',
      content: '客户',
      note: '',
      permissions: ['audit:read'],
    });
    const visits = await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/menus', { name: '拜访记录' });
    const menuPage = await admin.get<EnvelopeBody<Page<{ name: string }>>>('/api/v1/menus?pageSize=1');
    expect(menuPage.body.data).toMatchObject({ total: 2, pageSize: 1 });

    const member = await createStaff(admin, { account: 'menu_holder', groupIds: [groups['销售组']] });
    const session = await loginAs(stack.http, member.account, member.password);
    expect((await session.http.get('/api/v1/audit-logs')).status).toBe(403);

    // a group grant
    await admin.patch(`/api/v1/groups/${groups['销售组']}`, { menuIds: [customers.body.data.id] });
    const me =
      await session.http.get<EnvelopeBody<{ menus: { name: string }[]; permissions: string[] }>>(
        '/api/v1/me',
      );
    expect(me.body.data.menus.map((m) => m.name)).toEqual(['客户管理']);
    expect(me.body.data.permissions).toContain('audit:read');
    expect((await session.http.get('/api/v1/audit-logs')).status).toBe(200);

    // a direct grant (seed 001 usermenu), shown per member and in the list with include=menus
    await admin.put(`/api/v1/staff/${member.id}/menus`, { menuIds: [visits.body.data.id] });
    const menus = await admin.get<
      EnvelopeBody<{ menus: { name: string }[]; groupMenus: { name: string }[] }>
    >(`/api/v1/staff/${member.id}/menus`);
    expect(menus.body.data.menus.map((m) => m.name)).toEqual(['拜访记录']);
    expect(menus.body.data.groupMenus.map((m) => m.name)).toEqual(['客户管理']);
    const withMenus = await list('include=menus&keyword=menu_holder');
    expect(withMenus.rows[0].menus?.map((m) => m.name)).toEqual(['拜访记录']);

    // deleting the group takes its grants away at once
    await admin.delete(`/api/v1/groups/${groups['销售组']}`);
    expect((await session.http.get('/api/v1/audit-logs')).status).toBe(403);
    await admin.post(`/api/v1/groups/${groups['销售组']}/restore`);
    // deleting the menu removes the grant too
    await admin.delete(`/api/v1/menus/${customers.body.data.id}`);
    expect((await session.http.get('/api/v1/audit-logs')).status).toBe(403);
  });

  it('menu items (菜单配置项): create, edit name/content/note/permissions, delete', async () => {
    const created = await admin.post<EnvelopeBody<{ id: string; name: string }>>('/api/v1/menus', {
      name: '合同记录',
      content: '合同',
      note: 'n1',
    });
    const id = created.body.data.id;
    const edited = await admin.patch<
      EnvelopeBody<{ name: string; content: string; note: string; permissions: string[] }>
    >(`/api/v1/menus/${id}`, { name: '合同管理', note: 'n2', permissions: ['staff:read'] });
    expect(edited.body.data).toEqual(
      expect.objectContaining({ name: '合同管理', content: '合同', note: 'n2', permissions: ['staff:read'] }),
    );
    expect((await admin.patch(`/api/v1/menus/${id}`, { permissions: ['no:such'] })).status).toBe(400);
    expect((await admin.delete(`/api/v1/menus/${id}`)).status).toBe(200);
    expect((await admin.get(`/api/v1/menus/${id}`)).status).toBe(404);
  });

  it('roles: the system roles exist; a custom role is created, edited, refused while held, deleted', async () => {
    const roles = await admin.get<EnvelopeBody<Page<{ code: string; isSystem: boolean }>>>('/api/v1/roles');
    expect(roles.body.data.rows.filter((r) => r.isSystem).map((r) => r.code)).toEqual([
      'super_admin',
      'admin',
      'staff',
      'courier',
    ]);
    const id = (
      await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/roles', {
        code: 'auditor',
        name: '审计员',
        permissions: ['audit:read'],
        dataScope: 'department',
      })
    ).body.data.id;
    expect(
      (await admin.post('/api/v1/roles', { code: 'auditor', name: 'x', permissions: [], dataScope: 'own' }))
        .status,
    ).toBe(409);
    expect(
      (
        await admin.post('/api/v1/roles', {
          code: 'bad',
          name: 'x',
          permissions: ['launch:missiles'],
          dataScope: 'own',
        })
      ).status,
    ).toBe(400);
    const member = await createStaff(admin, { account: 'auditor1', roleIds: [id] });
    expect((await admin.delete(`/api/v1/roles/${id}`)).body).toMatchObject({
      code: 4090,
      reason: 'ROLE_IN_USE',
    });
    await admin.patch(`/api/v1/staff/${member.id}`, { roleIds: [await roleId(admin, 'staff')] });
    expect((await admin.delete(`/api/v1/roles/${id}`)).status).toBe(200);
    const superAdmin = await roleId(admin, 'super_admin');
    expect((await admin.patch(`/api/v1/roles/${superAdmin}`, { name: 'x' })).body).toMatchObject({
      reason: 'SYSTEM_ROLE',
    });
    expect((await admin.delete(`/api/v1/roles/${await roleId(admin, 'staff')}`)).body).toMatchObject({
      reason: 'SYSTEM_ROLE',
    });
  });
  it('/me: the profile exactly as the staff detail answers it; menus direct first, then through enabled groups, each once', async () => {
    const menu = async (name: string, sortOrder: number) =>
      (await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/menus', { name, sortOrder })).body.data.id;
    const [m1, m2, m3, m4] = [
      await menu('me-m1', 5),
      await menu('me-m2', 0),
      await menu('me-m3', 1),
      await menu('me-m4', 2),
    ];
    const group = async (name: string, menuIds: string[]) =>
      (await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/groups', { name, menuIds })).body.data.id;
    const open = await group('me-open', [m2, m3]);
    const gone = await group('me-gone', [m4]);
    const member = await createStaff(admin, {
      account: 'me_profile',
      departmentId: await createDepartment(admin, 'me-dept'),
      groupIds: [gone, open],
      roleIds: [await roleId(admin, 'staff')],
    });
    await admin.delete(`/api/v1/groups/${gone}`);
    await admin.put(`/api/v1/staff/${member.id}/menus`, { menuIds: [m1, m3] });
    expect(
      (
        await admin.patch(`/api/v1/staff/${member.id}`, {
          nickName: 'Mee',
          birthday: '1990-05-01',
          entryTime: '2024-03-01 09:30:00',
          info: 'profile',
        })
      ).status,
    ).toBe(200);
    const session = await loginAs(stack.http, member.account, member.password);

    const me =
      await session.http.get<EnvelopeBody<{ profile: Staff; menus: { id: string }[] }>>('/api/v1/me');
    expect(me.status).toBe(200);
    const detail = await admin.get<EnvelopeBody<Staff>>(`/api/v1/staff/${member.id}`);
    // same fields, values and key order as the detail (the answer is compared byte for byte)
    expect(JSON.stringify(me.body.data.profile)).toBe(JSON.stringify(detail.body.data));
    expect(me.body.data.profile).toMatchObject({ birthday: '1990-05-01', department: { name: 'me-dept' } });
    expect(me.body.data.profile.entryTime).not.toBeNull();
    // direct grants in menu order (m3 before m1), then what only an enabled group gives (m2); m4's group is deleted
    expect(me.body.data.menus.map((m) => m.id)).toEqual([m3, m1, m2]);
  });
});
