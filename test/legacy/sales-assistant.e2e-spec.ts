import { Client } from 'pg';
import { hashPassword, md5Hex } from '@app/auth';
import {
  createDepartment,
  createRole,
  createStaff,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';

interface Answer<T = unknown> {
  code: number;
  msg: string;
  data: T;
}
type Row = Record<string, unknown>;

/** The token of the seed's own examples (signed by the legacy system, expired in 2018). */
const SEED_TOKEN =
  'eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJBQTE2MTEiLCJkYXRhIjp7ImFjY291bnROYW1lIjoibGl1Y2hhbyIsImVtcENvZGUiOiJBQTE2MTEiLCJlbXBOYW1lIjoi5YiY6LaFW0FBMTYxMV0iLCJjaXR5Q29kZSI6IlNVWkhPVSIsImNpdHlOYW1lIjpudWxsLCJkcHJDb2RlIjpudWxsLCJkcHJOYW1lIjpudWxsLCJyb2xlQ29kZSI6bnVsbCwicm9sZU5hbWUiOm51bGx9LCJleHAiOjE1MzYxMTMwOTksImlhdCI6MTUzNTUwODI5OX0.OoLpECeSs8oAnWiZ9xc7E81UP_hTSGm7Wy1J_yjM43lXbu8dvT7MyhaW-1_FH50oX1kIM-7SPvmsF0hXzvy2gw';

const CUSTOMER_ROW_KEYS = [
  'wechatFriendStatus',
  'customerWechatId',
  'mobile',
  'rqrAmount',
  'customerCode',
  'salary',
  'exeStatus',
  'hasPolicy',
  'contactStatus',
  'hasHouse',
  'name',
  'comment',
  'hasCars',
  'job',
  'paymentDate',
  'rqrDuration',
  'isSecuityOrFund',
  'workPlace',
].sort();

const SMS_ROW_KEYS = [
  'sender',
  'receiver',
  'senderRole',
  'occurTime',
  'content',
  'senderMobile',
  'receiverMobile',
  'senderName',
  'receiverName',
  'signature',
  'sendStatus',
  'isRead',
].sort();

/** Seed 003 (融助手) replayed as its document writes every request; the platform API sees the same data. */
describe('legacy 003: 融助手 /api/account, /api/customer, /api/sms, /api/call, /api/wechat', () => {
  let stack: Stack;
  let admin: TestSession;
  let token: string;
  let app: HttpClient;
  /** 赵静 (AA0396), another salesperson (data scope own), signed in on her own phone. */
  let zhaoApp: HttpClient;
  const customers: Record<string, string> = {};

  const platformCustomer = async (id: string) =>
    (await admin.http.get<Answer<Row>>(`/api/v1/crm/customers/${id}`)).body.data;

  beforeAll(async () => {
    stack = await startStack({ label: 'legacy_003', withWorkflow: false });
    admin = await loginAsAdmin(stack.http);
    const sales = await createRole(admin.http, {
      code: 'sales003',
      permissions: ['crm:read', 'crm:write', 'crm:phone'],
      dataScope: 'own',
      name: '销售',
    });
    const department = await createDepartment(admin.http, '苏州销售部');
    const liu = await createStaff(admin.http, {
      account: 'liuchao',
      realName: '刘超',
      phone: '18516431436',
      departmentId: department,
      roleIds: [sales],
    });
    const zhao = await createStaff(admin.http, { account: 'zhaojing', realName: '赵静', roleIds: [sales] });
    zhaoApp = stack.http.withToken((await loginAs(stack.http, zhao.account, zhao.password)).accessToken);
    for (const [id, employeeNo] of [
      [liu.id, 'AA1611'],
      [zhao.id, 'AA0396'],
    ])
      expect((await admin.http.patch(`/api/v1/staff/${id}`, { employeeNo })).body).toMatchObject({
        code: 200,
      });
    // The seed's example password is 123456 (shorter than the platform's policy): store it directly.
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    await db.query('UPDATE core.staff SET password_hash = $1 WHERE id = $2', [
      await hashPassword('123456'),
      liu.id,
    ]);
    await db.end();

    const create = async (key: string, body: Row) => {
      const res = await admin.http.post<Answer<{ id: string }>>('/api/v1/crm/customers', body);
      expect(res.body).toMatchObject({ code: 200 });
      customers[key] = res.body.data.id;
    };
    await create('needs', {
      code: 'AAC13031400024',
      realName: 'AAC13031400024',
      phone: '13472764344',
      job: '企业主',
      stage: 1,
      ownerId: liu.id,
    });
    await create('comment', {
      code: 'AFC14101000001',
      realName: '普陀',
      phone: '13906509892',
      stage: 2,
      ownerId: liu.id,
    });
    await create('outsourced', { code: 'AAC5', realName: '外包客户', stage: 5, ownerId: liu.id });
    await create('member', { code: 'AAC6', realName: '会员客户', stage: 6, ownerId: liu.id });
    await create('friend', {
      code: 'AAC7',
      realName: '普陀2',
      phone: '18522222222',
      stage: 1,
      ownerId: liu.id,
    });
    await create('status', {
      code: 'AAC8',
      realName: '普陀3',
      phone: '18722222222',
      stage: 1,
      ownerId: liu.id,
    });
    await create('zhao', {
      code: 'AFC_ZHAO',
      realName: '赵的客户',
      phone: '13700000000',
      stage: 1,
      ownerId: zhao.id,
    });
    expect(
      (
        await admin.http.post('/api/v1/crm/sms-templates', {
          title: '回访模板',
          content: '恭喜你成功放款一个亿',
        })
      ).body,
    ).toMatchObject({ code: 200 });
    await admin.http.post('/api/v1/crm/sms-templates', {
      title: '回访模板1',
      content: '恭喜你成功放款三个亿',
    });
  }, 120_000);
  afterAll(() => stack?.stop());

  it('S003-03 POST /api/account/login with the example body answers {code:0, data:{userInfo, token}}', async () => {
    const res = await stack.http.post<Answer<{ userInfo: Row; token: string }>>('/api/account/login', {
      username: '1611',
      password: 'e10adc3949ba59abbe56e057f20f883e',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 0, msg: '操作成功' });
    expect(Object.keys(res.body).sort()).toEqual(['code', 'data', 'msg']);
    expect(Object.keys(res.body.data).sort()).toEqual(['token', 'userInfo']);
    const { userInfo } = res.body.data;
    expect(Object.keys(userInfo).sort()).toEqual(
      [
        'accountName',
        'cityCode',
        'cityName',
        'dprCode',
        'dprName',
        'empCode',
        'empName',
        'empWechatId',
        'empWorkMobile',
        'roleCode',
        'roleName',
      ].sort(),
    );
    expect(userInfo).toMatchObject({
      accountName: 'liuchao',
      empCode: 'AA1611',
      empName: '刘超[AA1611]',
      empWorkMobile: '18516431436',
      dprName: '苏州销售部',
      roleCode: 'sales003',
      roleName: '销售',
      cityCode: '',
      empWechatId: '',
    });
    for (const value of Object.values(userInfo)) expect(typeof value).toBe('string');
    // The login section returns the bare token.
    expect(res.body.data.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    token = res.body.data.token;
    app = stack.http.withHeaders({ authorization: `Bearer ${token}` });

    // Same record: the platform login with the plain password, the md5 login by other aliases.
    expect(
      (
        await stack.http.post<Answer>('/api/account/login', {
          username: 'AA1611',
          password: md5Hex('123456'),
        })
      ).body.code,
    ).toBe(0);
  });

  it('S003-03 a wrong password answers {code:1,msg:"用户名或密码错误"} with HTTP 200; a missing field names it', async () => {
    const wrong = await stack.http.post<Answer>('/api/account/login', {
      username: '1611',
      password: md5Hex('nope'),
    });
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({ code: 1, msg: '用户名或密码错误' });
    const unknown = await stack.http.post<Answer>('/api/account/login', {
      username: '9999',
      password: md5Hex('123456'),
    });
    expect(unknown.body).toEqual({ code: 1, msg: '用户名或密码错误' });
    const missing = await stack.http.post<Answer>('/api/account/login', { username: '1611' });
    expect(missing.status).toBe(200);
    expect(missing.body.code).toBe(1);
    expect(missing.body.msg).toContain('password');
  });

  it('S003-02 a missing, forged, expired or foreign token is {code:500,msg:"不合法的token"} here and 401 on /api/v1', async () => {
    const body = { customerExeStatus: 1, pageSize: 10, pageIndex: 1, empCode: 'AA1611' };
    // A revoked token (signed out through the platform) is refused as well.
    const other = await stack.http.post<Answer<{ token: string }>>('/api/account/login', {
      username: 'liuchao',
      password: md5Hex('123456'),
    });
    const revoked = other.body.data.token;
    expect((await stack.http.post('/api/v1/auth/logout', undefined, { token: revoked })).status).toBe(200);
    const cases: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${revoked}` },
      { authorization: `Bearer ${SEED_TOKEN}` }, // the seed's own example token
      { authorization: 'Bearer not-a-token' },
      { authorization: `Bearer ${token.slice(0, -3)}abc` },
    ];
    for (const headers of cases) {
      const res = await stack.http.post<Answer>('/api/customer/list', body, { headers });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ code: 500, msg: '不合法的token' });
    }
    const templates = await stack.http.get<Answer>('/api/sms/templates');
    expect(templates.body).toEqual({ code: 500, msg: '不合法的token' });
    // The platform keeps its own convention.
    const platform = await stack.http.get<Answer>('/api/v1/crm/customers');
    expect(platform.status).toBe(401);
    expect(platform.body.code).toBe(4004);
    // A bare token and the doubled prefix are accepted.
    for (const authorization of [token, `Bearer Bearer ${token}`]) {
      const res = await stack.http.post<Answer>('/api/customer/list', body, { headers: { authorization } });
      expect(res.body.code).toBe(0);
    }
  });

  it('S003-04 POST /api/customer/list with the example body: data {total (string), rows} in the example row shape', async () => {
    const res = await app.post<Answer<{ total: string; rows: Row[] }>>('/api/customer/list', {
      customerExeStatus: 1,
      pageSize: 10,
      pageIndex: 1,
      empCode: 'AA1611',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 0, msg: '操作成功' });
    expect(Object.keys(res.body.data).sort()).toEqual(['rows', 'total']);
    expect(res.body.data.total).toBe('3');
    const row = res.body.data.rows.find((r) => r.customerCode === 'AAC13031400024')!;
    expect(Object.keys(row).sort()).toEqual(CUSTOMER_ROW_KEYS);
    expect(row).toMatchObject({
      name: 'AAC13031400024',
      mobile: '13472764344',
      job: '企业主',
      exeStatus: 1,
      contactStatus: 0,
      wechatFriendStatus: 1,
      customerWechatId: '',
      comment: '',
      salary: '',
      isSecuityOrFund: 0,
    });
    for (const key of ['hasCars', 'hasPolicy', 'hasHouse', 'rqrDuration', 'rqrAmount'])
      expect(typeof row[key]).toBe('number');

    const list = async (body: Row) =>
      (await app.post<Answer<{ total: string; rows: Row[] }>>('/api/customer/list', body)).body.data;
    // 5 = 已成交 = stored 5 外包 and 6 会员; −1 = every stage; numbers as strings.
    expect(
      (await list({ customerExeStatus: 5, empCode: 'AA1611' })).rows.map((r) => r.exeStatus).sort(),
    ).toEqual([5, 6]);
    expect(
      (await list({ customerExeStatus: '-1', pageSize: '10', pageIndex: '1', refreshWX: '1' })).total,
    ).toBe('6');
    expect((await list({ customerExeStatus: -1, pageSize: 2, pageIndex: 3 })).rows).toHaveLength(2);
    // Another salesperson's customers are outside liuchao's scope: empty, never widened.
    expect(await list({ customerExeStatus: -1, empCode: 'AA0396' })).toEqual({ total: '0', rows: [] });
    const bad = await app.post<Answer>('/api/customer/list', { customerExeStatus: 9, pageSize: 'ten' });
    expect(bad.status).toBe(200);
    expect(bad.body.code).toBe(1);
    expect(bad.body.msg).toContain('customerExeStatus');
    expect(bad.body.msg).toContain('pageSize');

    // A CRM customer not yet in the pipeline (no stage) still answers exeStatus as the int the table
    // types it, 0 = unknown like the other ints the platform does not keep, not null.
    const owner = (await platformCustomer(customers.needs)) as { owner: { id: string } };
    const stageless = await admin.http.post<Answer<{ id: string }>>('/api/v1/crm/customers', {
      code: 'AAC_NOSTAGE',
      realName: '未分阶段',
      ownerId: owner.owner.id,
    });
    expect(stageless.body).toMatchObject({ code: 200 });
    const all = await list({ customerExeStatus: -1, pageSize: 200 });
    expect(all.rows.find((r) => r.customerCode === 'AAC_NOSTAGE')).toMatchObject({ exeStatus: 0 });
    await admin.http.delete(`/api/v1/crm/customers/${stageless.body.data.id}`);
  });

  it('S003-05 POST /api/customer/editComment: the example body edits the comment seen by GET /api/v1/crm/customers/{id}', async () => {
    const res = await app.post<Answer>('/api/customer/editComment', {
      customerCode: 'AFC14101000001',
      comment: '你好',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ msg: '编辑备注成功', code: 0, data: null });
    expect(await platformCustomer(customers.comment)).toMatchObject({ comment: '你好' });
    // The document's example, byte for byte, trailing comma included, is the old client's request.
    const literal = await app.request('POST', '/api/customer/editComment', {
      rawBody: '{\n  "customerCode": "AFC14101000001",\n  "comment":"你好",\n}',
      headers: { 'content-type': 'application/json' },
    });
    expect(literal.status).toBe(200);
    expect(JSON.parse(literal.text)).toEqual({ msg: '编辑备注成功', code: 0, data: null });
    // only the comma that closes the object goes: one inside a string stays
    const inString = await app.request('POST', '/api/customer/editComment', {
      rawBody: '{"customerCode": "AFC14101000001", "comment":"好,}",}',
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.parse(inString.text)).toMatchObject({ code: 0 });
    expect(await platformCustomer(customers.comment)).toMatchObject({ comment: '好,}' });
    // JSON that is broken otherwise still answers HTTP 400, never a 500.
    const broken = await app.request('POST', '/api/customer/editComment', {
      rawBody: '{"customerCode": "AFC14101000001", "comment":',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('not valid JSON');

    // ≤ 500 characters (code points, A-62).
    const ok500 = await app.post<Answer>('/api/customer/editComment', {
      customerCode: 'AFC14101000001',
      comment: '字'.repeat(500),
    });
    expect(ok500.body.code).toBe(0);
    const long = await app.post<Answer>('/api/customer/editComment', {
      customerCode: 'AFC14101000001',
      comment: '字'.repeat(501),
    });
    expect(long.status).toBe(200);
    expect(long.body.code).toBe(1);
    expect(long.body.msg).toContain('comment');
    expect(await platformCustomer(customers.comment)).toMatchObject({ comment: '字'.repeat(500) });

    // Denial from the platform: another salesperson's customer is not liuchao's to edit.
    const foreign = await app.post<Answer>('/api/customer/editComment', {
      customerCode: 'AFC_ZHAO',
      comment: 'mine now',
    });
    expect(foreign.status).toBe(200);
    expect(foreign.body.code).toBe(1);
    expect(await platformCustomer(customers.zhao)).toMatchObject({ comment: null });
    const unknown = await app.post<Answer>('/api/customer/editComment', {
      customerCode: 'NOPE',
      comment: 'x',
    });
    expect(unknown.body.code).toBe(1);
    // Outside the caller's scope is answered as unknown (DESIGN §3): the code given, never the
    // platform id nor a hint that the customer exists.
    expect(unknown.body.msg).toMatch(/NOPE/);
    expect(foreign.body.msg).toBe(unknown.body.msg.replace('NOPE', 'AFC_ZHAO'));
  });

  it('S003-06 GET /api/sms/templates answers data = [{id (string), title, content}]', async () => {
    const res = await app.get<Answer<Row[]>>('/api/sms/templates');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 0, msg: '操作成功' });
    expect(res.body.data.map((t) => Object.keys(t).sort())).toEqual([
      ['content', 'id', 'title'],
      ['content', 'id', 'title'],
    ]);
    expect(res.body.data.map((t) => [t.title, t.content])).toEqual([
      ['回访模板', '恭喜你成功放款一个亿'],
      ['回访模板1', '恭喜你成功放款三个亿'],
    ]);
    for (const t of res.body.data) expect(typeof t.id).toBe('string');
  });

  it('S003-07/08 POST /api/sms/addMessages (example array) then POST /api/sms/getMessages (example body)', async () => {
    const messages = [
      {
        sender: 'AFC14101000001',
        receiver: 'AA0396',
        senderRole: 2,
        occurTime: '2018-09-07 07:53:41.300',
        content: '1111客户给销售发短信测试',
        senderMobile: '13906509892',
        receiverMobile: '',
        senderName: 'AFC14101000001',
        receiverName: '赵静[AA0396]',
        signature: '【东方融资网】',
        sendStatus: 1,
        isRead: 1,
      },
      {
        sender: 'AA0396',
        receiver: 'AFC14101000001',
        senderRole: 1,
        occurTime: '2018-09-07 06:53:41.300',
        content: '22222销售给客户发短信测试',
        senderMobile: '',
        receiverMobile: '13906509892',
        senderName: '赵静[AA0396]',
        receiverName: 'AFC14101000001',
        signature: '【东方融资网】',
        sendStatus: 1,
        isRead: 1,
      },
    ];
    const res = await app.post<Answer<string>>('/api/sms/addMessages', messages);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: 0,
      msg: '操作成功',
      data: String(Date.parse('2018-09-06T23:53:41.300Z')),
    });
    // A replay stores nothing twice.
    expect((await app.post<Answer<string>>('/api/sms/addMessages', messages)).body.code).toBe(0);
    // A phone with nothing new (or freshly installed) sends its empty list and learns where to resume.
    expect((await app.post<Answer<string>>('/api/sms/addMessages', [])).body).toEqual(res.body);
    const badBatch = await app.post<Answer>('/api/sms/addMessages', [{ ...messages[0], senderRole: 7 }]);
    expect(badBatch.body.code).toBe(1);
    expect(badBatch.body.msg).toContain('senderRole');

    const list = await app.post<Answer<{ total: number; rows: Row[] }>>('/api/sms/getMessages', {
      empCode: 'AA0396',
      customerCode: 'AFC14101000001',
      customerMobile: '13906509892',
      empName: 'AFC14101000001',
      pageSize: 10,
      pageIndex: 1,
    });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ code: 0, msg: '操作成功' });
    expect(list.body.data.total).toBe(2);
    expect(list.body.data.rows.map((r) => Object.keys(r).sort())).toEqual([SMS_ROW_KEYS, SMS_ROW_KEYS]);
    expect(list.body.data.rows[0]).toEqual(messages[0]);
    expect(list.body.data.rows[1]).toEqual(messages[1]);
    // Same data on the platform.
    const platform = (await app.get<Answer<{ total: number }>>('/api/v1/crm/sms?customerMobile=13906509892'))
      .body;
    expect(platform).toMatchObject({ code: 200, data: { total: 2 } });
  });

  it('S003-09 POST /api/call/syncRecords: the example as written, hidden callers; data = last sync time (number); contact status reaches the platform', async () => {
    // The document's example exactly: its number is a placeholder, stored as the phone reported it
    const example = {
      mobile: 'xxxxxxxx',
      billSec: 40,
      callDate: '2018-08-30 18:30:55',
      empWorkMobile: '',
      empCode: 'XXXX',
      callStatus: 1,
    };
    const asWritten = await app.post<Answer<number>>('/api/call/syncRecords', [example]);
    expect(asWritten.status).toBe(200);
    expect(asWritten.body).toEqual({ msg: '操作成功', code: 0, data: Date.parse('2018-08-30T10:30:55Z') });

    // A phone's log with hidden callers (Android reports "" or "-2") beside a customer's call: every record
    // is stored (one refused row would refuse the batch at every sync), and only the customer is reached.
    const call = { billSec: 0, empWorkMobile: '', empCode: 'AA1611' };
    const res = await app.post<Answer<number>>('/api/call/syncRecords', [
      { ...call, mobile: '13472764344', billSec: 40, callDate: '2018-08-30 18:30:55', callStatus: 1 },
      { ...call, mobile: '', callDate: '2018-08-30 18:00:00', callStatus: 3 },
      { ...call, mobile: '-2', billSec: 31, callDate: '2018-08-30 17:00:00', callStatus: 4 },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ msg: '操作成功', code: 0, data: Date.parse('2018-08-30T10:30:55Z') });
    expect(await platformCustomer(customers.needs)).toMatchObject({ contactStatus: 1 });
    // an empty call log answers the last sync time, stores nothing
    expect((await app.post<Answer<number>>('/api/call/syncRecords', [])).body).toEqual(res.body);
    const stored = (
      await app.get<Answer<{ rows: { mobile: string }[] }>>('/api/v1/crm/calls?empCode=AA1611&pageSize=50')
    ).body.data.rows.map((r) => r.mobile);
    expect(stored).toEqual(expect.arrayContaining(['13472764344', '', '-2']));

    // longer than any number a phone reports: refused, the field named
    const tooLong = await app.post<Answer>('/api/call/syncRecords', [{ ...example, mobile: '1'.repeat(33) }]);
    expect(tooLong.body.code).toBe(1);
    expect(tooLong.body.msg).toContain('mobile');
  });

  it('S003-07/09 uploads are idempotent per phone (A-60): a message both salespeople upload, or a call another uploaded first, is kept for each uploader', async () => {
    // 赵静 texts 刘超: both are salespeople, so both phones hold the message and both upload it
    const between = {
      sender: 'AA0396',
      receiver: 'AA1611',
      senderRole: 1,
      occurTime: '2018-09-08 09:00:00.000',
      content: '同事之间的短信',
      senderMobile: '',
      receiverMobile: '',
      senderName: '赵静[AA0396]',
      receiverName: '刘超[AA1611]',
      signature: '【东方融资网】',
      sendStatus: 1,
      isRead: 1,
    };
    const smsOf = async (who: HttpClient) =>
      (
        await who.post<Answer<{ total: number; rows: Row[] }>>('/api/sms/getMessages', {
          empCode: 'AA0396',
          customerCode: 'AA1611',
          pageSize: 10,
          pageIndex: 1,
        })
      ).body.data;
    expect((await zhaoApp.post<Answer>('/api/sms/addMessages', [between])).body.code).toBe(0);
    expect((await app.post<Answer>('/api/sms/addMessages', [between])).body.code).toBe(0);
    expect((await smsOf(zhaoApp)).rows).toEqual([between]);
    expect((await smsOf(app)).rows).toEqual([between]);
    const last = Date.parse('2018-09-08T01:00:00Z');
    expect(
      (await admin.http.get<Answer<{ total: number }>>('/api/v1/crm/sms?customerCode=AA1611')).body.data
        .total,
    ).toBe(2);
    // the phone's own retry still stores nothing twice
    const retried = await app.post<Answer<string>>('/api/sms/addMessages', [between]);
    expect(retried.body.data).toBe(String(Math.max(last, Date.parse('2018-09-06T23:53:41.300Z'))));
    expect((await smsOf(app)).total).toBe(1);

    // a call record another salesperson uploaded first (here under 刘超's code) does not swallow his own
    const call = {
      mobile: '13472764344',
      billSec: 12,
      callDate: '2018-08-31 09:15:00',
      empWorkMobile: '',
      empCode: 'AA1611',
      callStatus: 2,
    };
    expect((await zhaoApp.post<Answer<number>>('/api/call/syncRecords', [call])).body.code).toBe(0);
    const own = await app.post<Answer<number>>('/api/call/syncRecords', [call]);
    expect(own.body).toEqual({ msg: '操作成功', code: 0, data: Date.parse('2018-08-31T01:15:00Z') });
    const calls = (
      await app.get<Answer<{ rows: { callDate: string; billSec: number }[] }>>(
        '/api/v1/crm/calls?mobile=13472764344',
      )
    ).body.data.rows;
    expect(calls.map((c) => Date.parse(c.callDate))).toContain(Date.parse('2018-08-31T01:15:00Z'));
  });

  it('S003-10 POST /api/wechat/addFriend (deprecated, example body) records 申请中: data 3', async () => {
    const res = await app.post<Answer>('/api/wechat/addFriend', {
      customerMobile: '18522222222',
      customerWechatId: '',
      customerName: '普陀',
      empWorkMobile: '18511111111',
      empWechatId: 'wxid_xbeakwi8vj9q22',
      empName: '黄埔',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ msg: '操作成功', code: 0, data: 3 });
    expect(await platformCustomer(customers.friend)).toMatchObject({ wechatStatus: 3 });
  });

  it('S003-11 POST /api/wechat/updateFriendStatus (example body); 6 as a string; other values and unknown mobiles are code 1', async () => {
    expect(
      (
        await app.post<Answer>('/api/wechat/updateFriendStatus', {
          customerMobile: '18722222222',
          friendStatus: '6',
        })
      ).body.code,
    ).toBe(0);
    expect(await platformCustomer(customers.status)).toMatchObject({ wechatStatus: 6 });
    const res = await app.post<Answer>('/api/wechat/updateFriendStatus', {
      customerMobile: '18722222222',
      friendStatus: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ msg: '操作成功', code: 0, data: null });
    expect(await platformCustomer(customers.status)).toMatchObject({ wechatStatus: 1 });

    const bad = await app.post<Answer>('/api/wechat/updateFriendStatus', {
      customerMobile: '18722222222',
      friendStatus: 2,
    });
    expect(bad.body.code).toBe(1);
    expect(bad.body.msg).toContain('friendStatus');
    // zhaojing's customer is outside liuchao's scope: not found, unchanged.
    const foreign = await app.post<Answer>('/api/wechat/updateFriendStatus', {
      customerMobile: '13700000000',
      friendStatus: 6,
    });
    expect(foreign.body.code).toBe(1);
    expect(await platformCustomer(customers.zhao)).toMatchObject({ wechatStatus: 1 });
  });

  it('S003-01 every seed-003 answer is {code,msg,data} JSON with HTTP 200; other seeds keep their envelopes', async () => {
    const res = await app.get('/api/sms/templates');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const other = await stack.http.get<Answer>('/currentProcessInstances/10/1'); // seed 000, no token
    expect(other.body.code).toBe(4004);
  });
});
