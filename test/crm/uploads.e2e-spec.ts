import { type HttpClient, loginAsAdmin, type Stack, startStack } from '@app/testing';
import { listOf, ok, type Row } from './crm-helpers';

/** Seed 003 phone uploads: templates, SMS and call batches (validated, idempotent, last sync time). */
describe('crm phone uploads (seed 003)', () => {
  let stack: Stack;
  let admin: HttpClient;

  beforeAll(async () => {
    stack = await startStack({ label: 'crm_uploads', withWorkflow: false });
    admin = (await loginAsAdmin(stack.http)).http;
  }, 60_000);
  afterAll(() => stack?.stop());

  const sms = (i: number, overrides: Record<string, unknown> = {}) => ({
    sender: i % 2 ? 'AFC14101000001' : 'AA0396',
    receiver: i % 2 ? 'AA0396' : 'AFC14101000001',
    senderRole: i % 2 ? 2 : 1,
    occurTime: `2018-09-07 07:53:${String(i % 60).padStart(2, '0')}.300`,
    content: `消息 ${i}`,
    senderMobile: i % 2 ? '13906509892' : '',
    receiverMobile: i % 2 ? '' : '13906509892',
    senderName: 'x',
    receiverName: 'y',
    sendStatus: 1,
    isRead: 1,
    ...overrides,
  });

  it('SMS templates: create, list, edit, delete', async () => {
    const t = await ok(
      admin.post('/api/v1/crm/sms-templates', { title: '回访模板', content: '恭喜你成功放款一个亿' }),
    );
    await ok(admin.patch(`/api/v1/crm/sms-templates/${t.id}`, { title: '回访模板1' }));
    expect(await ok<Row[]>(admin.get('/api/v1/crm/sms-templates'))).toEqual([
      { id: t.id, title: '回访模板1', content: '恭喜你成功放款一个亿' },
    ]);
    await ok(admin.delete(`/api/v1/crm/sms-templates/${t.id}`));
    expect(await ok<Row[]>(admin.get('/api/v1/crm/sms-templates'))).toEqual([]);
  });

  it('SMS: a batch of 1,000 is stored once; a replay adds nothing; the answer is the last sync time', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) =>
      sms(i, { occurTime: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString() }),
    );
    const first = await ok<{ lastSyncTime: number; inserted: number; duplicates: number }>(
      admin.post('/api/v1/crm/sms', batch),
    );
    expect(first).toEqual({
      lastSyncTime: Date.UTC(2020, 0, 1) + 999 * 60_000,
      inserted: 1000,
      duplicates: 0,
    });
    const replay = await ok(admin.post('/api/v1/crm/sms', batch));
    expect(replay).toEqual({ ...first, inserted: 0, duplicates: 1000 });
    expect((await listOf(admin, '/api/v1/crm/sms?pageSize=1')).total).toBe(1000);
    expect((await admin.post('/api/v1/crm/sms', [...batch, sms(1000)])).body).toMatchObject({ code: 4101 });
  });

  it('SMS: a batch with one invalid row is refused whole, naming the row and the reason; list filters', async () => {
    const answer = await admin.post('/api/v1/crm/sms', [
      sms(1, { content: 'a' }),
      sms(2, { senderRole: 3, content: 'b' }),
      sms(3, { content: 'c' }),
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 4101, errors: [{ field: '[1].senderRole' }] });
    expect((await listOf(admin, '/api/v1/crm/sms?customerMobile=13906509892&pageSize=1')).total).toBe(1000);
    expect((await admin.post('/api/v1/crm/sms', { not: 'an array' })).body).toMatchObject({ code: 4101 });

    const ms = await ok(
      admin.post('/api/v1/crm/sms', [sms(7, { content: 'seed', occurTime: '2030-01-02 03:04:05.300' })]),
    );
    expect(ms).toMatchObject({ lastSyncTime: Date.UTC(2030, 0, 1, 19, 4, 5, 300), inserted: 1 });
    const rows = (
      await listOf(admin, '/api/v1/crm/sms?empCode=AA0396&customerCode=AFC14101000001&pageSize=1')
    ).rows;
    expect(rows[0]).toMatchObject({
      content: 'seed',
      senderRole: 2,
      empCode: 'AA0396',
      customerCode: 'AFC14101000001',
      signature: '【东方融资网】',
    });
  });

  it('calls: idempotent per (empCode, mobile, callDate, callStatus), invalid rows named, contact status of customers', async () => {
    const reached = await ok(admin.post('/api/v1/crm/customers', { realName: 'A', phone: '13800000001' }));
    const missed = await ok(admin.post('/api/v1/crm/customers', { realName: 'B', phone: '13800000002' }));
    const calls = [
      {
        mobile: '13800000001',
        billSec: 40,
        callDate: '2018-08-30 18:30:55',
        empWorkMobile: '',
        empCode: 'AA1611',
        callStatus: 1,
      },
      {
        mobile: '13800000002',
        billSec: 0,
        callDate: '2018-08-30 18:20:55',
        empCode: 'AA1611',
        callStatus: 2,
      },
      {
        mobile: '13800000002',
        billSec: 0,
        callDate: '2018-08-30 18:10:55',
        empCode: 'AA1611',
        callStatus: 3,
      },
    ];
    const first = await ok(admin.post('/api/v1/crm/calls', calls));
    expect(first).toEqual({ lastSyncTime: Date.UTC(2018, 7, 30, 10, 30, 55), inserted: 3, duplicates: 0 });
    expect(await ok(admin.post('/api/v1/crm/calls', calls))).toEqual({
      ...first,
      inserted: 0,
      duplicates: 3,
    });
    expect((await listOf(admin, '/api/v1/crm/calls')).total).toBe(3);
    expect((await listOf(admin, '/api/v1/crm/calls?mobile=13800000002')).total).toBe(2);
    expect(await ok(admin.get(`/api/v1/crm/customers/${reached.id}`))).toMatchObject({ contactStatus: 1 });
    expect(await ok(admin.get(`/api/v1/crm/customers/${missed.id}`))).toMatchObject({ contactStatus: 2 });

    const bad = await admin.post('/api/v1/crm/calls', [
      calls[0],
      { ...calls[1], callDate: '2018-02-30 10:00:00' },
      { ...calls[2], billSec: -1 },
    ]);
    expect(bad.body).toMatchObject({ code: 4101 });
    const fields = (bad.body as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(['[1].callDate', '[2].billSec']);
    // the body is a bare array (seed 003): every refusal names the row alike — a NUL in a string
    // (checked for every request) and a bad value (checked per row) both as `[i].field`
    const named = async (path: string, rows: unknown[]) => [
      ...new Set(
        ((await admin.post(path, rows)).body as { errors: { field: string }[] }).errors.map((e) => e.field),
      ),
    ];
    expect(await named('/api/v1/crm/calls', [{ ...calls[0], empCode: 'AA\u0000' }])).toEqual(['[0].empCode']);
    expect(await named('/api/v1/crm/calls', [{ ...calls[0], billSec: 'x' }])).toEqual(['[0].billSec']);
    expect(await named('/api/v1/crm/sms', [sms(1, { content: 'a\u0000' })])).toEqual(['[0].content']);
    expect(await named('/api/v1/crm/sms', [sms(1, { senderRole: 9 })])).toEqual(['[0].senderRole']);
    expect(await named('/api/v1/crm/sms', [sms(1, { occurTime: '2018-02-30 10:00:00' })])).toEqual([
      '[0].occurTime',
    ]);
    expect((await listOf(admin, '/api/v1/crm/calls')).total).toBe(3);
  });
});
