import { checkFormSchema, validateFormData, type FormSchema } from '../form-schema';

const schema: FormSchema = {
  type: 'default',
  components: [
    { type: 'text', text: '# Report' } as never,
    { type: 'textfield', key: 'custName', label: '客户名称', validate: { required: true, maxLength: 10 } },
    { type: 'textfield', key: 'accNbr', validate: { pattern: '[0-9]{6,12}' } },
    { type: 'number', key: 'revenue', validate: { min: 0, max: 1000 }, decimalDigits: 2 },
    {
      type: 'radio',
      key: 'isSigned',
      values: [
        { label: '是', value: '是' },
        { label: '否', value: '否' },
      ],
      validate: { required: true },
    },
    { type: 'checklist', key: 'tags', values: [{ value: 'a' }, { value: 'b' }] },
    { type: 'checkbox', key: 'urgent' },
    { type: 'datetime', key: 'lastVisitDate', subtype: 'date' },
    { type: 'group', components: [{ type: 'textfield', key: 'memo', validate: { maxLength: 5 } }] },
    {
      type: 'dynamiclist',
      path: 'items',
      components: [{ type: 'number', key: 'qty', validate: { required: true, min: 1 } }],
    },
  ],
};

describe('form-js validation', () => {
  it('accepts valid data', () => {
    expect(
      validateFormData(schema, {
        custName: 'ACME',
        accNbr: '1234567',
        revenue: 12.5,
        isSigned: '是',
        tags: ['a'],
        urgent: true,
        lastVisitDate: '2026-11-01',
        memo: 'ok',
        items: [{ qty: 2 }],
      }),
    ).toEqual([]);
  });

  it('reports every failing field with its reason', () => {
    const errors = validateFormData(schema, {
      custName: '',
      accNbr: '12ab',
      revenue: 1000.5,
      isSigned: 'maybe',
      tags: ['c'],
      urgent: 'yes',
      lastVisitDate: '01/11/2026',
      memo: 'too long',
      items: [{ qty: 0 }, {}],
    });
    expect(errors.map((e) => e.field)).toEqual([
      'custName',
      'accNbr',
      'revenue',
      'isSigned',
      'tags',
      'urgent',
      'lastVisitDate',
      'memo',
      'items[0].qty',
      'items[1].qty',
    ]);
    expect(errors[0].reason).toBe('is required');
  });

  it('refuses malformed schemas and catastrophic patterns', () => {
    expect(checkFormSchema({})).toHaveLength(1);
    expect(checkFormSchema({ components: [{ type: 'textfield' }] })[0].field).toBe(
      'schema.components[0].key',
    );
    expect(
      checkFormSchema({ components: [{ type: 'textfield', key: 'a', validate: { pattern: '(a+)+$' } }] }),
    ).toHaveLength(1);
    expect(checkFormSchema(schema)).toEqual([]);
  });

  it('stores numeric rules typed as strings as numbers, and refuses rules that are not numbers', () => {
    const typed = {
      components: [
        { type: 'number', key: 'budget', validate: { min: '100', max: ' 2500.5 ' } },
        { type: 'textfield', key: 'reason', validate: { minLength: 2, maxLength: '' } },
      ],
    };
    expect(checkFormSchema(typed)).toEqual([]);
    expect(typed.components[0]!.validate).toEqual({ min: 100, max: 2500.5 });
    expect(typed.components[1]!.validate).toEqual({ minLength: 2 });
    expect(validateFormData(typed as unknown as FormSchema, { budget: 50, reason: 'ok' })).toEqual([
      { field: 'budget', reason: 'must be at least 100' },
    ]);
    expect(
      checkFormSchema({
        components: [{ type: 'number', key: 'n', validate: { min: 'ten', max: true, minLength: {} } }],
      }),
    ).toEqual([
      { field: 'schema.components[0].validate.min', reason: 'must be a number' },
      { field: 'schema.components[0].validate.max', reason: 'must be a number' },
      { field: 'schema.components[0].validate.minLength', reason: 'must be a number' },
    ]);
  });
});
