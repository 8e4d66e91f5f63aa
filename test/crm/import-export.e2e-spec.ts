import { parse } from 'csv-parse/sync';
import { type HttpClient, loginAsAdmin, type Stack, startStack } from '@app/testing';
import { listOf, ok } from './crm-helpers';

/** CSV import (dry run, apply all-or-nothing, create-or-update, undo) and CSV export of the lists. */
describe('crm CSV import and export', () => {
  let stack: Stack;
  let admin: HttpClient;

  beforeAll(async () => {
    stack = await startStack({ label: 'crm_csv', withWorkflow: false });
    admin = (await loginAsAdmin(stack.http)).http;
  }, 60_000);
  afterAll(() => stack?.stop());

  const csvOf = async (path: string) => {
    const answer = await admin.get(path);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    return parse(answer.text, { columns: true, bom: true }) as Record<string, string>[];
  };

  it('organizations: dry run reports every bad row; apply creates and updates by name; undo puts it back', async () => {
    const existing = await ok(admin.post('/api/v1/crm/organizations', { name: '工信部', city: '北京' }));
    const bad =
      'name,city,registrationDate,website\n工信部,上海,,\n,杭州,,\n新单位,苏州,2020-02-30,\n新单位2,,,not a url\n';
    const dry = await ok(admin.post('/api/v1/crm/imports', { entity: 'organizations', csv: bad }));
    expect(dry).toMatchObject({ status: 'dry_run', rowCount: 4, updated: 1, created: 0 });
    expect((dry.errors as { row: number; field: string }[]).map((e) => [e.row, e.field])).toEqual([
      [2, 'name'],
      [3, 'registrationDate'],
      [4, 'website'],
    ]);
    expect(await ok(admin.get(`/api/v1/crm/imports/${dry.id}`))).toEqual(dry);
    const refused = await admin.post('/api/v1/crm/imports', {
      entity: 'organizations',
      csv: bad,
      dryRun: false,
    });
    expect(refused.body).toMatchObject({ code: 4101 });
    expect((refused.body as { errors: { field: string }[] }).errors[0].field).toBe('rows[1].name');
    expect((await listOf(admin, '/api/v1/crm/organizations')).total).toBe(1);

    const good = 'name,city,province\n工信部,上海,\n"新单位, 一",苏州,江苏\n';
    const applied = await ok(
      admin.post('/api/v1/crm/imports', { entity: 'organizations', csv: good, dryRun: false }),
    );
    expect(applied).toMatchObject({ status: 'applied', created: 1, updated: 1, errors: [] });
    expect(await ok(admin.get(`/api/v1/crm/organizations/${existing.id}`))).toMatchObject({ city: '上海' });
    expect((await listOf(admin, '/api/v1/crm/organizations?name=新单位')).rows[0]).toMatchObject({
      name: '新单位, 一',
      province: '江苏',
    });
    const timeline = await listOf(admin, `/api/v1/crm/organizations/${existing.id}/timeline`);
    expect(timeline.rows[0]).toMatchObject({
      action: 'imported',
      changes: { city: { from: '北京', to: '上海' } },
    });

    const undone = await ok(admin.post(`/api/v1/crm/imports/${applied.id}/undo`));
    expect(undone).toMatchObject({ status: 'undone', undoneAt: expect.any(String) });
    expect(await ok(admin.get(`/api/v1/crm/organizations/${existing.id}`))).toMatchObject({ city: '北京' });
    expect((await listOf(admin, '/api/v1/crm/organizations?name=新单位')).total).toBe(0);
    expect((await admin.post(`/api/v1/crm/imports/${applied.id}/undo`)).body).toMatchObject({ code: 4090 });
    expect(
      (await admin.post('/api/v1/crm/imports', { entity: 'organizations', csv: 'name,password\nx,y\n' }))
        .body,
    ).toMatchObject({ code: 4101 });
  });

  it('customers: matched by phone, else by name; organizations by name; duplicates in the file are row errors', async () => {
    await ok(admin.post('/api/v1/crm/organizations', { name: '苏州融资' }));
    const jerry = await ok(admin.post('/api/v1/crm/customers', { realName: 'Jerry', phone: '13900000001' }));
    const tom = await ok(admin.post('/api/v1/crm/customers', { realName: 'tom' }));
    const csv =
      'realName,phone,stage,organizationNames,comment\n' +
      'Jerry Li,13900000001,5,苏州融资,vip\n' +
      'tom,,2,,\n' +
      'amy,13900000003,1,苏州融资;不存在,\n' +
      'bob,13900000004,9,,\n' +
      'ann,13900000001,1,,\n';
    const dry = await ok(admin.post('/api/v1/crm/imports', { entity: 'customers', csv }));
    expect((dry.errors as { row: number; field: string }[]).map((e) => [e.row, e.field])).toEqual([
      [3, 'organizationNames'],
      [4, 'stage'],
      [5, 'phone'],
    ]);
    // five rows: two update, three are errors (the unknown organization's row was also counted as a create)
    expect(dry).toMatchObject({ rowCount: 5, created: 0, updated: 2 });
    const fixed = csv.split('\n').slice(0, 3).join('\n') + '\namy,13900000003,1,苏州融资,\n';
    const applied = await ok(
      admin.post('/api/v1/crm/imports', { entity: 'customers', csv: fixed, dryRun: false }),
    );
    expect(applied).toMatchObject({ created: 1, updated: 2 });
    expect(await ok(admin.get(`/api/v1/crm/customers/${jerry.id}`))).toMatchObject({
      realName: 'Jerry Li',
      stage: 5,
      comment: 'vip',
      organizations: [{ name: '苏州融资' }],
    });
    expect(await ok(admin.get(`/api/v1/crm/customers/${tom.id}`))).toMatchObject({ stage: 2 });
    await ok(admin.post(`/api/v1/crm/imports/${applied.id}/undo`));
    expect(await ok(admin.get(`/api/v1/crm/customers/${jerry.id}`))).toMatchObject({
      realName: 'Jerry',
      stage: null,
      organizations: [],
    });
    expect((await listOf(admin, '/api/v1/crm/customers?name=amy')).total).toBe(0);
  });

  it('exports every list as CSV with its filters, never deleted records', async () => {
    const org = await ok(admin.post('/api/v1/crm/organizations', { name: '导出单位, "引号"' }));
    const gone = await ok(admin.post('/api/v1/crm/organizations', { name: '导出已删' }));
    await ok(admin.delete(`/api/v1/crm/organizations/${gone.id}`));
    const rows = await csvOf('/api/v1/crm/exports/organizations?name=导出');
    expect(rows.map((r) => r.name)).toEqual(['导出单位, "引号"']);
    expect(await csvOf('/api/v1/crm/exports/organizations?name=导出&status=-1')).toHaveLength(1);
    const at = new Date().toISOString();
    await ok(
      admin.post('/api/v1/crm/contracts', { organizationId: org.id, name: 'k', signTime: at, amount: 5 }),
    );
    expect((await csvOf(`/api/v1/crm/exports/contracts?organizationId=${org.id}`))[0]).toMatchObject({
      name: 'k',
      amount: '5.00',
      organizationName: '导出单位, "引号"',
    });
    for (const entity of ['customers', 'potentials', 'follow-ups', 'demands', 'satisfaction'])
      await csvOf(`/api/v1/crm/exports/${entity}`);
    // A name a member typed that a spreadsheet would run as a formula is exported behind an apostrophe.
    await ok(admin.post('/api/v1/crm/organizations', { name: '=HYPERLINK("http://x.test","导出公式")' }));
    expect((await csvOf('/api/v1/crm/exports/organizations?name=导出公式')).map((r) => r.name)).toEqual([
      `'=HYPERLINK("http://x.test","导出公式")`,
    ]);
    expect((await admin.get('/api/v1/crm/exports/contracts?startTime=nonsense')).body).toMatchObject({
      code: 4101,
    });
  });
});
