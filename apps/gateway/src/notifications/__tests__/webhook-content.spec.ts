import {
  buildSubscriberPayload,
  isSecretKey,
  parseTemplate,
  pathProblem,
  redactSecrets,
  renderTemplate,
  templateProblem,
} from '../webhooks/webhook-content';

const event = {
  id: 'e1',
  topic: 'task.created',
  createdAt: '2026-11-23T12:00:00.000Z',
  data: {
    name: '审批',
    serialNo: 'WO-7',
    assigneeId: '42',
    candidates: ['1', '2'],
    form: { password: 'hunter2', nested: [{ apiKey: 'k', ok: 1 }], accessToken: 't' },
    items: [
      { sku: 'a', price: 1 },
      { sku: 'b', price: 2 },
    ],
  },
};

describe('webhook content: renderer', () => {
  it('substitutes dot paths, trims spaces inside braces, renders unknown paths empty', () => {
    expect(
      renderTemplate('任务 {{data.name}} ({{ data.serialNo }}) 已创建{{data.missing.deep}}', event),
    ).toBe('任务 审批 (WO-7) 已创建');
    expect(renderTemplate('{{data.candidates}} {{data.items.1.sku}} {{data.form.nested.0.ok}}', event)).toBe(
      '["1","2"] b 1',
    );
    expect(renderTemplate('no placeholders { single } braces', event)).toBe(
      'no placeholders { single } braces',
    );
  });

  it('never reads through the prototype chain', () => {
    expect(renderTemplate('{{data.name.length}}|{{toString}}|{{data.hasOwnProperty}}', event)).toBe('||');
    expect(() => parseTemplate('{{__proto__.polluted}}')).toThrow(/__proto__/);
    expect(() => parseTemplate('{{data.constructor.name}}')).toThrow(/constructor/);
    expect(() => parseTemplate('{{a.prototype}}')).toThrow(/prototype/);
  });

  it.each([
    ['{{data.name', /without "}}"/],
    ['data.name}}', /without "{{"/],
    ['{{a}} }} x', /without "{{"/],
    ['{{ {{a}} }}', /nested/],
    ['{{}}', /empty/],
    ['{{ a + b }}', /bad path segment/],
    ['{{a()}}', /bad path segment/],
    ['{{a..b}}', /bad path segment/],
    ['x'.repeat(2001), /longer than 2000/],
  ] as [string, RegExp][])('refuses %#', (template, why) => expect(templateProblem(template)).toMatch(why));

  it('accepts plain templates', () => {
    expect(templateProblem('任务 {{data.name}} ({{data.serialNo}}) 已创建')).toBeUndefined();
    expect(templateProblem('')).toBeUndefined();
    expect(templateProblem('{{data.表单.字段_1}}')).toBeUndefined();
  });
});

describe('webhook content: filter', () => {
  it('dot paths: refused shapes', () => {
    expect(pathProblem('data.candidates')).toBeUndefined();
    expect(pathProblem('')).toBe('empty path');
    expect(pathProblem('data.__proto__')).toMatch(/__proto__/);
    expect(pathProblem('constructor')).toMatch(/constructor/);
    expect(pathProblem('data..x')).toMatch(/bad path segment ""/);
    expect(pathProblem('data[0]')).toMatch(/bad path segment "data\[0\]"/);
  });

  it('secret-looking keys are redacted at any depth', () => {
    for (const key of [
      'password',
      'userPassword',
      'passwd',
      'clientSecret',
      'accessToken',
      'api_key',
      'Authorization',
      '密码',
    ])
      expect(isSecretKey(key)).toBe(true);
    for (const key of ['name', 'serialNo', 'assigneeId', 'candidates', 'passenger'])
      expect(isSecretKey(key)).toBe(false);
    const redacted = redactSecrets(event);
    expect(redacted.data.form).toEqual({
      password: '[redacted]',
      nested: [{ apiKey: '[redacted]', ok: 1 }],
      accessToken: '[redacted]',
    });
    expect(event.data.form.password).toBe('hunter2');
  });

  it('builds one payload per subscription: redacted, filtered, then rendered from what is left', () => {
    const plain = buildSubscriberPayload(event);
    expect(plain.data).toMatchObject({ assigneeId: '42', candidates: ['1', '2'] });
    expect((plain.data as typeof event.data).form.password).toBe('[redacted]');
    expect(plain).not.toHaveProperty('message');

    const shaped = buildSubscriberPayload(event, {
      excludeFields: ['data.candidates', 'data.assigneeId', 'data.items.price', 'data.absent.path'],
      template: '{{data.name}}/{{data.assigneeId}}/{{data.form.password}}',
    });
    expect(shaped.data).not.toHaveProperty('candidates');
    expect(shaped.data).not.toHaveProperty('assigneeId');
    expect((shaped.data as typeof event.data).items).toEqual([{ sku: 'a' }, { sku: 'b' }]);
    // an excluded field or a secret cannot come back through the template
    expect(shaped.message).toBe('审批//[redacted]');
    // the event itself is untouched
    expect(event.data.candidates).toEqual(['1', '2']);
    expect(event.data.items[0].price).toBe(1);
  });

  it('paths that would touch the prototype are ignored even if stored', () => {
    const out = buildSubscriberPayload(event, { excludeFields: ['__proto__.toString', 'constructor'] });
    expect(out.data).toEqual(buildSubscriberPayload(event).data);
    expect(typeof ({} as { toString: unknown }).toString).toBe('function');
  });
});
