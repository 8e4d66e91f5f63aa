import { parse } from 'csv-parse/sync';
import {
  createDepartment,
  createRole,
  createStaff,
  type EnvelopeBody,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';

type Row = Record<string, unknown> & { id: string };
interface Page<T = Row> {
  total: number;
  totalCapped?: boolean;
  hasMore?: boolean;
  rows: T[];
}
interface Answer {
  status: number;
  body: EnvelopeBody<unknown> & { errors?: { field: string; reason: string }[]; reason?: string };
}

async function ok<T = Row>(answer: Promise<{ status: number; body: unknown }>): Promise<T> {
  const { status, body } = await answer;
  const envelope = body as EnvelopeBody<T>;
  if (status !== 200 || envelope?.code !== 200) throw new Error(`HTTP ${status} ${JSON.stringify(body)}`);
  return envelope.data;
}
const fieldsOf = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.field).sort();
const q = encodeURIComponent;

/**
 * Data models and views (issue #20, seed 004's modelling and view tools; seed 002's dataId as a record):
 * a model with every field type, schema changes that keep data, per-field 4101, CSV import with a dry
 * run, a shared view paged with a filter and a sort, department scopes, and /flow/launch from a record.
 */
describe('data models, records and views', () => {
  let stack: Stack;
  let admin: TestSession;
  let designer: TestSession;
  let alice: TestSession; // department A
  let andy: TestSession; // department A
  let bob: TestSession; // department B
  let deptA: string;
  let vendorId: string;

  beforeAll(async () => {
    stack = await startStack({ label: 'data_models' });
    admin = await loginAsAdmin(stack.http);
    deptA = await createDepartment(admin.http, '采购部');
    const deptB = await createDepartment(admin.http, '财务部');
    const design = await createRole(admin.http, {
      code: 'dm_designer',
      permissions: [
        'datamodel:design',
        'datarecord:read',
        'datarecord:write',
        'datarecord:import',
        'datarecord:export',
      ],
      dataScope: 'all',
    });
    const member = await createRole(admin.http, {
      code: 'dm_member',
      permissions: ['datarecord:read', 'datarecord:write', 'datarecord:export'],
      dataScope: 'department',
    });
    const d = await createStaff(admin.http, {
      account: 'dm_designer',
      departmentId: deptA,
      roleIds: [design],
    });
    const a = await createStaff(admin.http, { account: 'dm_alice', departmentId: deptA, roleIds: [member] });
    const a2 = await createStaff(admin.http, { account: 'dm_andy', departmentId: deptA, roleIds: [member] });
    const b = await createStaff(admin.http, { account: 'dm_bob', departmentId: deptB, roleIds: [member] });
    designer = await loginAs(stack.http, d.account, d.password);
    alice = await loginAs(stack.http, a.account, a.password);
    andy = await loginAs(stack.http, a2.account, a2.password);
    bob = await loginAs(stack.http, b.account, b.password);
  }, 120_000);
  afterAll(async () => {
    if (process.env.SHOW_LOGS) console.log(stack?.gateway.logs().slice(-5000));
    await stack?.stop();
  });

  const records = (http: HttpClient, query = '') =>
    ok<Page>(http.get(`/api/v1/data-models/purchase/records${query}`));

  it('defines a model with every field type; bad definitions are 4101 naming the field', async () => {
    await ok(
      designer.http.post('/api/v1/data-models', {
        key: 'vendor',
        name: '供应商',
        fields: [{ key: 'name', name: '名称', type: 'text', required: true, unique: true }],
      }),
    );
    vendorId = (
      await ok(designer.http.post('/api/v1/data-models/vendor/records', { values: { name: '联想' } }))
    ).id;

    const bad = (await designer.http.post('/api/v1/data-models', {
      key: 'broken',
      name: 'x',
      fields: [
        { key: 'a', name: 'a', type: 'single_select' },
        { key: 'b', name: 'b', type: 'json', unique: true },
        { key: 'c', name: 'c', type: 'relation', options: { model: 'nowhere' } },
        { key: 'createdAt', name: 'd', type: 'text' },
        { key: 'e', name: 'e', type: 'number', default: 'many' },
      ],
    })) as Answer;
    expect(bad.body.code).toBe(4101);
    expect(fieldsOf(bad)).toEqual(
      expect.arrayContaining([
        'fields[0].options.choices',
        'fields[1].unique',
        'fields[2].options.model',
        'fields[3].key',
        'fields[4].default',
      ]),
    );

    const model = await ok<{ version: number; fields: { key: string; type: string; id: string }[] }>(
      designer.http.post('/api/v1/data-models', {
        key: 'purchase',
        name: '采购申请',
        fields: [
          { key: 'title', name: '事项', type: 'text', required: true, indexed: true },
          { key: 'notes', name: '说明', type: 'long_text' },
          { key: 'qty', name: '数量', type: 'number', options: { integer: true, min: 1 } },
          { key: 'amount', name: '金额', type: 'decimal', indexed: true, options: { scale: 2 } },
          { key: 'urgent', name: '加急', type: 'boolean', default: false },
          { key: 'needed', name: '需要日期', type: 'date' },
          { key: 'due', name: '截止时间', type: 'datetime' },
          {
            key: 'status',
            name: '状态',
            type: 'single_select',
            default: 'open',
            indexed: true,
            options: {
              choices: [
                { value: 'open', label: '待处理' },
                { value: 'done', label: '已完成' },
              ],
            },
          },
          {
            key: 'tags',
            name: '标签',
            type: 'multi_select',
            options: {
              choices: [
                { value: 'it', label: 'IT' },
                { value: 'office', label: '办公' },
              ],
            },
          },
          { key: 'buyer', name: '采购人', type: 'member' },
          { key: 'dept', name: '部门', type: 'department' },
          { key: 'vendor', name: '供应商', type: 'relation', options: { model: 'vendor' } },
          { key: 'files', name: '附件', type: 'attachment' },
          { key: 'extra', name: '扩展', type: 'json' },
          { key: 'code', name: '编号', type: 'text', unique: true },
        ],
      }),
    );
    const colour = (await designer.http.post('/api/v1/data-models', {
      key: 'broken',
      name: 'x',
      fields: [{ key: 'f', name: 'f', type: 'colour' }],
    })) as Answer;
    expect(colour.body.code).toBe(4101);
    expect(fieldsOf(colour)[0]).toMatch(/fields.*0.*type/);
    expect(model.version).toBe(1);
    expect(model.fields.map((f) => f.type)).toEqual([
      'text',
      'long_text',
      'number',
      'decimal',
      'boolean',
      'date',
      'datetime',
      'single_select',
      'multi_select',
      'member',
      'department',
      'relation',
      'attachment',
      'json',
      'text',
    ]);
    expect(
      (await designer.http.post('/api/v1/data-models', { key: 'purchase', name: 'again', fields: [] })).body,
    ).toMatchObject({ code: 4090 });
    // the same new model saved by several designers at once (or a double click): one is created, the
    // others are told the key is taken — never a database error
    const race = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        designer.http.post('/api/v1/data-models', {
          key: 'contested',
          name: `同时 ${n}`,
          fields: [{ key: 'title', name: '标题', type: 'text', unique: true }],
        }),
      ),
    );
    expect(race.map((r) => r.body.code).sort()).toEqual([200, 4090, 4090, 4090]);
    for (const lost of race.filter((r) => r.body.code === 4090)) {
      expect(lost.status).toBe(409);
      expect(lost.body).toMatchObject({ reason: 'KEY_TAKEN' });
    }
    // members cannot define models
    expect(
      (await alice.http.post('/api/v1/data-models', { key: 'mine', name: 'x', fields: [] })).body,
    ).toMatchObject({ code: 4001 });
  });

  it('records: per-field 4101, typed values stored normalized, unique, change log, soft delete and restore', async () => {
    const refused = (await alice.http.post('/api/v1/data-models/purchase/records', {
      values: {
        notes: 'x',
        qty: 1.5,
        amount: '1.234',
        needed: '2026-02-30',
        status: 'lost',
        tags: ['it', 'food'],
        buyer: '999999',
        vendor: '999999',
        files: ['../etc/passwd'],
        color: 'red',
      },
    })) as Answer;
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(4101);
    expect(fieldsOf(refused)).toEqual(
      [
        'values.amount',
        'values.buyer',
        'values.color',
        'values.files',
        'values.needed',
        'values.qty',
        'values.status',
        'values.tags',
        'values.title',
        'values.vendor',
      ].sort(),
    );
    // every problem at once: bad values and ids that name nothing
    const unknownRefs = (await alice.http.post('/api/v1/data-models/purchase/records', {
      values: { title: 't', buyer: '999999', vendor: '999999', dept: '999999' },
    })) as Answer;
    expect(fieldsOf(unknownRefs)).toEqual(['values.buyer', 'values.dept', 'values.vendor']);

    const created = await ok(
      alice.http.post('/api/v1/data-models/purchase/records', {
        values: {
          title: '  笔记本电脑 ',
          notes: '第一行\n第二行',
          qty: 3,
          amount: 12.5,
          needed: '2026-12-24',
          due: '2026-12-20 18:00:00',
          tags: ['office', 'it', 'it'],
          buyer: alice.staffId,
          dept: deptA,
          vendor: vendorId,
          files: ['f_01HXYZ', 'f_02'],
          extra: { budget: { line: 7 } },
          code: 'P-001',
        },
      }),
    );
    expect(created.values).toEqual({
      title: '笔记本电脑',
      notes: '第一行\n第二行',
      qty: 3,
      amount: '12.50',
      urgent: false,
      needed: '2026-12-24',
      due: '2026-12-20T10:00:00.000Z',
      status: 'open',
      tags: ['office', 'it'],
      buyer: alice.staffId,
      dept: deptA,
      vendor: vendorId,
      files: ['f_01HXYZ', 'f_02'],
      extra: { budget: { line: 7 } },
      code: 'P-001',
    });
    expect(created).toMatchObject({ creatorId: alice.staffId, departmentId: deptA, version: 1 });
    const duplicate = (await andy.http.post('/api/v1/data-models/purchase/records', {
      values: { title: 'x', code: 'P-001' },
    })) as Answer;
    expect(duplicate.body.code).toBe(4101);
    expect(fieldsOf(duplicate)).toEqual(['values.code']);

    const updated = await ok(
      andy.http.patch(`/api/v1/data-models/purchase/records/${created.id}`, {
        values: { amount: '99', status: 'done', notes: null },
        version: 1,
      }),
    );
    expect(updated.values).toMatchObject({ amount: '99.00', status: 'done' });
    expect(updated.values).not.toHaveProperty('notes');
    expect(
      (
        await andy.http.patch(`/api/v1/data-models/purchase/records/${created.id}`, {
          values: { qty: 2 },
          version: 1,
        })
      ).body,
    ).toMatchObject({ code: 4090 });
    const required = (await andy.http.patch(`/api/v1/data-models/purchase/records/${created.id}`, {
      values: { title: '' },
    })) as Answer;
    expect(fieldsOf(required)).toEqual(['values.title']);

    await ok(alice.http.delete(`/api/v1/data-models/purchase/records/${created.id}`));
    expect((await records(alice.http)).rows.map((r) => r.id)).not.toContain(created.id);
    expect((await records(alice.http, '?status=deleted')).rows.map((r) => r.id)).toContain(created.id);
    // the unique value is free while the record is deleted, so a restore that would clash is refused
    const taker = await ok(
      alice.http.post('/api/v1/data-models/purchase/records', { values: { title: 'y', code: 'P-001' } }),
    );
    expect(
      ((await alice.http.post(`/api/v1/data-models/purchase/records/${created.id}/restore`)) as Answer).body
        .code,
    ).toBe(4101);
    await ok(alice.http.delete(`/api/v1/data-models/purchase/records/${taker.id}`));
    await ok(alice.http.post(`/api/v1/data-models/purchase/records/${created.id}/restore`));

    const log = await ok<Page<{ action: string; changes: Record<string, { from: unknown; to: unknown }> }>>(
      alice.http.get(`/api/v1/data-models/purchase/records/${created.id}/changes`),
    );
    expect(log.rows.map((r) => r.action)).toEqual(['restored', 'deleted', 'updated', 'created']);
    expect(log.rows[2].changes).toMatchObject({
      amount: { from: '12.50', to: '99.00' },
      status: { from: 'open', to: 'done' },
      notes: { from: '第一行\n第二行', to: null },
    });
  });

  it('schema changes keep data: add a field later, rename, change options, deprecate; each is a version', async () => {
    const before = await ok(
      alice.http.post('/api/v1/data-models/purchase/records', {
        values: { title: '旧记录', notes: '保留', extra: [1] },
      }),
    );
    const model = await ok<{ version: number }>(designer.http.get('/api/v1/data-models/purchase'));
    // a body without its field definition (or with something else in its place) is 4101 on `field`
    for (const body of [{}, { version: model.version }, { field: null }, { field: 'priority' }]) {
      const missing = (await designer.http.post('/api/v1/data-models/purchase/fields', body)) as Answer;
      expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 400, code: 4101 });
      expect(fieldsOf(missing)).toContain('field');
    }
    expect(
      (
        await designer.http.post('/api/v1/data-models/purchase/fields', {
          version: model.version + 1,
          field: { key: 'priority', name: '优先级', type: 'number' },
        })
      ).body,
    ).toMatchObject({ code: 4090 });
    await ok(
      designer.http.post('/api/v1/data-models/purchase/fields', {
        version: model.version,
        field: {
          key: 'priority',
          name: '优先级',
          type: 'number',
          indexed: true,
          options: { min: 1, max: 5 },
        },
      }),
    );
    await ok(
      designer.http.patch('/api/v1/data-models/purchase/fields/notes', { key: 'remark', name: '备注' }),
    );
    await ok(
      designer.http.patch('/api/v1/data-models/purchase/fields/status', {
        options: {
          choices: [
            { value: 'open', label: '待处理' },
            { value: 'done', label: '已完成' },
            { value: 'held', label: '挂起' },
          ],
        },
      }),
    );
    const deprecated = await ok<{ version: number; fields: { key: string; deprecated: boolean }[] }>(
      designer.http.patch('/api/v1/data-models/purchase/fields/extra', { deprecated: true }),
    );
    expect(deprecated.version).toBe(model.version + 4);
    expect(deprecated.fields.find((f) => f.key === 'extra')?.deprecated).toBe(true);

    const kept = await ok(alice.http.get(`/api/v1/data-models/purchase/records/${before.id}`));
    expect(kept.values).toMatchObject({ title: '旧记录', remark: '保留', extra: [1] });
    expect(kept.values).not.toHaveProperty('priority');
    const now = await ok(
      alice.http.patch(`/api/v1/data-models/purchase/records/${before.id}`, {
        values: { priority: 2, status: 'held' },
      }),
    );
    expect(now.values).toMatchObject({ priority: 2, status: 'held', remark: '保留' });
    const readOnly = (await alice.http.patch(`/api/v1/data-models/purchase/records/${before.id}`, {
      values: { extra: [2], priority: 9 },
    })) as Answer;
    expect(readOnly.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'values.extra', reason: expect.stringContaining('deprecated') },
        { field: 'values.priority', reason: expect.stringContaining('at most 5') },
      ]),
    );
    // a type change would lose data: the DTO has no type, so it is stripped and nothing changes
    const versions = await ok<Page<{ version: number; change: { op: string; field?: string } }>>(
      designer.http.get('/api/v1/data-models/purchase/versions'),
    );
    expect(versions.rows.slice(0, 4).map((v) => [v.change.op, v.change.field])).toEqual([
      ['field_deprecated', 'extra'],
      ['field_changed', 'status'],
      ['field_renamed', 'remark'],
      ['field_added', 'priority'],
    ]);
    expect(versions.rows.at(-1)?.change.op).toBe('created');
    const form = await ok<{ components: { key: string; type: string }[] }>(
      designer.http.get('/api/v1/data-models/purchase/form-schema'),
    );
    expect(form.components.map((c) => c.key)).toEqual(
      expect.arrayContaining(['title', 'remark', 'status', 'priority']),
    );
    expect(form.components.map((c) => c.key)).not.toContain('extra');
  });

  it('CSV import: a dry run reports the bad row per field; apply is all or nothing; undo; export', async () => {
    const csv =
      'title,qty,amount,status,tags,needed,code\n' +
      '显示器,2,1500,open,IT;办公,2026-12-01,C-1\n' +
      '键盘,two,20.999,lost,,2026-13-01,C-1\n' +
      '鼠标,1,35.5,已完成,it,,C-3\n';
    const dry = await ok<{
      id: string;
      status: string;
      created: number;
      errors: { row: number; field: string }[];
    }>(designer.http.post('/api/v1/data-models/purchase/records/imports', { csv }));
    expect(dry).toMatchObject({ status: 'dry_run', created: 2 });
    expect(dry.errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'qty'],
      [2, 'amount'],
      [2, 'needed'],
      [2, 'status'],
    ]);
    const before = (await records(designer.http)).total;
    const refused = (await designer.http.post('/api/v1/data-models/purchase/records/imports', {
      csv,
      dryRun: false,
    })) as Answer;
    expect(refused.body.code).toBe(4101);
    expect(fieldsOf(refused)[0]).toMatch(/^rows\[1\]\./);
    expect((await records(designer.http)).total).toBe(before);

    const good = csv
      .split('\n')
      .filter((_, i) => i !== 2)
      .join('\n');
    const applied = await ok<{ id: string; created: number }>(
      designer.http.post('/api/v1/data-models/purchase/records/imports', { csv: good, dryRun: false }),
    );
    expect(applied.created).toBe(2);
    const mouse = (
      await records(
        designer.http,
        `?filter=${q(JSON.stringify({ op: 'and', conditions: [{ field: 'code', operator: 'eq', value: 'C-3' }] }))}`,
      )
    ).rows[0];
    expect(mouse.values).toMatchObject({ title: '鼠标', amount: '35.50', status: 'done', tags: ['it'] });
    const exported = await designer.http.get('/api/v1/data-models/purchase/records/export?sort=code');
    expect(exported.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = parse(exported.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(lines.filter((l) => l.code.startsWith('C-')).map((l) => [l.code, l.tags])).toEqual([
      ['C-1', 'it;office'],
      ['C-3', 'it'],
    ]);
    await ok(designer.http.post(`/api/v1/data-models/purchase/records/imports/${applied.id}/undo`));
    expect((await records(designer.http)).total).toBe(before);
    expect(
      (await designer.http.post(`/api/v1/data-models/purchase/records/imports/${applied.id}/undo`)).body,
    ).toMatchObject({ code: 4090 });
  });

  it('a shared view pages with its filter (and/or) and sort; department members see only their scope', async () => {
    const make = (who: TestSession, title: string, amount: string, status: string, tags: string[] = []) =>
      ok(who.http.post('/api/v1/data-models/purchase/records', { values: { title, amount, status, tags } }));
    for (const [i, amount] of ['10', '250', '40', '990', '75'].entries())
      await make(alice, `A${i}`, amount, 'open');
    await make(andy, 'A-done', '500', 'done');
    await make(andy, 'A-tagged', '1', 'done', ['it']);
    await make(bob, 'B1', '300', 'open');
    await make(bob, 'B2', '5', 'open');

    const view = await ok<{ id: string; filter: unknown }>(
      designer.http.post('/api/v1/data-models/purchase/views', {
        name: '待处理或IT',
        type: 'table',
        shared: true,
        columns: [
          { field: 'title', width: 240 },
          { field: 'amount', width: 120 },
          { field: 'remark', visible: false },
        ],
        filter: {
          op: 'or',
          conditions: [
            {
              op: 'and',
              conditions: [
                { field: 'status', operator: 'eq', value: 'open' },
                { field: 'amount', operator: 'gte', value: 10 },
              ],
            },
            { field: 'tags', operator: 'has_any', value: ['it'] },
          ],
        },
        sorts: [{ field: 'amount', direction: 'desc' }],
      }),
    );
    expect(view.filter).toMatchObject({ op: 'or' });
    // a personal view is its owner's only; shared views need a designer
    expect(
      (
        await alice.http.post('/api/v1/data-models/purchase/views', {
          name: 'x',
          type: 'table',
          shared: true,
        })
      ).body,
    ).toMatchObject({ code: 4001 });
    const mine = await ok(
      alice.http.post('/api/v1/data-models/purchase/views', {
        name: 'mine',
        type: 'kanban',
        groupBy: 'status',
      }),
    );
    expect((await bob.http.get(`/api/v1/data-models/purchase/views/${mine.id}`)).body).toMatchObject({
      code: 404,
    });
    const badView = (await designer.http.post('/api/v1/data-models/purchase/views', {
      name: 'bad',
      type: 'kanban',
      filter: {
        op: 'and',
        conditions: [
          { field: 'amount', operator: 'contains', value: 'x' },
          { field: 'nope', operator: 'eq', value: 1 },
        ],
      },
      sorts: [{ field: 'tags' }],
    })) as Answer;
    expect(fieldsOf(badView)).toEqual([
      'filter.conditions[0].operator',
      'filter.conditions[1].field',
      'groupBy',
      'sorts[0].field',
    ]);

    const page = (who: TestSession, n: number) =>
      records(who.http, `?view=${view.id}&pageSize=2&pageNum=${n}`).then((p) => ({
        total: p.total,
        rows: p.rows.map((r) => `${String((r.values as Row).title)}:${String((r.values as Row).amount)}`),
      }));
    // department A (alice): her open ≥ 10 records and andy's IT one, amount descending, 2 per page
    const a1 = await page(alice, 1);
    const all = [...a1.rows];
    for (let n = 2; all.length < a1.total && n < 10; n += 1) all.push(...(await page(alice, n)).rows);
    expect(a1.total).toBe(7);
    // the total is exact up to this page and the 5 after it; past that bound it is the bound, flagged
    const meta = async (query: string) => {
      const p = await records(alice.http, `?view=${view.id}&${query}`);
      return { total: p.total, totalCapped: p.totalCapped, hasMore: p.hasMore, rows: p.rows.length };
    };
    expect(await meta('pageSize=1&pageNum=1')).toEqual({
      total: 6,
      totalCapped: true,
      hasMore: true,
      rows: 1,
    });
    expect(await meta('pageSize=1&pageNum=2')).toEqual({
      total: 7,
      totalCapped: false,
      hasMore: true,
      rows: 1,
    });
    expect(await meta('pageSize=1&pageNum=7')).toEqual({
      total: 7,
      totalCapped: false,
      hasMore: false,
      rows: 1,
    });
    expect(await meta('pageSize=2&pageNum=9')).toEqual({
      total: 7,
      totalCapped: false,
      hasMore: false,
      rows: 0,
    });
    expect(all.filter((r) => /^A\d/.test(r))).toEqual([
      'A3:990.00',
      'A1:250.00',
      'A4:75.00',
      'A2:40.00',
      'A0:10.00',
    ]);
    expect(all).toContain('A-tagged:1.00'); // the "or" branch: done, but tagged it
    const amounts = all.map((r) => Number(r.split(':')[1]));
    expect(amounts).toEqual([...amounts].sort((x, y) => y - x));
    expect(all).toHaveLength(a1.total);
    expect(all.join()).not.toMatch(/B1|B2|A-done/);
    // department B (bob) sees only B1 through the same shared view; B2 is below 10
    expect(await page(bob, 1)).toEqual({ total: 1, rows: ['B1:300.00'] });
    const aliceRecord = (await records(alice.http)).rows[0];
    expect((await bob.http.get(`/api/v1/data-models/purchase/records/${aliceRecord.id}`)).body).toMatchObject(
      { code: 404 },
    );
    expect(
      (await bob.http.patch(`/api/v1/data-models/purchase/records/${aliceRecord.id}`, { values: { qty: 1 } }))
        .body,
    ).toMatchObject({ code: 404 });
    const bobCsv = parse(
      (await bob.http.get(`/api/v1/data-models/purchase/records/export?view=${view.id}`)).text,
      { columns: true, bom: true },
    ) as Record<string, string>[];
    expect(bobCsv.map((r) => r.title)).toEqual(['B1']);
    // a filter given with the view narrows it further; an unknown field is 4101, never SQL
    const narrowed = await records(
      alice.http,
      `?view=${view.id}&filter=${q(JSON.stringify({ op: 'and', conditions: [{ field: 'amount', operator: 'between', value: [40, 250] }] }))}&sort=amount`,
    );
    expect(narrowed.rows.map((r) => (r.values as Row).title)).toEqual(['A2', 'A4', '笔记本电脑', 'A1']);
    const injected = (await alice.http.get(
      `/api/v1/data-models/purchase/records?filter=${q(JSON.stringify({ op: 'and', conditions: [{ field: "title') OR 1=1 --", operator: 'eq', value: 'x' }] }))}&sort=${q('amount;drop')}`,
    )) as Answer;
    expect(injected.body.code).toBe(4101);
    expect(fieldsOf(injected)).toEqual(['filter.conditions[0].field', 'sort[0].field']);
    // kanban lanes of alice's view count her department's records per status
    const lanes = await ok<{ value: string | null; count: number }[]>(
      alice.http.get(`/api/v1/data-models/purchase/records/groups?view=${mine.id}`),
    );
    expect(lanes.find((l) => l.value === 'done')?.count).toBeGreaterThanOrEqual(2);
    expect(
      (await ok<{ id: string }[]>(bob.http.get('/api/v1/data-models/purchase/views'))).map((v) => v.id),
    ).toEqual([view.id]);
  });

  it('a stored form-js form bound to a model submits into a record; form and record errors name data.<key>', async () => {
    await ok(
      designer.http.post('/api/v1/data-models', {
        key: 'expense',
        name: '报销',
        fields: [
          { key: 'subject', name: '事由', type: 'text', required: true },
          { key: 'amount', name: '金额', type: 'decimal', options: { scale: 2, min: 0, max: 5000 } },
          {
            key: 'kind',
            name: '类别',
            type: 'single_select',
            options: {
              choices: [
                { value: 'travel', label: '差旅' },
                { value: 'meal', label: '餐费' },
              ],
            },
          },
          { key: 'note', name: '备注', type: 'long_text' },
        ],
      }),
    );
    // the form lives in the form store of the workflow app, as every process form does
    await ok(
      admin.http.post('/api/v1/forms', {
        formKey: 'expense-form',
        name: '报销单',
        schema: {
          type: 'default',
          components: [
            { type: 'textfield', key: 'reason', label: '事由', validate: { required: true, maxLength: 50 } },
            { type: 'number', key: 'money', label: '金额', validate: { required: true, min: 1 } },
            {
              type: 'select',
              key: 'kind',
              label: '类别',
              values: [
                { label: '差旅', value: 'travel' },
                { label: '餐费', value: 'meal' },
                { label: '其他', value: 'other' },
              ],
            },
            { type: 'textarea', key: 'note', label: '备注' },
            { type: 'textfield', key: 'phone', label: '电话' },
          ],
        },
      }),
    );
    // binding: unknown forms, form keys and model fields are 4101; without a mapping equal keys map
    const badBinding = (await designer.http.patch('/api/v1/data-models/expense', {
      forms: [
        { formKey: 'no-such-form' },
        { formKey: 'expense-form', fields: { reason: 'missing', bogus: 'subject' } },
      ],
    })) as Answer;
    expect(badBinding.body.code).toBe(4101);
    expect(fieldsOf(badBinding)).toEqual([
      'forms[0].formKey',
      'forms[1].fields.bogus',
      'forms[1].fields.reason',
    ]);
    const identity = await ok<{ forms: unknown[] }>(
      designer.http.patch('/api/v1/data-models/expense', { forms: [{ formKey: 'expense-form' }] }),
    );
    expect(identity.forms).toEqual([{ formKey: 'expense-form', fields: { kind: 'kind', note: 'note' } }]);
    const bound = await ok<{ forms: unknown[] }>(
      designer.http.patch('/api/v1/data-models/expense', {
        forms: [
          {
            formKey: 'expense-form',
            fields: { reason: 'subject', money: 'amount', kind: 'kind', note: 'note' },
          },
        ],
      }),
    );
    expect(bound.forms).toEqual([
      {
        formKey: 'expense-form',
        fields: { reason: 'subject', money: 'amount', kind: 'kind', note: 'note' },
      },
    ]);

    const submit = (who: TestSession, body: Record<string, unknown>, formKey = 'expense-form') =>
      who.http.post(`/api/v1/data-models/expense/forms/${formKey}/submit`, body) as Promise<Answer>;
    const created = await ok(
      submit(alice, {
        data: { reason: '出差北京', money: 1200.5, kind: 'travel', note: '高铁', phone: '1' },
      }),
    );
    expect(created.values).toEqual({ subject: '出差北京', amount: '1200.50', kind: 'travel', note: '高铁' });
    expect(created.creatorName).toBe('dm_alice');
    // the form's own rules first (required, min, its options), named by form key
    const formErrors = await submit(alice, { data: { money: 0, kind: 'bogus' } });
    expect(formErrors.body.code).toBe(4101);
    expect(fieldsOf(formErrors)).toEqual(['data.kind', 'data.money', 'data.reason']);
    // then the model's (max 5000; a choice the form offers but the model does not), renamed to the form's keys
    const recordErrors = await submit(alice, { data: { reason: '团建', money: 9000, kind: 'other' } });
    expect(recordErrors.body.code).toBe(4101);
    expect(fieldsOf(recordErrors)).toEqual(['data.kind', 'data.money']);
    // an edit of a record in scope; fields the form does not send stay as they are
    const edited = await ok(
      submit(alice, {
        recordId: created.id,
        version: created.version,
        data: { reason: '出差上海', money: 300 },
      }),
    );
    expect(edited.id).toBe(created.id);
    expect(edited.values).toEqual({ subject: '出差上海', amount: '300.00', kind: 'travel', note: '高铁' });
    const stale = await submit(alice, { recordId: created.id, version: 1, data: { reason: 'x', money: 2 } });
    expect(stale.body.code).toBe(4090);
    // another department's member cannot write it through the form; an unbound form is 404
    expect((await submit(bob, { recordId: created.id, data: { reason: 'x', money: 2 } })).body.code).toBe(
      404,
    );
    expect((await submit(alice, { data: { reason: 'x', money: 2 } }, 'other-form')).body.code).toBe(404);
    expect(
      (await ok<Page>(alice.http.get('/api/v1/data-models/expense/records'))).rows.map((r) => r.id),
    ).toEqual([created.id]);
  });

  it('documents its routes in Swagger: models, records, views, forms, the bounded total, form-field list filters', async () => {
    const json = await stack.http.get<{
      paths: Record<string, Record<string, { tags?: string[]; parameters?: { name: string }[] }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>('/docs-json');
    expect(json.status).toBe(200);
    const { paths, components } = json.body;
    for (const [path, methods] of Object.entries({
      '/api/v1/data-models': ['get', 'post'],
      '/api/v1/data-models/{key}': ['get', 'patch'],
      '/api/v1/data-models/{key}/fields': ['post'],
      '/api/v1/data-models/{key}/fields/{field}': ['patch'],
      '/api/v1/data-models/{key}/versions': ['get'],
      '/api/v1/data-models/{key}/form-schema': ['get'],
      '/api/v1/data-models/{key}/forms/{formKey}/submit': ['post'],
      '/api/v1/data-models/{key}/records': ['get', 'post'],
      '/api/v1/data-models/{key}/records/{id}': ['get', 'patch', 'delete'],
      '/api/v1/data-models/{key}/records/{id}/restore': ['post'],
      '/api/v1/data-models/{key}/records/{id}/changes': ['get'],
      '/api/v1/data-models/{key}/records/{id}/start': ['post'],
      '/api/v1/data-models/{key}/records/imports': ['post'],
      '/api/v1/data-models/{key}/records/export': ['get'],
      '/api/v1/data-models/{key}/records/groups': ['get'],
      '/api/v1/data-models/{key}/views': ['get', 'post'],
    }))
      for (const method of methods) {
        expect([path, method, paths[path]?.[method]?.tags?.[0]]).toEqual([
          path,
          method,
          expect.stringMatching(/^data models: /),
        ]);
      }
    expect(Object.keys(components.schemas.RecordPageDto.properties ?? {})).toEqual(
      expect.arrayContaining(['total', 'totalCapped', 'hasMore', 'rows']),
    );
    for (const list of ['/api/v1/workflow/instances', '/api/v1/work-orders'])
      expect(paths[list].get.parameters?.map((p) => p.name)).toEqual(
        expect.arrayContaining(['formField', 'formFields']),
      );
  });

  it('seed 002 /flow/launch with a record id starts the bound flow with the record’s data, once', async () => {
    await ok(admin.http.post('/api/v1/work-order-templates/ztbxx01/deploy', {}));
    await ok(
      designer.http.post('/api/v1/data-models', {
        key: 'kanban_request',
        name: '看板申请',
        fields: [
          { key: 'subject', name: '事项', type: 'text', required: true },
          { key: 'body', name: '内容', type: 'long_text' },
          { key: 'money', name: '金额', type: 'number' },
        ],
        flows: [
          {
            flowCode: 'ztbxx01',
            variables: { subject: 'subject', content: 'body', amount: 'money' },
            title: 'subject',
          },
        ],
      }),
    );
    const record = await ok(
      alice.http.post('/api/v1/data-models/kanban_request/records', {
        values: { subject: '采购显示器', body: '两台', money: 3000 },
      }),
    );
    const launched = await alice.http.get<
      EnvelopeBody<{ flowRunningNumber: string; processInstanceId: string }>
    >(`/flow/launch?flowRunningNumber=&flowCode=ztbxx01&dataId=${record.id}&userName=dm_alice`);
    expect(launched.body.code).toBe(200);
    expect(launched.body.data.flowRunningNumber).toMatch(/^ztbxx01_\d{6}_\d{4}$/);
    const instance = await ok<{ variables: Record<string, unknown>; status: string }>(
      alice.http.get(`/api/v1/workflow/instances/${launched.body.data.processInstanceId}`),
    );
    expect(instance.status).toBe('running');
    expect(instance.variables).toMatchObject({ subject: '采购显示器', content: '两台', amount: 3000 });
    const again = await alice.http.get<EnvelopeBody>(`/flow/launch?flowCode=ztbxx01&dataId=${record.id}`);
    expect(again.body.code).toBe(4090);
    // another department cannot launch a record it cannot see
    const other = await ok(
      alice.http.post('/api/v1/data-models/kanban_request/records', { values: { subject: '另一件' } }),
    );
    expect(
      (await bob.http.get<EnvelopeBody>(`/flow/launch?flowCode=ztbxx01&dataId=${other.id}`)).body.code,
    ).toBe(404);
    // the platform route starts a process from a record with the mapped variables
    const started = await ok<{ instanceId: string; variables: Record<string, unknown> }>(
      alice.http.post(`/api/v1/data-models/kanban_request/records/${other.id}/start`, {
        flowCode: 'ztbxx01',
        kind: 'process',
      }),
    );
    expect(started.variables).toMatchObject({
      subject: '另一件',
      dataModel: 'kanban_request',
      dataRecordId: other.id,
    });
    expect(started.instanceId).toMatch(/^\d+$/);
  });
});
