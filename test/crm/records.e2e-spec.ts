import { type HttpClient, loginAsAdmin, type Stack, startStack } from '@app/testing';
import { listOf, ok, type Row } from './crm-helpers';

/** Every CRM record route over HTTP: create, read, list filters and defaults, edit, soft delete, restore, timeline. */
describe('crm records (seed 001)', () => {
  let stack: Stack;
  let admin: HttpClient;
  let adminId: string;

  const list = (path: string) => listOf(admin, path);

  beforeAll(async () => {
    stack = await startStack({ label: 'crm_records', withWorkflow: false });
    const session = await loginAsAdmin(stack.http);
    admin = session.http;
    adminId = session.staffId;
  }, 60_000);
  afterAll(() => stack?.stop());

  it('organizations: create with every field, fuzzy search, status filters, edit, delete, restore identical, timeline', async () => {
    const org = await ok(
      admin.post('/api/v1/crm/organizations', {
        name: '国务院办公厅',
        detail: '中南海',
        type: '政府',
        province: '北京市',
        city: '北京市',
        county: '西城区',
        address: '府右街',
        legalPerson: '张三',
        registeredCapital: '100万',
        registrationDate: '2020-12-12',
        website: 'https://www.gov.cn',
        note: 'n',
      }),
    );
    expect(org).toMatchObject({ name: '国务院办公厅', registrationDate: '2020-12-12', status: 'normal' });
    expect(org.creator).toEqual({ id: adminId, name: expect.any(String) });
    await ok(admin.post('/api/v1/crm/organizations', { name: '工信部' }));

    expect((await list('/api/v1/crm/organizations?name=办公')).rows.map((r) => r.id)).toEqual([org.id]);
    expect((await list('/api/v1/crm/organizations')).total).toBe(2);
    const newestFirst = (await list('/api/v1/crm/organizations')).rows.map((r) => r.name);
    expect(newestFirst).toEqual(['工信部', '国务院办公厅']);
    expect((await list(`/api/v1/crm/organizations?creatorId=${adminId}`)).total).toBe(2);
    expect((await list('/api/v1/crm/organizations?name=%25')).total).toBe(0); // % matches itself

    const edited = await ok(admin.patch(`/api/v1/crm/organizations/${org.id}`, { city: '北京', note: null }));
    expect(edited).toMatchObject({ city: '北京', note: null });

    const deleted = await ok(admin.delete(`/api/v1/crm/organizations/${org.id}`));
    expect(deleted).toMatchObject({ status: 'deleted' });
    expect((await list('/api/v1/crm/organizations')).total).toBe(1);
    expect((await list('/api/v1/crm/organizations?status=-1')).rows.map((r) => r.id)).toEqual([org.id]);
    expect((await list('/api/v1/crm/organizations?status=all')).total).toBe(2);
    expect((await list('/api/v1/crm/organizations?name=办公')).total).toBe(0);
    expect((await admin.patch(`/api/v1/crm/organizations/${org.id}`, { city: 'x' })).body).toMatchObject({
      code: 4090,
    });

    const restored = await ok(admin.post(`/api/v1/crm/organizations/${org.id}/restore`));
    const { updatedAt: _a, ...restoredRest } = restored;
    const { updatedAt: _b, ...editedRest } = edited;
    expect(restoredRest).toEqual(editedRest);

    const timeline = await list(`/api/v1/crm/organizations/${org.id}/timeline`);
    expect(timeline.rows.map((r) => r.action)).toEqual(['restored', 'deleted', 'updated', 'created']);
    expect(timeline.rows[2].changes).toEqual({
      city: { from: '北京市', to: '北京' },
      note: { from: 'n', to: null },
    });
    expect(timeline.rows[2].actorId).toBe(adminId);

    expect((await admin.get('/api/v1/crm/organizations/999999')).status).toBe(404);
    expect((await admin.get('/api/v1/crm/organizations/abc')).body).toMatchObject({
      code: 4101,
      errors: [{ field: 'id' }],
    });
    const bad = await admin.post('/api/v1/crm/organizations', { name: '', isAdmin: true });
    expect(bad.body).toMatchObject({ code: 4101 });
  });

  it('customers: many organizations, filters, stages (5 = both closed deals), comment ≤ 500, WeChat status, timeline', async () => {
    const o1 = await ok(admin.post('/api/v1/crm/organizations', { name: '苏州融资' }));
    const o2 = await ok(admin.post('/api/v1/crm/organizations', { name: '杭州银行' }));
    const jerry = await ok(
      admin.post('/api/v1/crm/customers', {
        realName: 'Jerry',
        nickName: 'J',
        phone: '13906509892',
        organizationIds: [Number(o1.id), o2.id],
        sex: 'male',
        level: 2,
        isVip: true,
        vipDueTime: '2026-12-12 11:11:11',
        stage: 5,
        code: 'AFC14101000001',
      }),
    );
    expect(jerry).toMatchObject({
      vipDueTime: '2026-12-12T03:11:11.000Z',
      stage: 5,
      contactStatus: 0,
      wechatStatus: 1,
    });
    expect((jerry.organizations as Row[]).map((o) => o.name).sort()).toEqual(['杭州银行', '苏州融资']);
    const tom = await ok(
      admin.post('/api/v1/crm/customers', {
        realName: 'tom',
        phone: '18522222222',
        stage: 6,
        organizationIds: [o1.id],
      }),
    );
    await ok(admin.post('/api/v1/crm/customers', { realName: 'amy', stage: 1 }));

    expect((await list('/api/v1/crm/customers?name=err')).rows.map((r) => r.id)).toEqual([jerry.id]);
    expect((await list('/api/v1/crm/customers?phone=0650')).rows.map((r) => r.id)).toEqual([jerry.id]);
    expect((await list('/api/v1/crm/customers?keyword=1852')).rows.map((r) => r.id)).toEqual([tom.id]);
    expect((await list(`/api/v1/crm/customers?organizationId=${o2.id}`)).rows.map((r) => r.id)).toEqual([
      jerry.id,
    ]);
    expect((await list('/api/v1/crm/customers?organizationName=融资')).total).toBe(2);
    expect((await list('/api/v1/crm/customers?stage=5')).rows.map((r) => r.id).sort()).toEqual(
      [jerry.id, tom.id].sort(),
    );
    expect((await list('/api/v1/crm/customers?stage=6')).rows.map((r) => r.id)).toEqual([tom.id]);
    expect((await list('/api/v1/crm/customers?stage=-1')).total).toBe(3);
    expect((await list(`/api/v1/crm/customers?stage=1,6&ownerId=${adminId}`)).total).toBe(2);
    expect(
      (await admin.post('/api/v1/crm/customers', { realName: 'x', code: 'AFC14101000001' })).body,
    ).toMatchObject({ code: 4090 });
    expect(
      (await admin.post('/api/v1/crm/customers', { realName: 'x', organizationIds: ['999999'] })).status,
    ).toBe(404);

    const comment = '备'.repeat(499) + '😀';
    expect(await ok(admin.put(`/api/v1/crm/customers/${jerry.id}/comment`, { comment }))).toMatchObject({
      comment,
    });
    expect(
      (await admin.put(`/api/v1/crm/customers/${jerry.id}/comment`, { comment: comment + 'x' })).body,
    ).toMatchObject({
      code: 4101,
    });
    expect(
      await ok(admin.put(`/api/v1/crm/customers/${jerry.id}/wechat-status`, { status: 6 })),
    ).toMatchObject({
      wechatStatus: 6,
    });
    expect(
      (await admin.put(`/api/v1/crm/customers/${jerry.id}/wechat-status`, { status: 2 })).body,
    ).toMatchObject({
      code: 4101,
    });
    const edited = await ok(admin.patch(`/api/v1/crm/customers/${jerry.id}`, { organizationIds: [o1.id] }));
    expect((edited.organizations as Row[]).map((o) => o.id)).toEqual([o1.id]);

    await ok(admin.delete(`/api/v1/crm/customers/${jerry.id}`));
    expect((await list('/api/v1/crm/customers?name=err')).total).toBe(0);
    expect((await list('/api/v1/crm/customers?status=-1')).rows.map((r) => r.id)).toEqual([jerry.id]);
    const restored = await ok(admin.post(`/api/v1/crm/customers/${jerry.id}/restore`));
    expect({ ...restored, updatedAt: null }).toEqual({ ...edited, updatedAt: null });

    const timeline = await list(`/api/v1/crm/customers/${jerry.id}/timeline`);
    expect(timeline.rows.map((r) => r.action)).toEqual([
      'restored',
      'deleted',
      'updated',
      'updated',
      'updated',
      'created',
    ]);
    expect(timeline.rows[3].changes).toEqual({ wechatStatus: { from: 1, to: 6 } });
  });

  it('potentials, follow-ups, demands, satisfaction, contracts: windows, filters, soft delete, restore, organization timeline', async () => {
    const org = await ok(admin.post('/api/v1/crm/organizations', { name: '国管局' }));
    const customer = await ok(
      admin.post('/api/v1/crm/customers', { realName: 'Li', organizationIds: [org.id] }),
    );
    const now = Date.now();
    const daysAgo = (d: number) => new Date(now - d * 86_400_000).toISOString();

    const p = await ok(
      admin.post('/api/v1/crm/potentials', {
        organizationId: org.id,
        directorId: adminId,
        recordTime: daysAgo(1),
        note: 'x',
      }),
    );
    expect(p).toMatchObject({ status: 0, organizationName: '国管局', director: { id: adminId } });
    const old = await ok(
      admin.post('/api/v1/crm/potentials', {
        organizationId: org.id,
        directorId: adminId,
        recordTime: daysAgo(10),
      }),
    );
    expect((await list('/api/v1/crm/potentials')).rows.map((r) => r.id)).toEqual([p.id]); // default: one week
    expect(
      (await list(`/api/v1/crm/potentials?startTime=${encodeURIComponent(daysAgo(30))}`)).rows.map(
        (r) => r.id,
      ),
    ).toEqual([p.id, old.id]);
    await ok(admin.patch(`/api/v1/crm/potentials/${p.id}`, { status: 1 }));
    expect((await list('/api/v1/crm/potentials?status=1')).total).toBe(1);
    expect((await list('/api/v1/crm/potentials?status=0')).total).toBe(0);
    expect((await list(`/api/v1/crm/potentials?directorId=${adminId}`)).total).toBe(1);
    expect((await list('/api/v1/crm/organizations?status=1&name=国管局')).total).toBe(1);
    expect((await list('/api/v1/crm/organizations?status=0&name=国管局')).total).toBe(0);
    expect((await admin.patch(`/api/v1/crm/potentials/${p.id}`, { status: 4 })).body).toMatchObject({
      code: 4101,
    });

    const f = await ok(
      admin.post('/api/v1/crm/follow-ups', {
        potentialId: p.id,
        customerIds: [customer.id],
        followerIds: [adminId],
        recordTime: daysAgo(2),
        event: 2,
        gain: '有意向',
        attach: 'https://example.com/a.png',
        note: 'n',
      }),
    );
    expect(f).toMatchObject({
      organizationId: org.id,
      event: 2,
      customers: [{ id: customer.id, name: 'Li' }],
    });
    const f2 = await ok(
      admin.post('/api/v1/crm/follow-ups', {
        potentialId: p.id,
        followerIds: [adminId],
        recordTime: daysAgo(1),
      }),
    );
    expect((await list(`/api/v1/crm/follow-ups?potentialId=${p.id}`)).rows.map((r) => r.id)).toEqual([
      f2.id,
      f.id,
    ]);
    expect((await list(`/api/v1/crm/follow-ups?organizationId=${org.id}`)).total).toBe(2);
    expect(
      (
        await admin.post('/api/v1/crm/follow-ups', {
          potentialId: p.id,
          followerIds: [adminId],
          recordTime: daysAgo(1),
          event: 6,
        })
      ).body,
    ).toMatchObject({ code: 4101 });
    expect(
      (
        await admin.post('/api/v1/crm/follow-ups', {
          potentialId: p.id,
          followerIds: [adminId],
          recordTime: daysAgo(1),
          attach: 'javascript:alert(1)',
        })
      ).body,
    ).toMatchObject({ code: 4101 });

    const d = await ok(
      admin.post('/api/v1/crm/demands', {
        organizationId: org.id,
        customerIds: [customer.id],
        followerIds: [adminId],
        recordTime: '2026-01-02 03:04:05',
        content: '季报',
      }),
    );
    expect(d).toMatchObject({ content: '季报', recordTime: '2026-01-01T19:04:05.000Z' });
    expect(
      (await list('/api/v1/crm/demands?startTime=2026-01-01&endTime=2026-01-03')).rows.map((r) => r.id),
    ).toEqual([d.id]);
    expect((await list(`/api/v1/crm/demands?startTime=2026-01-01&organizationId=${org.id}`)).total).toBe(1);

    const s = await ok(
      admin.post('/api/v1/crm/satisfaction', {
        customerIds: Number(customer.id),
        recordTime: daysAgo(1),
        value: -3,
        followerIds: [adminId],
      }),
    );
    expect(s).toMatchObject({ organizationId: org.id, value: -3 }); // A-37: the customers' one organization
    expect(
      (
        await admin.post('/api/v1/crm/satisfaction', {
          organizationId: org.id,
          recordTime: daysAgo(1),
          value: 11,
        })
      ).body,
    ).toMatchObject({ code: 4101 });
    expect((await list(`/api/v1/crm/satisfaction?customerIds=${customer.id}`)).rows.map((r) => r.id)).toEqual(
      [s.id],
    );

    const k = await ok(
      admin.post('/api/v1/crm/contracts', {
        organizationId: org.id,
        name: '天下第一合同',
        signTime: daysAgo(100),
        amount: 112,
        remitAmount: '100.5',
        followerIds: [adminId],
      }),
    );
    expect(k).toMatchObject({ amount: '112.00', remitAmount: '100.50', editor: { id: adminId } });
    expect((await list('/api/v1/crm/contracts')).rows.map((r) => r.id)).toEqual([k.id]); // default: one year
    expect(
      (
        await admin.post('/api/v1/crm/contracts', {
          organizationId: org.id,
          name: 'x',
          signTime: daysAgo(1),
          amount: 1.234,
        })
      ).body,
    ).toMatchObject({ code: 4101 });

    for (const [path, id] of [
      ['potentials', p.id],
      ['follow-ups', f.id],
      ['demands', d.id],
      ['satisfaction', s.id],
      ['contracts', k.id],
    ] as const) {
      const before = await ok(admin.get(`/api/v1/crm/${path}/${id}`));
      await ok(admin.delete(`/api/v1/crm/${path}/${id}`));
      const listed = await list(`/api/v1/crm/${path}?startTime=2020-01-01`);
      expect(listed.rows.map((r) => r.id)).not.toContain(id);
      const restored = await ok(admin.post(`/api/v1/crm/${path}/${id}/restore`));
      expect({ ...restored, updatedAt: null }).toEqual({ ...before, updatedAt: null });
      expect((await list(`/api/v1/crm/${path}?startTime=2020-01-01`)).rows.map((r) => r.id)).toContain(id);
    }
    const timeline = await list(`/api/v1/crm/organizations/${org.id}/timeline?pageSize=100`);
    const kinds = new Set(timeline.rows.map((r) => r.entityType));
    expect(kinds).toEqual(
      new Set(['organization', 'potential', 'follow_up', 'demand', 'satisfaction', 'contract']),
    );
  });
});
