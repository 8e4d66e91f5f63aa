import {
  createDepartment,
  createRole,
  createStaff,
  type EnvelopeBody,
  type HttpClient,
  loginAsAdmin,
  type Stack,
  startStack,
  TEST_ADMIN_PASSWORD,
} from '@app/testing';

/*
 * Seed 001 (CRM 后台, /work/shared/seeds/001_*.txt) replayed as its document writes it: every request
 * example and parameter table (names, array and time formats), the session cookie of /api/user/login,
 * and every documented response field checked by name and type against the document's own examples.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Body = Record<string, Json>;
interface SeedAnswer {
  status: number;
  msg?: string;
  data?: Json;
  page_info?: { total: number; page: number; count: number };
  code?: number;
}

// ----------------------------------------------------------------- the document's response examples

const GROUP_ROW = {
  id: 1,
  groupName: '管理员',
  groupDetail: '管理员组',
  createTime: '2021-11-09 14:42:06',
  updateTime: '2021-11-09 14:42:43',
  status: 0,
};
/** rankId, rankType, jobId, isLogin answer 0 as in the example. */
const STAFF_ROW = {
  id: 1,
  number: 1,
  group: 1,
  nickName: 'tom',
  realName: 'tom li',
  headImageUrl: 'www.baidu.com',
  phoneNumber: '123456',
  sex: 3,
  roleId: 0,
  openId: 0,
  birthday: null,
  title: null,
  address: null,
  school: null,
  politicalAffiliation: null,
  education: null,
  rankId: 0,
  rankType: 0,
  departmentId: 0,
  jobId: 0,
  info: null,
  entryTime: null,
  officialTime: null,
  resignTime: null,
  lastLoginTime: null,
  isLogin: 0,
  createTime: '2021-11-09 15:26:57',
  updateTime: '2021-11-09 15:26:57',
  status: 1,
  note: null,
  group_name: ['管理员'],
};
const MENU_ROW = { id: 1, name: '客户管理', content: '', note: '' };
const USER_MENU_ROW = {
  phoneNumber: '15331761337',
  user_id: 2,
  realName: '小耳尖',
  number: '10000',
  nickName: '小耳尖',
  headImageUrl: 'http://data.eartip.cn/static/upload/avatar/avatar_1577689147112.png',
  sex: 1,
  birthday: '2020-09-01 00:00:00',
  title: 1,
  address: '云南耳尖',
  school: 'xx',
  education: '本科',
  entryTime: '2020-09-01 00:00:00',
  officialTime: '2020-09-02 00:00:00',
  resignTime: '2020-09-02 00:00:00',
  lastLoginTime: '2020-08-07 17:39:22',
  status: 1,
  menu: [MENU_ROW],
};
const ORGANIZATION_ROW = {
  id: 1,
  groupName: '国务院',
  groupDetail: '中南海',
  type: null,
  provience: '北京市',
  city: '北京市',
  county: '房山区',
  address: null,
  createTime: '2021-11-10 09:34:23',
  updateTime: '2021-11-10 09:34:23',
  status: 1,
  note: null,
};
const CUSTOMER_ROW = {
  id: 1,
  type: null,
  nickName: null,
  realName: 'Jerry',
  avatar: 'www.baidu.com',
  phoneNumber: '12345',
  job: null,
  sex: 3,
  password: null,
  session: null,
  cid: null,
  openId: null,
  level: 0,
  isVip: 0,
  isSenior: 0,
  vipDueTime: null,
  navigationDueTime: null,
  createTime: '2021-11-10 10:48:55',
  updateTime: '2021-11-10 10:48:55',
  status: 1,
  note: null,
  organization_name: ['工信部'],
};
const POTENTIAL_ROW = {
  id: 1,
  director: 'tom ai',
  recordTime: '2021-11-12 13:01:02',
  createTime: '2021-11-12 15:00:04',
  updateTime: '2021-11-12 15:00:04',
  status: 0,
  note: null,
  organization_name: '国务院',
};
const FOLLOW_ROW = {
  id: 3,
  potential_id: 1,
  event: null,
  attach: null,
  gain: null,
  recordTime: '2021-11-11 16:00:00',
  createTime: '2021-11-12 15:20:11',
  updateTime: '2021-11-12 15:20:11',
  status: 0,
  note: null,
  operator_name: 'tom ai',
  follower_name: ['tom ai', 'chally ai'],
  customer_name: ['Jerry', 'tom'],
};
const DEMAND_ROW = {
  id: 1,
  content: '季报',
  attach: null,
  recordTime: '2021-11-11 09:23:14',
  createTime: '2021-11-11 09:20:54',
  status: 0,
  note: null,
  operator_name: 'tom ai',
  organization_name: 'tom ai',
  follower_name: ['tom ai'],
  customer_name: ['Jerry'],
};
const SATISFY_ROW = {
  id: 1,
  value: 1,
  attach: null,
  recordTime: '2021-11-11 11:11:11',
  operator_id: 1,
  createTime: '2021-11-11 11:40:37',
  note: null,
  status: 0,
  customers_name: ['Jerry', 'tom'],
  organization_name: '国务院',
  operator_name: 'tom ai',
  follower_name: [],
};
const CONTRACT_ROW = {
  id: 1,
  organization_id: 1,
  name: '天下第一合同',
  code: null,
  amount: '112.00',
  sign_time: '2021-11-11 14:49:08',
  follower: ['tom ai', 'chally ai'],
  status: 0,
  aging_start_time: null,
  aging_end_time: null,
  remit_amount: null,
  remit_time: null,
  createTime: '2021-11-11 14:49:08',
  updateTime: '2021-11-11 14:49:08',
  note: null,
  organization_name: '国务院',
};
const SIGN_ROW = {
  organization_id: 83,
  sign_amount: '100000.00',
  sign_count: 1,
  min_sign_time: '2021-07-26 09:31:33',
};
const DEMAND_COUNT_ROW = { organization_id: 1, demand_count: 30, m_recordTime: '2021-07-16 14:00:00' };
const FOLLOW_COUNT_ROW = { organization_id: 1, follow_count: 2, min_sign_time: '2021-07-23 15:00:00' };
const PAGE_INFO = { total: 1, page: 1, count: 20 };

/** Example values that the document itself contradicts elsewhere: the type Flowdesk emits. */
const TYPE_OVERRIDES: Record<string, string> = {
  'staff.openId': 'string', // POST table: openId string; the example's 0 is a placeholder
  'usermenu.title': 'string', // POST table: title string; the user list example has null
};

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * Every documented field is present with the documented type: a non-null example value fixes the
 * type (and the `yyyy-MM-dd HH:mm:ss` form of times); a null example allows null or a scalar.
 */
function expectShape(actual: unknown, example: unknown, path: string): void {
  if (example === null) {
    expect([null, 'string', 'number'].includes(actual === null ? null : typeof actual)).toBe(true);
    return;
  }
  if (Array.isArray(example)) {
    if (!Array.isArray(actual)) throw new Error(`${path}: expected an array, got ${JSON.stringify(actual)}`);
    if (example.length > 0) for (const item of actual) expectShape(item, example[0], `${path}[]`);
    return;
  }
  if (typeof example === 'object') {
    if (typeof actual !== 'object' || actual === null)
      throw new Error(`${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [key, value] of Object.entries(example)) {
      if (!(key in actual)) throw new Error(`${path}.${key}: missing in ${JSON.stringify(actual)}`);
      expectShape((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  const wanted = TYPE_OVERRIDES[path] ?? typeof example;
  if (actual !== null && typeof actual !== wanted)
    throw new Error(`${path}: expected ${wanted}, got ${JSON.stringify(actual)}`);
  if (typeof example === 'string' && DATE_TIME.test(example) && actual !== null)
    expect(actual).toMatch(DATE_TIME);
}

function expectList(answer: SeedAnswer, example: object, name: string, atLeast = 1): Record<string, Json>[] {
  expect(answer).toMatchObject({ status: 0 });
  expect(Array.isArray(answer.data)).toBe(true);
  const rows = answer.data as Record<string, Json>[];
  expect(rows.length).toBeGreaterThanOrEqual(atLeast);
  for (const row of rows) expectShape(row, example, name);
  expectShape(answer.page_info, PAGE_INFO, `${name}.page_info`);
  return rows;
}

/** `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai, `daysAgo` days back. */
function seedTime(daysAgo: number): string {
  const at = new Date(Date.now() - daysAgo * 86_400_000 + 8 * 3_600_000);
  return at.toISOString().replace('T', ' ').slice(0, 19);
}

describe('legacy 001: CRM 后台', () => {
  let stack: Stack;
  let admin: HttpClient;
  let cookie = '';
  const phone = '13800000101';
  let memberId = 0;
  let groupId = 0;
  let orgId = 0;
  let orgBId = 0;
  let customerId = 0;
  let customerBId = 0;
  let potentialId = 0;
  let followId = 0;
  let demandId = 0;
  let satisfyId = 0;
  let contractId = 0;
  let menuId = 0;
  let adminId = 0;

  /** A seed-001 call: JSON body, query string, or form body; the session cookie unless told otherwise. */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: Body; form?: Record<string, string>; cookie?: string; token?: string } = {},
  ): Promise<{ http: number; body: SeedAnswer; setCookie: string | null }> {
    const headers: Record<string, string> = {};
    const jar = options.cookie ?? cookie;
    if (jar) headers.cookie = jar;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.body);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(options.form).toString();
    }
    const res = await fetch(`${stack.http.baseUrl}${path}`, { method, headers, body: payload });
    return {
      http: res.status,
      body: (await res.json()) as SeedAnswer,
      setCookie: res.headers.get('set-cookie'),
    };
  }
  const get = async (path: string, cookieJar?: string) =>
    (await call('GET', path, { cookie: cookieJar })).body;
  const post = async (path: string, body: Body, cookieJar?: string) =>
    (await call('POST', path, { body, cookie: cookieJar })).body;
  const created = (answer: SeedAnswer): number => {
    expect(answer).toMatchObject({ status: 0 });
    return (answer.data as { id: number }).id;
  };
  const platform = async <T>(path: string): Promise<T> => {
    const answer = await admin.get<EnvelopeBody<T>>(path);
    expect(answer.body.code).toBe(200);
    return answer.body.data;
  };

  beforeAll(async () => {
    stack = await startStack({ label: 'legacy_001', withWorkflow: false });
    const session = await loginAsAdmin(stack.http);
    admin = session.http;
    adminId = Number(session.staffId);
  });
  afterAll(() => stack?.stop());

  it('S001-10 POST /api/user/login {phoneNumber,password} answers {msg:"登陆成功",status:0} and sets the session cookie', async () => {
    const login = await call('POST', '/api/user/login', {
      body: { phoneNumber: 'admin', password: TEST_ADMIN_PASSWORD },
      cookie: '',
    });
    expect(login.http).toBe(200);
    expect(login.body).toMatchObject({ msg: '登陆成功', status: 0 });
    expect(typeof (login.body.data as { token: string }).token).toBe('string');
    // plain HTTP (the document's localhost:9015): not Secure, or the client would never send it back
    expect(login.setCookie).toMatch(
      /^flowdesk_token=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
    );
    cookie = login.setCookie!.split(';')[0];

    const wrong = await call('POST', '/api/user/login', {
      body: { phoneNumber: 'admin', password: 'not-the-password' },
      cookie: '',
    });
    expect(wrong.http).toBe(200);
    expect(wrong.body.status).toBe(1);
    // words a login form shows, an unknown phone alike (it said 令牌无效或已过期: wrong account or password)
    expect(wrong.body).toEqual({ status: 1, msg: '用户名或密码错误', code: 4004 });
    expect(wrong.setCookie).toBeNull();
    const unknown = await call('POST', '/api/user/login', {
      body: { phoneNumber: '13000000000', password: 'not-the-password' },
      cookie: '',
    });
    expect(unknown.body).toEqual(wrong.body);

    const anonymous = await call('GET', '/api/user/group', { cookie: '' });
    expect(anonymous.http).toBe(200);
    expect(anonymous.body).toMatchObject({ status: 1 });
  });

  it('S001-01…04 员工组: GET ?status=0 (the example URL), create and update by group_id, delgroup by GET and POST', async () => {
    groupId = created(await post('/api/user/group', { name: '销售组', content: '销售人员' }));
    expect(await post('/api/user/group', { group_id: groupId, name: '销售一组', content: '一组' })).toEqual({
      status: 0,
      msg: '操作成功',
      data: { id: groupId },
    });
    const list = await get('/api/user/group?status=0');
    expect(list.status).toBe(0);
    const rows = list.data as Record<string, Json>[];
    for (const row of rows) expectShape(row, GROUP_ROW, 'group');
    expect(rows.find((r) => r.id === groupId)).toMatchObject({
      groupName: '销售一组',
      groupDetail: '一组',
      status: 1,
    });

    const spare = created(await post('/api/user/group', { name: '临时组' }));
    expect(await get(`/api/user/delgroup?group_id=${spare}`)).toMatchObject({ status: 0 });
    const deleted = (await get('/api/user/group?status=-1')).data as Record<string, Json>[];
    expect(deleted.map((r) => r.id)).toContain(spare);
    expect(deleted.find((r) => r.id === spare)!.status).toBe(-1);
    const other = created(await post('/api/user/group', { name: '临时组2' }));
    const form = await call('POST', '/api/user/delgroup', { form: { group_id: String(other) } });
    expect(form.body).toMatchObject({ status: 0 });
    const all = (await get('/api/user/group?status=all')).data as Record<string, Json>[];
    expect(all.map((r) => r.id)).toEqual(expect.arrayContaining([groupId, spare, other]));
    expect((await platform<{ status: string }>(`/api/v1/groups/${other}`)).status).toBe('deleted');
  });

  it('S001-05…09 员工: create with every documented field, update by user_id, list with page/count/status/type/group_ids, deluser 0 and -1', async () => {
    memberId = created(
      await post('/api/user/user', {
        phoneNumber: phone,
        group_id: [groupId],
        number: 10001,
        nickName: 'tom',
        realName: 'tom li',
        headImageUrl: 'http://www.baidu.com/a.png',
        sex: 1,
        openId: 'wx-openid-1',
        title: '经理',
        address: '北京',
        school: '北大',
        politicalAffiliation: '群众',
        education: '本科',
        info: '简介',
        entryTime: '2020-12-11 00:00:02',
        officialTime: '2020-12-11 00:00:02',
        resignTime: '2020-12-11 00:00:02',
        role_id: 2,
      }),
    );
    expect(
      await post('/api/user/user', {
        user_id: memberId,
        nickName: 'tommy',
        group_id: [groupId],
        headImageUrl: 'www.baidu.com', // the document's example value, no scheme
        resignTime: '', // a form's empty field: not resigned
      }),
    ).toMatchObject({
      status: 0,
      msg: '操作成功',
    });
    const platformRow = await platform<{
      phone: string;
      employeeNo: string;
      nickName: string;
      entryTime: string;
    }>(`/api/v1/staff/${memberId}`);
    expect(platformRow).toMatchObject({ phone, employeeNo: '10001', nickName: 'tommy' });
    expect(platformRow.entryTime).toBe('2020-12-10T16:00:02.000Z');

    const list = await get(`/api/user/user?page=1&count=20&status=1&type=1&group_ids=[${groupId}]`);
    const rows = expectList(list, STAFF_ROW, 'staff');
    expect(list.page_info).toEqual({ total: 1, page: 1, count: 20 });
    expect(rows[0]).toMatchObject({
      id: memberId,
      number: 10001,
      group: groupId,
      phoneNumber: phone,
      sex: 1,
      roleId: 2,
      status: 1,
      entryTime: '2020-12-11 00:00:02',
      resignTime: null,
      headImageUrl: 'www.baidu.com',
      group_name: ['销售一组'],
    });
    expect(rows[0]).not.toHaveProperty('password');
    expectList(await get('/api/user/user'), STAFF_ROW, 'staff');

    const duplicate = await call('POST', '/api/user/user', {
      body: { phoneNumber: phone, group_id: [groupId] },
    });
    expect(duplicate.http).toBe(200);
    expect(duplicate.body).toMatchObject({ status: 1, code: 4090 });
    const courier = created(
      await post('/api/user/user', { phoneNumber: '13800000102', group_id: [groupId] }),
    );
    expect(await get(`/api/user/deluser?user_id=${courier}&status=0`)).toMatchObject({ status: 0 });
    const disabled = (await get('/api/user/user?status=0')).data as Record<string, Json>[];
    expect(disabled.map((r) => r.id)).toContain(courier);
    expect((await call('POST', '/api/user/deluser', { body: { user_id: courier } })).body).toMatchObject({
      status: 0,
    });
    const gone = (await get('/api/user/user?status=-1')).data as Record<string, Json>[];
    expect(gone.find((r) => r.id === courier)!.status).toBe(-1);
    expect(((await get('/api/user/user?status=all')).data as Json[]).length).toBeGreaterThanOrEqual(3);
  });

  it('S001-11, S001-12 员工修改密码 {phoneNumber,old_password,new_password} and 员工登出; the phone must be the caller’s', async () => {
    await admin.post(`/api/v1/staff/${memberId}/password-reset`, {
      password: 'Pw-member-123456',
      mustChangePassword: false,
    });
    const login = await call('POST', '/api/user/login', {
      form: { phoneNumber: phone, password: 'Pw-member-123456' },
      cookie: '',
    });
    expect(login.body).toMatchObject({ msg: '登陆成功', status: 0 });
    const memberCookie = login.setCookie!.split(';')[0];

    const wrongOld = await call('POST', '/api/user/password', {
      body: { phoneNumber: phone, old_password: 'not-the-old-one', new_password: 'Pw-member-654321' },
      cookie: memberCookie,
    });
    expect(wrongOld.http).toBe(200);
    expect(wrongOld.body.status).toBe(1);
    const notMine = await call('POST', '/api/user/password', {
      body: {
        phoneNumber: '13800000102',
        old_password: 'Pw-member-123456',
        new_password: 'Pw-member-654321',
      },
      cookie: memberCookie,
    });
    expect(notMine.http).toBe(200);
    expect(notMine.body).toMatchObject({ status: 1 });
    const changed = await call('POST', '/api/user/password', {
      body: { phoneNumber: phone, old_password: 'Pw-member-123456', new_password: 'Pw-member-654321' },
      cookie: memberCookie,
    });
    expect(changed.body).toEqual({ msg: '修改成功', status: 0 });
    const newCookie = changed.setCookie!.split(';')[0];
    // the old session ended with the change
    expect((await call('POST', '/api/user/logout', { body: {}, cookie: memberCookie })).body.status).toBe(1);

    const logout = await call('POST', '/api/user/logout', {
      body: { phoneNumber: phone, password: 'whatever' },
      cookie: newCookie,
    });
    expect(logout.body).toEqual({ msg: '登出成功', status: 0 });
    expect((await call('GET', '/api/user/menu', { cookie: newCookie })).body.status).toBe(1);
    expect(
      (
        await call('POST', '/api/user/login', {
          body: { phoneNumber: phone, password: 'Pw-member-654321' },
          cookie: '',
        })
      ).body.status,
    ).toBe(0);
  });

  it('S001-13…19 菜单配置项 create/update/delete by menu_id and name; 员工菜单 GET one and all, POST menu ids', async () => {
    menuId = created(await post('/api/user/menu', { name: '客户管理', content: '客户', note: '备注' }));
    expect(
      await post('/api/user/menu', { menu_id: menuId, name: '客户管理2', content: '', note: '' }),
    ).toMatchObject({
      status: 0,
    });
    const spare = created(await post('/api/user/menu', { name: '拜访记录' }));
    expect(await post('/api/user/menu', { menu_id: spare })).toMatchObject({ status: 0, msg: '操作成功' });
    const list = await get('/api/user/menu?page=1&count=20');
    const rows = expectList(list, MENU_ROW, 'menu');
    expect(rows.find((r) => r.id === menuId)).toMatchObject({ name: '客户管理2' });
    expect(rows.map((r) => r.id)).not.toContain(spare);

    expect(await post('/api/user/usermenu', { user_id: memberId, menu: [menuId] })).toEqual({
      status: 0,
      msg: '修改成功',
    });
    const one = expectList(await get(`/api/user/usermenu?user_id=${memberId}`), USER_MENU_ROW, 'usermenu');
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ user_id: memberId, phoneNumber: phone, number: '10001' });
    expect((one[0].menu as Json[]).map((m) => (m as { id: number }).id)).toEqual([menuId]);
    const everyone = expectList(await get('/api/user/usermenu?page=1&count=20'), USER_MENU_ROW, 'usermenu');
    expect(everyone.map((r) => r.user_id)).toContain(memberId);
    const grants = await platform<{ menus: { id: string }[] }>(`/api/v1/staff/${memberId}/menus`);
    expect(grants.menus.map((m) => m.id)).toEqual([String(menuId)]);
  });

  it('S001-20…24 客户单位: create with every documented field, update, list filters, delorganization -1 and 1', async () => {
    orgId = created(
      await post('/api/customers/organization', {
        groupName: '国务院',
        groupDetail: '中南海',
        provience: '北京市',
        city: '北京市',
        county: '房山区',
        address: '西长安街',
        note: '重点',
        legal_person: '张三',
        register_capital: '1000万',
        registerDate: '2020-12-12',
        website: 'http://www.gov.cn',
        creator_id: adminId,
      }),
    );
    orgBId = created(await post('/api/customers/organization', { groupName: '工信部', provience: '北京市' }));
    expect(
      await post('/api/customers/organization', { organization_id: orgBId, county: '朝阳区' }),
    ).toMatchObject({
      status: 0,
    });
    const list = await get(
      `/api/customers/organization?organization_name=${encodeURIComponent('国务')}&status=1&page=1&count=20&creator_id=${adminId}`,
    );
    const rows = expectList(list, ORGANIZATION_ROW, 'organization');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: orgId, groupName: '国务院', provience: '北京市', status: 1 });
    expect(rows[0]).toMatchObject({
      legal_person: '张三',
      register_capital: '1000万',
      registerDate: '2020-12-12',
    });

    const spare = created(await post('/api/customers/organization', { groupName: '临时单位' }));
    expect(await get(`/api/customers/delorganization?organization_id=${spare}&status=-1`)).toMatchObject({
      status: 0,
    });
    const deleted = expectList(
      await get('/api/customers/organization?status=-1'),
      ORGANIZATION_ROW,
      'organization',
    );
    expect(deleted.find((r) => r.id === spare)!.status).toBe(-1);
    expect(
      (
        await call('POST', '/api/customers/delorganization', {
          form: { organization_id: String(spare), status: '1' },
        })
      ).body,
    ).toMatchObject({ status: 0 });
    expect((await platform<{ status: string }>(`/api/v1/crm/organizations/${spare}`)).status).toBe('normal');
  });

  it('S001-25…28 客户: created through seed 001 it is in GET /api/v1/crm/customers/{id}; created on the platform it is in /api/customers/customers', async () => {
    customerId = created(
      await post('/api/customers/customers', {
        type: '政府',
        organization_id: [orgId],
        nickName: 'J',
        realName: 'Jerry',
        avatar: 'www.baidu.com', // the document's own example value, no scheme
        phoneNumber: '13900000001',
        job: 3,
        sex: 1,
        cid: 'c-1',
        openId: 'o-1',
        level: '2',
        isVip: 1,
        isSenior: 0,
        vipDueTime: '2020-12-12 11:11:11',
        navigationDueTime: '2020-12-12 11:11:11',
        note: '备注',
        legal_person: '李四',
        register_capital: '10万',
        registerDate: '2020-12-12',
        website: 'http://jerry.example.com',
        creator_id: adminId,
      }),
    );
    const onPlatform = await platform<{
      realName: string;
      phone: string;
      isVip: boolean;
      level: number;
      sex: string;
      organizations: { id: string }[];
      vipDueTime: string;
    }>(`/api/v1/crm/customers/${customerId}`);
    expect(onPlatform).toMatchObject({
      realName: 'Jerry',
      phone: '13900000001',
      isVip: true,
      level: 2,
      sex: 'male',
    });
    expect(onPlatform.organizations.map((o) => o.id)).toEqual([String(orgId)]);
    expect(onPlatform.vipDueTime).toBe('2020-12-12T03:11:11.000Z');

    const fromPlatform = await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/crm/customers', {
      realName: 'tom',
      phone: '13900000002',
      organizationIds: [String(orgBId)],
    });
    customerBId = Number(fromPlatform.body.data.id);
    const list = await get(`/api/customers/customers?organization_name=${encodeURIComponent('工信')}`);
    const rows = expectList(list, CUSTOMER_ROW, 'customer');
    expect(rows.map((r) => r.id)).toEqual([customerBId]);
    expect(rows[0]).toMatchObject({
      realName: 'tom',
      phoneNumber: '13900000002',
      organization_name: ['工信部'],
    });

    expect(
      await post('/api/customers/customers', {
        customer_id: customerId,
        note: '改了',
        organization_id: [orgId, orgBId],
      }),
    ).toMatchObject({ status: 0 });
    const mine = expectList(
      await get(
        `/api/customers/customers?organization_id=${orgId}&name=Jer&status=1&phoneNumber=13900000001&page=1&count=20&creator_id=${adminId}`,
      ),
      CUSTOMER_ROW,
      'customer',
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      id: customerId,
      avatar: 'www.baidu.com',
      job: 3, // sent as a number, answered as that number
      cid: 'c-1',
      openId: 'o-1',
      isVip: 1,
      sex: 1,
      password: null,
      session: null,
      note: '改了',
      vipDueTime: '2020-12-12 11:11:11',
      organization_name: ['国务院', '工信部'],
    });

    const spare = created(await post('/api/customers/customers', { realName: '临时' }));
    expect(await get(`/api/customers/delcustomer?customer_id=${spare}`)).toMatchObject({ status: 0 });
    expect((await platform<{ status: string }>(`/api/v1/crm/customers/${spare}`)).status).toBe('deleted');
    const spare2 = created(await post('/api/customers/customers', { realName: '临时2' }));
    expect(
      (await call('POST', '/api/customers/delcustomer', { body: { customer_id: spare2 } })).body,
    ).toMatchObject({ status: 0 });
    const deleted = expectList(await get('/api/customers/customers?status=-1'), CUSTOMER_ROW, 'customer', 2);
    expect(deleted.every((r) => r.status === -1)).toBe(true);
    expect(((await get('/api/customers/customers?status=all')).data as Json[]).length).toBeGreaterThanOrEqual(
      4,
    );
  });

  it('S001-29…34 潜在客户记录: create, update by protent_id, list filters and one by potent_id, delpotent -1 and 0…3', async () => {
    potentialId = created(
      await post('/api/record/potential', {
        organization_id: orgId,
        director_id: memberId,
        record_time: seedTime(1),
        note: '介入',
      }),
    );
    expect(await post('/api/record/potential', { protent_id: potentialId, note: '已介入' })).toMatchObject({
      status: 0,
    });
    const list = await get(
      `/api/record/potential?organization_id=${orgId}&director_id=${memberId}&start_time=${encodeURIComponent(seedTime(3))}&end_time=${encodeURIComponent(seedTime(0))}&page=1&count=20&status=all`,
    );
    const rows = expectList(list, POTENTIAL_ROW, 'potential');
    expect(rows[0]).toMatchObject({
      id: potentialId,
      director: 'tom li',
      status: 0,
      note: '已介入',
      organization_name: '国务院',
    });
    const one = expectList(
      await get(`/api/record/potential?potent_id=${potentialId}`),
      POTENTIAL_ROW,
      'potential',
    );
    expect(one.map((r) => r.id)).toEqual([potentialId]);

    expect(await get(`/api/record/delpotent?potent_id=${potentialId}&status=-1`)).toMatchObject({
      status: 0,
    });
    expect((await get(`/api/record/potential?potent_id=${potentialId}`)).data).toEqual([
      expect.objectContaining({ status: -1 }),
    ]);
    expect(
      (await call('POST', '/api/record/delpotent', { body: { protent_id: potentialId, status: 1 } })).body,
    ).toMatchObject({ status: 0 });
    const back = await platform<{ status: number; deleted: boolean }>(
      `/api/v1/crm/potentials/${potentialId}`,
    );
    expect(back).toMatchObject({ status: 1, deleted: false });
    expect(expectList(await get('/api/record/potential'), POTENTIAL_ROW, 'potential')[0].status).toBe(1);
  });

  it('S001-35…38 拜访记录: create with protent_id, update by follow_id, list newest first, delfollow', async () => {
    const answer = await post('/api/record/follow', {
      protent_id: potentialId,
      customers_id: [customerId, customerBId],
      follower_id: [memberId, adminId],
      record_time: seedTime(2),
      event: 2,
      gain: '有意向',
      event_attach: 'http://files.example.com/chat.png',
      event_note: '走访',
    });
    expect(answer).toMatchObject({ status: 0, msg: '创建成功' });
    followId = created(answer);
    const newer = created(
      await post('/api/record/follow', {
        protent_id: potentialId,
        follower_id: [memberId],
        record_time: seedTime(1),
      }),
    );
    // the route's one documented answer, {status: 0, msg: '创建成功'}, for an update too
    expect(await post('/api/record/follow', { follow_id: followId, gain: '签约意向' })).toMatchObject({
      status: 0,
      msg: '创建成功',
    });
    const list = await get(
      `/api/record/follow?protent_id=${potentialId}&organization_id=${orgId}&start_time=${encodeURIComponent(seedTime(5))}&end_time=${encodeURIComponent(seedTime(0))}&page=1&count=20`,
    );
    const rows = expectList(list, FOLLOW_ROW, 'follow', 2);
    expect(rows.map((r) => r.id)).toEqual([newer, followId]);
    expect(rows[1]).toMatchObject({
      potential_id: potentialId,
      event: 2,
      attach: 'http://files.example.com/chat.png',
      gain: '签约意向',
      note: '走访',
      follower_name: ['tom li', expect.any(String)],
      customer_name: ['Jerry', 'tom'],
    });
    expectList(await get('/api/record/follow'), FOLLOW_ROW, 'follow');
    expect(await get(`/api/record/delfollow?follow_id=${newer}`)).toMatchObject({ status: 0 });
    expect((await platform<{ deleted: boolean }>(`/api/v1/crm/follow-ups/${newer}`)).deleted).toBe(true);
  });

  it('S001-39…42 需求变更记录: create, update by demand_id, list with organization_id, deldemand', async () => {
    demandId = created(
      await post('/api/record/demand', {
        customer_id: [customerId],
        organization_id: orgId,
        follower_id: [memberId],
        record_time: seedTime(1),
        content: '季报',
        demand_attach: 'http://files.example.com/d.png',
        demand_note: '急',
      }),
    );
    expect(await post('/api/record/demand', { demand_id: demandId, content: '月报' })).toMatchObject({
      status: 0,
    });
    const rows = expectList(
      await get(
        `/api/record/demand?organization_id=${orgId}&start_time=${encodeURIComponent(seedTime(3))}&page=1&count=20`,
      ),
      DEMAND_ROW,
      'demand',
    );
    expect(rows[0]).toMatchObject({
      id: demandId,
      content: '月报',
      note: '急',
      organization_name: '国务院',
      follower_name: ['tom li'],
      customer_name: ['Jerry'],
    });
    const spare = created(
      await post('/api/record/demand', {
        organization_id: orgId,
        follower_id: [memberId],
        record_time: seedTime(1),
        content: 'x',
      }),
    );
    expect(
      (await call('POST', '/api/record/deldemand', { form: { demand_id: String(spare) } })).body,
    ).toMatchObject({ status: 0 });
    expect((await platform<{ deleted: boolean }>(`/api/v1/crm/demands/${spare}`)).deleted).toBe(true);
  });

  it('S001-43…46 满意度: the document’s example body {customers_id:1,record_time,follower_id:[1,2],value:4}, update, list, delsatisfy', async () => {
    // The example with this database's ids: one customer as a number, no organization.
    const answer = await post('/api/feedback/satisfy', {
      customers_id: customerBId,
      record_time: '2021-07-15 01:02:30',
      follower_id: [memberId, adminId],
      value: 4,
    });
    expect(answer).toMatchObject({ status: 0, msg: '录入成功' });
    satisfyId = created(answer);
    expect(
      (await platform<{ organizationId: string }>(`/api/v1/crm/satisfaction/${satisfyId}`)).organizationId,
    ).toBe(String(orgBId));
    expect(
      await post('/api/feedback/satisfy', { satisfy_id: satisfyId, value: -3, note: '不满' }),
    ).toMatchObject({ status: 0, msg: '录入成功' }); // the route's one documented answer
    const rows = expectList(
      await get(
        `/api/feedback/satisfy?organization_id=${orgBId}&customers_id=[${customerBId}]&start_time=${encodeURIComponent('2021-07-01 00:00:00')}&end_time=${encodeURIComponent('2021-08-01 00:00:00')}&page=1&count=20`,
      ),
      SATISFY_ROW,
      'satisfy',
    );
    expect(rows[0]).toMatchObject({
      id: satisfyId,
      value: -3,
      recordTime: '2021-07-15 01:02:30',
      operator_id: adminId,
      customers_name: ['tom'],
      organization_name: '工信部',
      follower_name: ['tom li', expect.any(String)],
    });
    const full = await post('/api/feedback/satisfy', {
      organization_id: orgId,
      customers_id: [customerId],
      record_time: seedTime(1),
      follower_id: [memberId],
      attach: 'http://files.example.com/s.png',
      value: 10,
      note: '好',
    });
    expectList(await get('/api/feedback/satisfy'), SATISFY_ROW, 'satisfy');
    expect(await get(`/api/feedback/delsatisfy?satisfy_id=${created(full)}`)).toEqual({
      status: 0,
      msg: '删除成功',
    });
  });

  it('S001-47…50 合同记录: create with every documented field, update by contract_id, list (one-year window), delcontract', async () => {
    contractId = created(
      await post('/api/contract/contract', {
        organization_id: orgId,
        name: '天下第一合同',
        sign_time: seedTime(2),
        code: 'HT-001',
        amount: 112,
        remit_amount: '100.5',
        remit_time: '2022-01-01 12:00:00',
        creator_id: adminId,
        follower_id: [memberId, adminId],
        editor_id: 34,
        note: '首单',
      }),
    );
    expect(await post('/api/contract/contract', { contract_id: contractId, amount: '1200000' })).toEqual({
      status: 0,
      msg: '操作成功',
      data: { id: contractId },
    });
    const old = created(
      await post('/api/contract/contract', {
        organization_id: orgBId,
        name: '旧合同',
        sign_time: seedTime(200),
      }),
    );
    const rows = expectList(await get('/api/contract/contract'), CONTRACT_ROW, 'contract', 2);
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([contractId, old]));
    const mine = expectList(
      await get(
        `/api/contract/contract?organization_id=${orgId}&start_time=${encodeURIComponent(seedTime(10))}&end_time=${encodeURIComponent(seedTime(0))}&page=1&count=20`,
      ),
      CONTRACT_ROW,
      'contract',
    );
    expect(mine[0]).toMatchObject({
      id: contractId,
      organization_id: orgId,
      amount: '1200000.00',
      remit_amount: '100.50',
      remit_time: '2022-01-01 12:00:00',
      code: 'HT-001',
      follower: ['tom li', expect.any(String)],
      organization_name: '国务院',
      aging_start_time: null,
    });
    expect(await get(`/api/contract/delcontract?contract_id=${old}`)).toEqual({ status: 0, msg: '删除成功' });
    expect((await platform<{ deleted: boolean }>(`/api/v1/crm/contracts/${old}`)).deleted).toBe(true);
  });

  it('S001-51…53 统计: sign answers data + page_info, demand and follow answer data = [rows, page_info]', async () => {
    const window = `start_time=${encodeURIComponent(seedTime(7))}&end_time=${encodeURIComponent(seedTime(0))}`;
    const sign = await get(`/api/stats/sign?organization_ids=[${orgId},${orgBId}]&${window}&page=1&count=20`);
    const signRows = expectList(sign, SIGN_ROW, 'sign');
    expect(signRows).toEqual([
      expect.objectContaining({ organization_id: orgId, sign_amount: '1200000.00', sign_count: 1 }),
    ]);
    expectList(await get('/api/stats/sign'), SIGN_ROW, 'sign');

    for (const [path, example, key] of [
      ['/api/stats/demand', DEMAND_COUNT_ROW, 'demand_count'],
      ['/api/stats/follow', FOLLOW_COUNT_ROW, 'follow_count'],
    ] as const) {
      const answer = await get(`${path}?organization_ids=[${orgId}]&${window}`);
      expect(answer.status).toBe(0);
      const [rows, info] = answer.data as [Record<string, Json>[], Json];
      expect(rows.length).toBe(1);
      for (const row of rows) expectShape(row, example, path);
      expectShape(info, PAGE_INFO, `${path}.page_info`);
      expect(rows[0]).toMatchObject({ organization_id: orgId, [key]: 1 });
      expect(answer).not.toHaveProperty('page_info');
      const all = (await get(path)).data as [Json[], Json];
      expect(Array.isArray(all[0])).toBe(true);
    }
  });

  it("A-38 统计 rows in the examples' order: sign newest min_sign_time first (83, 84, 1), demand most changes first (30, 10, 5, 2)", async () => {
    const older = created(await post('/api/customers/organization', { groupName: '排序甲' }));
    const newer = created(await post('/api/customers/organization', { groupName: '排序乙' }));
    const follower_id = [adminId];
    for (const [organization_id, days] of [
      [older, 3],
      [newer, 1],
    ])
      created(
        await post('/api/contract/contract', {
          organization_id,
          name: '排序合同',
          sign_time: seedTime(days),
        }),
      );
    for (const organization_id of [older, newer, newer])
      created(
        await post('/api/record/demand', {
          organization_id,
          follower_id,
          record_time: seedTime(1),
          content: '变更',
        }),
      );
    const ids = `organization_ids=[${older},${newer}]`;
    // the organization with the higher id signed last: it comes first
    const sign = (await get(`/api/stats/sign?${ids}`)).data as { organization_id: number }[];
    expect(sign.map((r) => r.organization_id)).toEqual([newer, older]);
    const [demand] = (await get(`/api/stats/demand?${ids}`)).data as [{ organization_id: number }[]];
    expect(demand.map((r) => r.organization_id)).toEqual([newer, older]);
  });

  it('A-88 page= and count= sent empty (默认1 / 默认20) answer as page=1&count=20 on every list, not status 1', async () => {
    for (const list of [
      '/api/user/user',
      '/api/user/menu',
      '/api/user/usermenu',
      '/api/customers/organization',
      '/api/customers/customers',
      '/api/record/potential',
      `/api/record/follow?protent_id=${potentialId}`,
      '/api/record/demand',
      '/api/feedback/satisfy',
      '/api/contract/contract',
      '/api/stats/sign',
      '/api/stats/demand',
      '/api/stats/follow',
    ]) {
      const join = list.includes('?') ? '&' : '?';
      const empty = await get(`${list}${join}page=&count=`);
      expect({ list, empty }).toEqual({ list, empty: await get(`${list}${join}page=1&count=20`) });
      expect({ list, status: empty.status }).toEqual({ list, status: 0 });
    }
  });

  it('A-10 form bodies carry arrays as form clients send them (jQuery `key[]=`, repeated keys); 员工菜单 without its required menu is refused, not a wipe', async () => {
    const form = async (path: string, body: string) => {
      const res = await fetch(`${stack.http.baseUrl}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      return (await res.json()) as SeedAnswer;
    };
    const second = created(await post('/api/user/group', { name: '表单组' }));
    // $.post('/api/user/user', {phoneNumber, group_id: [a, b]}) sends group_id[]=a&group_id[]=b
    const jq = created(
      await form(
        '/api/user/user',
        `phoneNumber=13800000777&realName=jq&group_id%5B%5D=${groupId}&group_id%5B%5D=${second}`,
      ),
    );
    const members = (await get('/api/user/user?status=all&count=200')).data as Record<string, Json>[];
    const groups = (await get('/api/user/group?status=all')).data as { id: number; groupName: string }[];
    const nameOf = (id: number) => groups.find((g) => g.id === id)!.groupName;
    expect((members.find((m) => m.id === jq)!.group_name as string[]).sort()).toEqual(
      [nameOf(groupId), nameOf(second)].sort(),
    );
    // an HTML form or a Java client repeats the key: follower_id=a&follower_id=b
    const follow = created(
      await form(
        '/api/record/follow',
        `protent_id=${potentialId}&follower_id=${adminId}&follower_id=${jq}&record_time=${encodeURIComponent(seedTime(0))}`,
      ),
    );
    const follows = (await get(`/api/record/follow?protent_id=${potentialId}&count=200`)).data as Record<
      string,
      Json
    >[];
    expect((follows.find((f) => f.id === follow)!.follower_name as string[]).length).toBe(2);
    // 员工菜单 POST: menu[]=id sets it; without menu (是, required) nothing changes
    expect(await form('/api/user/usermenu', `user_id=${jq}&menu%5B%5D=${menuId}`)).toMatchObject({
      status: 0,
    });
    const menusOf = async () =>
      ((await get(`/api/user/usermenu?user_id=${jq}`)).data as { menu: { id: number }[] }[])[0].menu.map(
        (m) => m.id,
      );
    expect(await menusOf()).toEqual([menuId]);
    const refused = await form('/api/user/usermenu', `user_id=${jq}`);
    expect(refused).toMatchObject({ status: 1 });
    expect(refused.msg).toContain('menu');
    expect(await menusOf()).toEqual([menuId]);
  });

  it('A-35 附件url: a file on the legacy server itself (http://localhost:9015/…) or on an intranet host is an attachment too; javascript: is not', async () => {
    // the document's own host is localhost:9015; its screenshots lived on such servers, not on public domains
    const org = created(await post('/api/customers/organization', { groupName: '附件单位' }));
    const potential = created(
      await post('/api/record/potential', {
        organization_id: org,
        director_id: memberId,
        record_time: seedTime(1),
      }),
    );
    for (const attach of ['http://localhost:9015/static/upload/chat.png', 'http://oa-files/upload/d.png']) {
      const follow = await post('/api/record/follow', {
        protent_id: potential,
        follower_id: [memberId],
        record_time: seedTime(1),
        event_attach: attach,
      });
      expect(follow).toMatchObject({ status: 0, msg: '创建成功' });
      expect(
        await post('/api/record/demand', {
          organization_id: org,
          follower_id: [memberId],
          record_time: seedTime(1),
          content: '附件',
          demand_attach: attach,
        }),
      ).toMatchObject({ status: 0 });
      expect(
        await post('/api/feedback/satisfy', {
          organization_id: org,
          record_time: seedTime(1),
          value: 1,
          attach,
        }),
      ).toMatchObject({ status: 0, msg: '录入成功' });
      expect(
        await post('/api/customers/customers', {
          realName: '附件客户',
          organization_id: [org],
          avatar: attach,
        }),
      ).toMatchObject({ status: 0 });
    }
    expect(
      await post('/api/record/follow', {
        protent_id: potential,
        follower_id: [memberId],
        record_time: seedTime(1),
        event_attach: 'javascript:alert(1)',
      }),
    ).toMatchObject({ status: 1, code: 4101 });
  });

  it('bad input answers {status:1,msg:"<field>: <why>"} with HTTP 200, never a 500', async () => {
    const cases: [string, Body, string][] = [
      ['/api/customers/customers', { phoneNumber: '1' }, 'realName: '],
      ['/api/feedback/satisfy', { organization_id: orgId, record_time: seedTime(1), value: 20 }, 'value: '],
      [
        '/api/record/potential',
        { organization_id: orgId, director_id: memberId, record_time: 'yesterday' },
        'record_time: ',
      ],
      [
        '/api/record/follow',
        { protent_id: 'abc', follower_id: [memberId], record_time: seedTime(1) },
        'protent_id: ',
      ],
      [
        '/api/contract/contract',
        { organization_id: orgId, name: 'x', sign_time: seedTime(1), amount: 'lots' },
        'amount: ',
      ],
      ['/api/user/user', { group_id: [groupId] }, 'phoneNumber: '],
      ['/api/customers/organization', { organization_id: orgId, groupName: '' }, 'groupName: '],
    ];
    for (const [path, body, prefix] of cases) {
      const answer = await call('POST', path, { body });
      expect(answer.http).toBe(200);
      expect(answer.body.status).toBe(1);
      expect(answer.body.msg!.startsWith(prefix)).toBe(true);
    }
    for (const path of [
      '/api/customers/delcustomer',
      '/api/record/deldemand?demand_id=x',
      '/api/user/user?status=9',
      '/api/contract/contract?count=1000',
      '/api/stats/sign?start_time=never',
    ]) {
      const answer = await call('GET', path);
      expect(answer.http).toBe(200);
      expect(answer.body).toMatchObject({ status: 1, msg: expect.stringMatching(/^[a-z_]+: /) });
    }
    for (const raw of ['[1,2]', '"text"', 'null']) {
      const res = await fetch(`${stack.http.baseUrl}/api/customers/customers`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: raw,
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as SeedAnswer).status).toBe(1);
    }
    // Malformed JSON is a transport error: it keeps HTTP 400 on every surface.
    const malformed = await fetch(`${stack.http.baseUrl}/api/customers/customers`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(malformed.status).toBe(400);
    const noBody = await fetch(`${stack.http.baseUrl}/api/user/delgroup`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(noBody.status).toBe(200);
    expect((await noBody.json()) as SeedAnswer).toMatchObject({
      status: 1,
      msg: expect.stringMatching(/^group_id: /),
    });
    const repeated = await call('GET', '/api/customers/customers?page=1&page=2');
    expect(repeated.http).toBe(200);
    expect(repeated.body).toMatchObject({ status: 1, msg: expect.stringMatching(/^page: /) });
    const unknown = await call('POST', '/api/customers/customers', {
      body: { customer_id: 999999, note: 'x' },
    });
    expect(unknown.http).toBe(200);
    expect(unknown.body.status).toBe(1);
  });

  it('object-level scope: a member of another department can neither read nor edit a customer through the compat routes', async () => {
    const [deptA, deptB] = [await createDepartment(admin, '一部'), await createDepartment(admin, '二部')];
    const role = await createRole(admin, {
      code: 'crm_dept',
      permissions: ['crm:read', 'crm:write', 'stats:read'],
      dataScope: 'department',
    });
    const alice = await createStaff(admin, {
      account: 'alice001',
      phone: '13700000001',
      departmentId: deptA,
      roleIds: [role],
    });
    const bob = await createStaff(admin, {
      account: 'bob001',
      phone: '13700000002',
      departmentId: deptB,
      roleIds: [role],
    });
    const cookieOf = async (phoneNumber: string, password: string) =>
      (
        await call('POST', '/api/user/login', { body: { phoneNumber, password }, cookie: '' })
      ).setCookie!.split(';')[0];
    const aliceCookie = await cookieOf('13700000001', alice.password);
    const bobCookie = await cookieOf('13700000002', bob.password);

    const org = created(
      await post('/api/customers/organization', { groupName: '一部客户单位' }, aliceCookie),
    );
    const secret = created(
      await post('/api/customers/customers', { realName: '一部客户', organization_id: [org] }, aliceCookie),
    );
    expect(((await get('/api/customers/customers', aliceCookie)).data as Body[]).map((r) => r.id)).toContain(
      secret,
    );

    const bobList = await get('/api/customers/customers?status=all', bobCookie);
    expect(bobList.status).toBe(0);
    expect((bobList.data as Body[]).map((r) => r.id)).not.toContain(secret);
    expect(
      ((await get(`/api/customers/customers?organization_id=${org}`, bobCookie)).data as Json[]).length,
    ).toBe(0);
    expect(
      ((await get('/api/customers/organization?status=all', bobCookie)).data as Body[]).map((r) => r.id),
    ).not.toContain(org);

    const foreignCreator = await call('POST', '/api/customers/organization', {
      body: { groupName: '冒名单位', creator_id: Number(alice.id) },
      cookie: bobCookie,
    });
    expect(foreignCreator.body.status).toBe(1); // creator_id outside the caller's scope
    const edit = await call('POST', '/api/customers/customers', {
      body: { customer_id: secret, note: 'hacked' },
      cookie: bobCookie,
    });
    expect(edit.http).toBe(200);
    expect(edit.body.status).toBe(1);
    const del = await call('GET', `/api/customers/delcustomer?customer_id=${secret}`, { cookie: bobCookie });
    expect(del.body.status).toBe(1);
    const potential = await call('POST', '/api/record/potential', {
      body: { organization_id: org, director_id: Number(bob.id), record_time: seedTime(1) },
      cookie: bobCookie,
    });
    expect(potential.body.status).toBe(1);
    const stillThere = await platform<{ note: string | null; status: string }>(
      `/api/v1/crm/customers/${secret}`,
    );
    expect(stillThere).toMatchObject({ note: null, status: 'normal' });

    // a member without staff permissions cannot reach the staff routes either
    expect((await get('/api/user/user', bobCookie)).status).toBe(1);
  });

  it('Swagger lists every seed-001 route under the tag "legacy 001: CRM 后台"', async () => {
    const doc = (
      await stack.http.get<{ paths: Record<string, Record<string, { tags?: string[] }>> }>('/docs-json')
    ).body;
    const routes = [
      'user/group',
      'user/delgroup',
      'user/user',
      'user/deluser',
      'user/login',
      'user/logout',
      'user/password',
      'user/menu',
      'user/usermenu',
      'customers/organization',
      'customers/delorganization',
      'customers/customers',
      'customers/delcustomer',
      'record/potential',
      'record/delpotent',
      'record/follow',
      'record/delfollow',
      'record/demand',
      'record/deldemand',
      'feedback/satisfy',
      'feedback/delsatisfy',
      'contract/contract',
      'contract/delcontract',
      'stats/sign',
      'stats/demand',
      'stats/follow',
    ];
    for (const route of routes) {
      const operations = doc.paths[`/api/${route}`];
      expect(operations).toBeDefined();
      for (const operation of Object.values(operations))
        expect(operation.tags).toContain('legacy 001: CRM 后台');
    }
    for (const route of routes.filter((r) => r.includes('/del')))
      expect(Object.keys(doc.paths[`/api/${route}`]).sort()).toEqual(['get', 'post']);
  });
});
