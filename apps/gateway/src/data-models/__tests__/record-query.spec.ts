import { type FieldSpec, normalizeValue, validateValues } from '../schema/field-types';
import { fieldIndexNames, indexExpression } from '../schema/models.repository';
import {
  compileFilter,
  compileOrder,
  QueryParams,
  resolveFilter,
  resolveGroupBy,
  resolveSorts,
} from '../views/record-query';

const field = (
  id: string,
  key: string,
  type: FieldSpec['type'],
  extra: Partial<FieldSpec> = {},
): FieldSpec => ({
  id,
  key,
  name: key,
  type,
  required: false,
  unique: false,
  indexed: false,
  deprecated: false,
  ...extra,
});

const FIELDS: FieldSpec[] = [
  field('f1', 'title', 'text', { required: true }),
  field('f2', 'amount', 'decimal', { options: { scale: 2 } }),
  field('f3', 'status', 'single_select', {
    options: {
      choices: [
        { value: 'open', label: '待处理' },
        { value: 'done', label: '已完成' },
      ],
    },
  }),
  field('f4', 'tags', 'multi_select', { options: { choices: [{ value: 'it', label: 'IT' }] } }),
  field('f5', 'due', 'datetime'),
  field('f6', 'owner', 'member'),
  field('f7', 'old', 'text', { deprecated: true }),
  field('f8', 'flag', 'boolean', { default: false }),
];
const TZ = 'Asia/Shanghai';
const caller = { actorId: '7', departmentId: '3' };

describe('field values (per-field validation, stored forms)', () => {
  it('normalizes each type to the form that sorts and compares in SQL', () => {
    expect(normalizeValue(FIELDS[1], 12.5, TZ)).toEqual({ ok: true, value: '12.50' });
    expect(normalizeValue(FIELDS[1], '-0.00', TZ)).toEqual({ ok: true, value: '0.00' });
    expect(normalizeValue(FIELDS[1], '1.234', TZ)).toMatchObject({ ok: false });
    expect(normalizeValue(FIELDS[4], '2026-12-20 18:00:00', TZ)).toEqual({
      ok: true,
      value: '2026-12-20T10:00:00.000Z',
    });
    expect(normalizeValue(field('f9', 'd', 'date'), '2026-02-29', TZ)).toMatchObject({ ok: false });
    expect(normalizeValue(FIELDS[3], ['it', 'it'], TZ)).toEqual({ ok: true, value: ['it'] });
    expect(normalizeValue(FIELDS[2], '已完成', TZ, true)).toEqual({ ok: true, value: 'done' }); // CSV: labels too
    expect(normalizeValue(FIELDS[2], '已完成', TZ)).toMatchObject({ ok: false });
    expect(normalizeValue(field('f9', 'n', 'number', { options: { integer: true } }), '3', TZ, true)).toEqual(
      { ok: true, value: 3 },
    );
    expect(normalizeValue(field('f9', 'a', 'attachment'), ['../x'], TZ)).toMatchObject({ ok: false });
    expect(normalizeValue(field('f9', 'j', 'json'), { a: [1, { b: null }] }, TZ)).toEqual({
      ok: true,
      value: { a: [1, { b: null }] },
    });
  });

  it('names every bad field; defaults fill a create; deprecated fields are read-only; null clears on update', () => {
    const created = validateValues(FIELDS, { amount: 'x', nope: 1, old: 'y' }, 'create', TZ);
    expect(created.errors.map((e) => e.field).sort()).toEqual([
      'values.amount',
      'values.nope',
      'values.old',
      'values.title',
    ]);
    expect(validateValues(FIELDS, { title: 't' }, 'create', TZ).data).toEqual({ f1: 't', f8: false });
    expect(validateValues(FIELDS, { amount: null }, 'update', TZ)).toEqual({
      data: { f2: null },
      errors: [],
    });
    expect(validateValues(FIELDS, { title: '' }, 'update', TZ).errors).toEqual([
      { field: 'values.title', reason: 'is required' },
    ]);
  });
});

describe('filters, sorts and their SQL', () => {
  it('refuses what is not a field or not an operator of its type, naming the path', () => {
    const { errors } = resolveFilter(
      FIELDS,
      {
        op: 'and',
        conditions: [
          { field: "f1'--", operator: 'eq', value: 'x' },
          { field: 'amount', operator: 'contains', value: 'x' },
          { op: 'xor', conditions: [{ field: 'due', operator: 'gt', value: 'yesterday' }] },
          { field: 'tags', operator: 'has_any', value: [] },
        ],
      },
      'filter',
      TZ,
    );
    expect(errors.map((e) => e.field)).toEqual([
      'filter.conditions[0].field',
      'filter.conditions[1].operator',
      'filter.conditions[2].op',
      'filter.conditions[2].conditions[0].value',
      'filter.conditions[3].value',
    ]);
    expect(resolveSorts(FIELDS, [{ field: 'tags' }, { field: 'amount; DROP' }], 'sorts').errors).toHaveLength(
      2,
    );
    expect(resolveGroupBy(FIELDS, 'title', 'groupBy').errors).toHaveLength(1);
  });

  it('compiles to field ids and bound parameters only', () => {
    const { filter } = resolveFilter(
      FIELDS,
      {
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
          { field: 'owner', operator: 'eq', value: '@me' },
          { field: 'title', operator: 'contains', value: "50%_'x" },
          { field: 'createdAt', operator: 'between', value: ['2026-01-01 00:00:00', '2026-02-01T00:00:00Z'] },
          { field: 'flag', operator: 'eq', value: false },
          { field: 'due', operator: 'empty' },
        ],
      },
      'filter',
      TZ,
    );
    const params = new QueryParams();
    const sql = compileFilter(FIELDS, filter, params, caller);
    expect(sql).toBe(
      "((r.data @> CAST(:dm_0 AS jsonb) AND ((r.data->>'f2')::numeric) >= CAST(:dm_1 AS numeric)) OR " +
        "(r.data->'f4') ?| CAST(:dm_2 AS text[]) OR r.data @> CAST(:dm_3 AS jsonb) OR (r.data->>'f1') ILIKE :dm_4 OR " +
        'r.created_at BETWEEN CAST(:dm_5 AS timestamptz) AND CAST(:dm_6 AS timestamptz) OR ' +
        "(r.data @> CAST(:dm_7 AS jsonb)) IS NOT TRUE OR (r.data->'f5') IS NULL)",
    );
    expect(params.values).toEqual({
      dm_0: '{"f3":"open"}',
      dm_1: '10.00',
      dm_2: ['it'],
      dm_3: '{"f6":"7"}',
      dm_4: "%50\\%\\_'x%",
      dm_5: '2025-12-31T16:00:00.000Z',
      dm_6: '2026-02-01T00:00:00.000Z',
      dm_7: '{"f8":true}',
    });
    const sorts = resolveSorts(FIELDS, [{ field: 'amount', direction: 'desc' }], 'sorts').sorts;
    expect(compileOrder(FIELDS, sorts, 'f3')).toEqual([
      ["(r.data->>'f3')", 'ASC'],
      ["((r.data->>'f2')::numeric)", 'DESC'],
      ['r.id', 'DESC'],
    ]);
    expect(compileOrder(FIELDS, [], null)).toEqual([
      ['r.created_at', 'DESC'],
      ['r.id', 'DESC'],
    ]);
  });

  it('index DDL uses the query’s expression and refuses any name that is not generated', () => {
    expect(indexExpression(FIELDS[1])).toBe("((data->>'f2')::numeric)");
    expect(fieldIndexNames('12', 'f3')).toEqual({ plain: 'ix_dr_12_f3', unique: 'uq_dr_12_f3' });
    expect(() => fieldIndexNames('12', "f3'")).toThrow();
    expect(() => indexExpression({ id: 'title', type: 'text' })).toThrow();
  });
});
