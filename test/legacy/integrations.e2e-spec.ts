import { Client } from 'pg';
import {
  createDepartment,
  createRole,
  createStaff,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { ok } from '../workflow/workflow-helpers';
import { FakeDingTalk } from './fakes/dingtalk.fake';
import { FakeK3Cloud } from './fakes/k3cloud.fake';

interface Answer<T = Record<string, unknown>> {
  code: number;
  msg: string;
  data: T;
}
interface Counts {
  create: number;
  update: number;
  link: number;
  unchanged: number;
  missing: number;
}
interface SyncReply {
  dryRun: boolean;
  departments: Counts;
  staff: Counts;
  changes: {
    kind: string;
    action: string;
    dingtalkId: string;
    name: string;
    localId: string | null;
    fields: string[];
  }[];
}
interface Department {
  id: string;
  name: string;
  parentId: string | null;
  children?: Department[];
}
/** GET /api/v1/departments answers the tree: every node of it. */
const flat = (nodes: Department[]): Department[] => nodes.flatMap((n) => [n, ...flat(n.children ?? [])]);
interface Member {
  id: string;
  realName: string;
  phone: string | null;
  employeeNo: string | null;
  title: string | null;
  department: { id: string } | null;
}

const counts = (c: Partial<Counts>): Counts => ({
  create: 0,
  update: 0,
  link: 0,
  unchanged: 0,
  missing: 0,
  ...c,
});

/**
 * The ERP connector signing in by LoginByAppSecret (the other sign-in K/3 Cloud offers), and the DingTalk
 * directory sync (beyond seed 002: departments and staff copied into the directory, dry run, idempotent),
 * both against the fakes the tests start.
 */
describe('integrations: K/3 Cloud by app secret; DingTalk directory sync', () => {
  let stack: Stack;
  let admin: TestSession;
  let db: Client;
  const k3 = new FakeK3Cloud();
  const dingtalk = new FakeDingTalk();

  beforeAll(async () => {
    await Promise.all([k3.start(), dingtalk.start()]);
    stack = await startStack({
      label: 'integrations',
      withWorkflow: false,
      gatewayEnv: {
        ERP_K3_URL: k3.url,
        ERP_K3_ACCT_ID: k3.account.acctid,
        ERP_K3_USERNAME: k3.account.username,
        ERP_K3_APP_ID: k3.app.id,
        ERP_K3_APP_SECRET: k3.app.secret,
        ERP_SYNC_PAGE_SIZE: '2',
        UPSTREAM_TIMEOUT_MS: '3000',
        DINGTALK_API_URL: dingtalk.url,
        DINGTALK_APP_KEY: dingtalk.app.key,
        DINGTALK_APP_SECRET: dingtalk.app.secret,
      },
    });
    admin = await loginAsAdmin(stack.http);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
    await Promise.all([k3.stop(), dingtalk.stop()]);
  });

  describe('ERP K/3 Cloud signed in by LoginByAppSecret', () => {
    const day = (offsetDays: number) =>
      new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

    beforeAll(() => {
      k3.forms.set('BD_Customer', {
        name: '客户',
        primaryKey: 'FCUSTID',
        head: [
          { key: 'FCUSTID', name: '客户主键' },
          { key: 'FNumber', name: '编码' },
          { key: 'FName', name: '名称' },
          { key: 'FModifyDate', name: '修改日期' },
        ],
        entry: [],
        rows: Array.from({ length: 5 }, (_, i) => ({
          FCUSTID: 500 + i,
          FNumber: `CUST${i}`,
          FName: `客户${i}`,
          FModifyDate: day(-i),
        })),
      });
    });

    it('signs in with appid + appsecret (never a password), pages beyond one page and survives a lost session', async () => {
      const created = ok<{ status: string; rowsRead: number; rowsWritten: number }>(
        await admin.http.post('/api/v1/integrations/erp/syncs', { formId: 'BD_Customer', mode: 'create' }),
      );
      expect(created).toMatchObject({ status: 'succeeded', rowsRead: 5, rowsWritten: 5 });
      expect(k3.callsOf('AuthService.ValidateUser')).toHaveLength(0);
      const [login] = k3.callsOf('AuthService.LoginByAppSecret');
      expect(login.body).toMatchObject({
        acctid: k3.account.acctid,
        username: k3.account.username,
        appid: k3.app.id,
        appsecret: k3.app.secret,
        lcid: 2052,
      });
      expect(login.body).not.toHaveProperty('password');
      const pages = k3
        .callsOf('DynamicFormService.ExecuteBillQuery')
        .map((c) => (c.body.data as { StartRow: number; Limit: number }).StartRow);
      expect(pages).toEqual([0, 2, 4]); // three pages of two
      const rows = await db.query(`SELECT "FCUSTID" FROM erp."ERP_BD_Customer" ORDER BY "FCUSTID"`);
      expect(rows.rows).toHaveLength(5);

      k3.loseSessions();
      const updated = ok<{ status: string }>(
        await admin.http.post('/api/v1/integrations/erp/syncs', { formId: 'BD_Customer', mode: 'update' }),
      );
      expect(updated.status).toBe('succeeded');
      expect(k3.callsOf('AuthService.LoginByAppSecret')).toHaveLength(2); // signed in again by app secret
      expect(k3.callsOf('AuthService.ValidateUser')).toHaveLength(0);
    });

    it('a wrong app secret is a clear 5005 naming the ERP and what it said, never a 500', async () => {
      k3.app.secret = 'rotated-on-the-erp-side';
      k3.loseSessions();
      const res = await admin.http.post<Answer>('/api/v1/integrations/erp/syncs', {
        formId: 'BD_Customer',
        mode: 'update',
      });
      expect(res.status).toBe(502);
      expect(res.body.code).toBe(5005);
      expect(res.body.msg).toMatch(/K\/3 Cloud.*sign-in failed/);
    });
  });

  describe('DingTalk → directory sync', () => {
    let hrId = '';
    let existing: { id: string };

    beforeAll(async () => {
      dingtalk.departments.push(
        { id: 1, name: '总公司', parentId: null },
        { id: 373884383, name: '人力中心', parentId: 1 },
        { id: 2, name: '技术部', parentId: 1 },
        { id: 3, name: '前端组', parentId: 2 },
      );
      // 120 people in one department: user/list pages (size ≤ 100) are followed by cursor
      for (let i = 0; i < 120; i += 1)
        dingtalk.users.push({ userid: `hr${i}`, name: `员工${i}`, deptId: 373884383, job_number: `RS${i}` });
      dingtalk.users.push(
        { userid: 'dev1', name: '李明', deptId: 2, mobile: '13800000001', title: '工程师' },
        { userid: 'fe1', name: '王芳', deptId: 3, mobile: '13800000002', title: '前端' },
      );
      // someone already in the directory (same phone): linked, not duplicated
      existing = await createStaff(admin.http, { account: 'liming', phone: '13800000001' });
      hrId = await createDepartment(admin.http, '本地部门');
    });

    it('is for administrators only: without the write permissions 4001', async () => {
      const reader = await createRole(admin.http, {
        code: 'directory_reader',
        permissions: ['department:read', 'staff:read'],
        dataScope: 'all',
      });
      const m = await createStaff(admin.http, { account: 'reader1', roleIds: [reader] });
      const session = await loginAs(stack.http, m.account, m.password);
      const res = await session.http.post<Answer>('/api/v1/integrations/dingtalk/directory-sync', {
        dryRun: true,
      });
      expect(res.body.code).toBe(4001);
      const bad = await admin.http.post<Answer>('/api/v1/integrations/dingtalk/directory-sync', {
        dryRun: 'yes',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe(4101);
      expect(JSON.stringify(bad.body)).toContain('dryRun');
    });

    it('a dry run answers the plan and writes nothing', async () => {
      const before = flat(ok<Department[]>(await admin.http.get('/api/v1/departments')));
      const plan = ok<SyncReply>(
        await admin.http.post('/api/v1/integrations/dingtalk/directory-sync', { dryRun: true }),
      );
      expect(plan.dryRun).toBe(true);
      expect(plan.departments).toEqual(counts({ create: 4 }));
      expect(plan.staff).toEqual(counts({ create: 121, link: 1 }));
      expect(plan.changes.find((c) => c.dingtalkId === 'dev1')).toMatchObject({
        kind: 'staff',
        action: 'link',
        localId: existing.id,
      });
      expect(plan.changes.filter((c) => c.action === 'create').every((c) => c.localId === null)).toBe(true);
      const after = flat(ok<Department[]>(await admin.http.get('/api/v1/departments')));
      expect(after.length).toBe(before.length);
      const linked = await db.query(
        `SELECT count(*)::int AS n FROM core.staff WHERE dingtalk_user_id IS NOT NULL`,
      );
      expect(linked.rows[0].n).toBe(0);
    });

    it('the sync copies departments (tree kept) and staff (matched by phone before creating); the platform sees them', async () => {
      const done = ok<SyncReply>(await admin.http.post('/api/v1/integrations/dingtalk/directory-sync', {}));
      expect(done.dryRun).toBe(false);
      expect(done.departments).toEqual(counts({ create: 4 }));
      expect(done.staff).toEqual(counts({ create: 121, link: 1 }));

      const departments = flat(ok<Department[]>(await admin.http.get('/api/v1/departments')));
      const byName = new Map(departments.map((d) => [d.name, d]));
      expect(byName.get('总公司')!.parentId).toBeNull();
      expect(byName.get('技术部')!.parentId).toBe(byName.get('总公司')!.id);
      expect(byName.get('前端组')!.parentId).toBe(byName.get('技术部')!.id);
      expect(byName.get('本地部门')!.id).toBe(hrId); // local departments are left alone

      const liming = ok<Member>(await admin.http.get(`/api/v1/staff/${existing.id}`));
      expect(liming).toMatchObject({
        realName: '李明',
        phone: '13800000001',
        title: '工程师',
        department: expect.objectContaining({ id: byName.get('技术部')!.id }),
      });
      const fe = done.changes.find((c) => c.dingtalkId === 'fe1')!;
      expect(ok<Member>(await admin.http.get(`/api/v1/staff/${fe.localId}`))).toMatchObject({
        realName: '王芳',
        phone: '13800000002',
        department: expect.objectContaining({ id: byName.get('前端组')!.id }),
      });
      const hr = done.changes.find((c) => c.dingtalkId === 'hr119')!;
      expect(ok<Member>(await admin.http.get(`/api/v1/staff/${hr.localId}`))).toMatchObject({
        employeeNo: 'RS119',
        department: expect.objectContaining({ id: byName.get('人力中心')!.id }),
      });
    });

    it('is idempotent: a second run changes nothing; a rename, a move and a departure are the only changes after', async () => {
      const again = ok<SyncReply>(await admin.http.post('/api/v1/integrations/dingtalk/directory-sync', {}));
      expect(again.departments).toEqual(counts({ unchanged: 4 }));
      expect(again.staff).toEqual(counts({ unchanged: 122 }));
      expect(again.changes).toEqual([]);
      const members = await db.query(
        `SELECT count(*)::int AS n FROM core.staff WHERE dingtalk_user_id IS NOT NULL`,
      );
      expect(members.rows[0].n).toBe(122);

      dingtalk.departments.find((d) => d.id === 3)!.name = '大前端组';
      dingtalk.users.find((u) => u.userid === 'fe1')!.deptId = 2;
      dingtalk.users.splice(
        dingtalk.users.findIndex((u) => u.userid === 'hr0'),
        1,
      );
      const plan = ok<SyncReply>(
        await admin.http.post('/api/v1/integrations/dingtalk/directory-sync', { dryRun: true }),
      );
      const changed = ok<SyncReply>(
        await admin.http.post('/api/v1/integrations/dingtalk/directory-sync', {}),
      );
      expect(changed.changes).toEqual(plan.changes); // the dry run plans exactly what the run does
      expect(changed.departments).toEqual(counts({ update: 1, unchanged: 3 }));
      expect(changed.staff).toEqual(counts({ update: 1, unchanged: 120, missing: 1 }));
      expect(changed.changes.map((c) => [c.kind, c.action, c.dingtalkId, c.fields])).toEqual(
        expect.arrayContaining([
          ['department', 'update', '3', ['name']],
          ['staff', 'update', 'fe1', ['departmentId']],
          ['staff', 'missing', 'hr0', []],
        ]),
      );
      // nothing is deleted or disabled: the departed member is reported, left as they are
      const hr0 = changed.changes.find((c) => c.dingtalkId === 'hr0')!;
      expect(ok<{ status: string }>(await admin.http.get(`/api/v1/staff/${hr0.localId}`)).status).toBe(
        'enabled',
      );
    });

    it('a failing DingTalk is a clear 5005 (HTTP 502) and nothing is written', async () => {
      dingtalk.failWith = { errcode: 60011, errmsg: '没有调用该接口的权限' };
      try {
        const res = await admin.http.post<Answer>('/api/v1/integrations/dingtalk/directory-sync', {});
        expect(res.status).toBe(502);
        expect(res.body.code).toBe(5005);
        expect(res.body.msg).toContain('没有调用该接口的权限');
        const linked = await db.query(
          `SELECT count(*)::int AS n FROM core.staff WHERE dingtalk_user_id IS NOT NULL`,
        );
        expect(linked.rows[0].n).toBe(122);
      } finally {
        dingtalk.failWith = null;
      }
    });
  });
});
