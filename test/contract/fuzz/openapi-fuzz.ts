import fc from 'fast-check';

/*
 * Requests for every operation of an OpenAPI 3.0 document, drawn with fast-check from the operation's
 * own schemas: valid ones, schema-invalid ones (one documented rule broken on purpose, so the server
 * must refuse them with a 4xx) and hostile ones (NUL bytes, deep nesting, huge numbers: no 5xx, but a
 * schema does not forbid them).
 */

export type Schema = Record<string, unknown>;
export interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}
export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
export interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
}
export type Kind = 'valid' | 'invalid' | 'hostile';
export interface FuzzRequest {
  operationId: string;
  method: string;
  path: string;
  kind: Kind;
  /** what was broken, for an invalid or hostile request */
  broke?: string;
  body?: unknown;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export function operationsOf(document: Document) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, operation: item[method] })),
  );
}

export class SchemaArbitraries {
  constructor(
    private readonly document: Document,
    /** ids of existing records, drawn for `id`-like path parameters now and then */
    private readonly ids: string[],
  ) {}

  resolve(schema: Schema | undefined): Schema {
    let current = schema ?? {};
    for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) {
      const name = (current.$ref as string).split('/').pop()!;
      current = this.document.components?.schemas?.[name] ?? {};
    }
    if (Array.isArray(current.allOf)) {
      const parts = (current.allOf as Schema[]).map((s) => this.resolve(s));
      return {
        type: 'object',
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => (p.required as string[]) ?? []),
      };
    }
    return current;
  }

  /** A value the schema allows. */
  valid(raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    const value = this.validOf(schema, depth);
    const withExample = schema.example !== undefined ? fc.oneof(fc.constant(schema.example), value) : value;
    return schema.nullable ? fc.option(withExample, { nil: null, freq: 8 }) : withExample;
  }

  private validOf(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf))
      return fc.oneof(...((schema.oneOf ?? schema.anyOf) as Schema[]).map((s) => this.valid(s, depth + 1)));
    switch (schema.type) {
      case 'string':
        return this.string(schema);
      case 'integer':
        return fc.integer({
          min: (schema.minimum as number) ?? -1000,
          max: Math.min((schema.maximum as number) ?? 100_000, Number.MAX_SAFE_INTEGER),
        });
      case 'number':
        return fc.double({
          min: (schema.minimum as number) ?? -1e6,
          max: (schema.maximum as number) ?? 1e6,
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(depth > 4 ? fc.constant(null) : this.valid(schema.items as Schema, depth + 1), {
          minLength: (schema.minItems as number) ?? 0,
          maxLength: Math.max(
            (schema.minItems as number) ?? 0,
            Math.min((schema.maxItems as number) ?? 3, 3),
          ),
        });
      case 'object':
      case undefined: {
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        if (!Object.keys(properties).length)
          return schema.type === 'object'
            ? fc.dictionary(
                fc.string({ maxLength: 8 }),
                fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
                {
                  maxKeys: 3,
                },
              )
            : fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
        if (depth > 4) return fc.constant({});
        const required = new Set((schema.required as string[]) ?? []);
        return fc.record(
          Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, this.valid(s, depth + 1)])),
          { requiredKeys: [...required].filter((k) => k in properties) },
        );
      }
      default:
        return fc.constant(null);
    }
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    const min = (schema.minLength as number) ?? 0;
    const max = Math.min((schema.maxLength as number) ?? 40, Math.max(min, 40));
    switch (schema.format) {
      case 'date-time':
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      case 'date':
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      case 'uuid':
        return fc.uuid();
      case 'email':
        return fc.emailAddress();
      case 'uri':
      case 'url':
        return fc.webUrl();
    }
    if (typeof schema.pattern === 'string') {
      try {
        return fc
          .stringMatching(new RegExp(schema.pattern as string))
          .filter((s) => s.length >= min && s.length <= ((schema.maxLength as number) ?? Infinity));
      } catch {
        // a pattern JavaScript cannot compile: plain strings below
      }
    }
    return fc.string({ minLength: min, maxLength: max });
  }

  /** An id-like path value: a real record's id now and then, else what the schema allows. */
  pathValue(parameter: Parameter): fc.Arbitrary<unknown> {
    const own = this.valid(parameter.schema);
    return this.ids.length && /id$/i.test(parameter.name)
      ? fc.oneof({ arbitrary: fc.constantFrom(...this.ids), weight: 2 }, { arbitrary: own, weight: 1 })
      : own;
  }

  /**
   * One way to break the schema, or null where it allows everything: the wrong type, a value out of its
   * range, length or enum, a missing required field.
   */
  invalid(raw: Schema | undefined): fc.Arbitrary<{ value: unknown; broke: string }> | null {
    const schema = this.resolve(raw);
    const options: fc.Arbitrary<{ value: unknown; broke: string }>[] = [];
    const tag = (broke: string) => (value: unknown) => ({ value, broke });
    if (Array.isArray(schema.enum)) {
      const allowed = new Set((schema.enum as unknown[]).map(String));
      options.push(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter((s) => !allowed.has(s))
          .map(tag('not one of the enum')),
      );
    }
    switch (schema.type) {
      case 'string':
        if (!schema.nullable)
          options.push(fc.constantFrom({ a: 1 }, [1, 2]).map(tag('an object for a string')));
        if (typeof schema.maxLength === 'number' && (schema.maxLength as number) < 5000)
          options.push(
            fc.constant('x'.repeat((schema.maxLength as number) + 1)).map(tag('longer than maxLength')),
          );
        if (typeof schema.minLength === 'number' && (schema.minLength as number) > 0 && !schema.nullable)
          options.push(fc.constant('').map(tag('shorter than minLength')));
        break;
      case 'integer':
      case 'number':
        options.push(fc.constantFrom('abc', { n: 1 }, true).map(tag('not a number')));
        if (typeof schema.maximum === 'number')
          options.push(fc.constant((schema.maximum as number) + 1).map(tag('above maximum')));
        if (typeof schema.minimum === 'number')
          options.push(fc.constant((schema.minimum as number) - 1).map(tag('below minimum')));
        if (schema.type === 'integer') options.push(fc.constant(1.5).map(tag('a fraction for an integer')));
        break;
      case 'boolean':
        options.push(fc.constantFrom('maybe', 42, { b: true }).map(tag('not a boolean')));
        break;
      case 'array': {
        options.push(fc.constantFrom('not-an-array', 7).map(tag('not an array')));
        const items = this.resolve(schema.items as Schema | undefined);
        // class-validator's ValidateNested walks into nested arrays: [[]] passed for a list of objects
        if (items.type === 'object' || items.properties)
          options.push(fc.constant([[]]).map(tag('an array for an object in the list')));
        break;
      }
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        const required = ((schema.required as string[]) ?? []).filter((k) => k in properties);
        const base = this.valid(schema) as fc.Arbitrary<Record<string, unknown>>;
        options.push(fc.constantFrom('text', 12, [1]).map(tag('not an object')));
        // an empty array, or the object inside one, passed class-validator's ValidateNested
        options.push(
          fc
            .oneof(
              fc.constant([]),
              base.map((value) => [value]),
            )
            .map(tag('an array for an object')),
        );
        if (required.length)
          options.push(
            fc.tuple(base, fc.constantFrom(...required)).map(([value, key]) => {
              const copy = { ...value };
              delete copy[key];
              return { value: copy, broke: `without required ${key}` };
            }),
          );
        for (const [key, property] of Object.entries(properties)) {
          const inner = this.invalid(property);
          if (inner)
            options.push(
              fc.tuple(base, inner).map(([value, bad]) => ({
                value: { ...value, [key]: bad.value },
                broke: `${key}: ${bad.broke}`,
              })),
            );
        }
        break;
      }
    }
    return options.length ? fc.oneof(...options) : null;
  }
}

/** Values no schema forbids but every layer must survive: NUL bytes, 3,000-deep nesting, 2^64, long strings. */
export const hostileValue: fc.Arbitrary<{ value: unknown; broke: string }> = fc.oneof(
  fc.constant({ value: 'a\u0000b', broke: 'a NUL byte' }),
  fc.constant({
    value: JSON.parse('['.repeat(3000) + ']'.repeat(3000)) as unknown,
    broke: 'nested 3,000 deep',
  }),
  fc.constant({ value: 18446744073709551616, broke: 'a number beyond bigint' }),
  fc.constant({ value: '9'.repeat(40), broke: 'a 40-digit id' }),
  fc.constant({ value: 'x'.repeat(70_000), broke: 'a 70,000-character string' }),
  fc.constant({ value: '\ud800', broke: 'a lone surrogate' }),
  fc.constant({ value: "' OR 1=1 --", broke: 'SQL text' }),
);

/** A broken query / path / header value that survives being sent as text. */
export function invalidParameter(schema: Schema): fc.Arbitrary<{ value: unknown; broke: string }> | null {
  const options: fc.Arbitrary<{ value: unknown; broke: string }>[] = [];
  if (Array.isArray(schema.enum))
    options.push(fc.constant({ value: 'zz-not-in-enum', broke: 'not one of the enum' }));
  if (schema.type === 'integer' || schema.type === 'number')
    options.push(fc.constant({ value: 'abc', broke: 'not a number' }));
  if (typeof schema.maximum === 'number')
    options.push(fc.constant({ value: (schema.maximum as number) + 1, broke: 'above maximum' }));
  if (typeof schema.minimum === 'number')
    options.push(fc.constant({ value: (schema.minimum as number) - 1, broke: 'below minimum' }));
  if (schema.type === 'boolean') options.push(fc.constant({ value: 'maybe', broke: 'not a boolean' }));
  if (schema.type === 'string' && typeof schema.maxLength === 'number' && (schema.maxLength as number) < 5000)
    options.push(
      fc.constant({ value: 'x'.repeat((schema.maxLength as number) + 1), broke: 'longer than maxLength' }),
    );
  if (schema.type === 'string' && typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern as string);
    const bad = ['not valid!', '-1', 'x y', ''].find((s) => !pattern.test(s));
    if (bad !== undefined)
      options.push(fc.constant({ value: bad, broke: `not matching ${String(schema.pattern)}` }));
  }
  return options.length ? fc.oneof(...options) : null;
}

const text = (value: unknown) =>
  typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);

export interface BuiltRequest extends FuzzRequest {
  url: string;
  headers: Record<string, string>;
}

/**
 * The arbitrary of one kind of request for an operation, or null when the operation has nothing to
 * break (an invalid request needs a documented rule to break).
 */
export function requestFor(
  arbs: SchemaArbitraries,
  path: string,
  method: string,
  operation: Operation,
  kind: Kind,
): fc.Arbitrary<BuiltRequest> | null {
  const parameters = (operation.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query');
  const jsonBody = operation.requestBody?.content?.['application/json']?.schema;
  type Slot = {
    where: 'path' | 'query' | 'body';
    name?: string;
    arb: fc.Arbitrary<{ value: unknown; broke: string }>;
  };
  const slots: Slot[] = [];
  if (kind === 'invalid') {
    for (const p of parameters) {
      const bad = invalidParameter(arbs.resolve(p.schema));
      if (bad) slots.push({ where: p.in as 'path' | 'query', name: p.name, arb: bad });
    }
    if (jsonBody) {
      const bad = arbs.invalid(jsonBody);
      if (bad) slots.push({ where: 'body', arb: bad });
    }
    if (!slots.length) return null;
  } else if (kind === 'hostile') {
    for (const p of parameters)
      slots.push({ where: p.in as 'path' | 'query', name: p.name, arb: hostileValue });
    if (jsonBody) slots.push({ where: 'body', arb: hostileValue });
    if (!slots.length) return null;
  }
  const params = fc.record(
    Object.fromEntries(
      parameters.map((p) => [
        `${p.in}:${p.name}`,
        p.in === 'path'
          ? arbs.pathValue(p)
          : fc.option(arbs.valid(p.schema), { nil: undefined, freq: p.required ? 1e9 : 2 }),
      ]),
    ),
  );
  const body = jsonBody ? arbs.valid(jsonBody) : fc.constant(undefined);
  const broken = slots.length
    ? fc
        .constantFrom(...slots.map((_, i) => i))
        .chain((i) => slots[i].arb.map((bad) => ({ slot: slots[i], bad })))
    : fc.constant(null);
  return fc.tuple(params, body, broken).map(([values, validBody, breaking]): BuiltRequest => {
    const pathValues: Record<string, unknown> = {};
    const query = new URLSearchParams();
    let requestBody: unknown = validBody;
    for (const p of parameters) {
      const value = values[`${p.in}:${p.name}`];
      if (p.in === 'path') pathValues[p.name] = value;
      else if (value !== undefined && value !== null) query.set(p.name, text(value));
    }
    if (breaking) {
      const { slot, bad } = breaking;
      if (slot.where === 'path') pathValues[slot.name!] = bad.value;
      else if (slot.where === 'query') query.set(slot.name!, text(bad.value));
      else if (
        kind === 'hostile' &&
        requestBody &&
        typeof requestBody === 'object' &&
        !Array.isArray(requestBody)
      ) {
        const keys = Object.keys(requestBody);
        const key = keys.length ? keys[0] : 'extra';
        requestBody = { ...requestBody, [key]: bad.value };
      } else requestBody = bad.value;
    }
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      let value = text(pathValues[name] ?? 'x') || 'x';
      // fetch resolves a `.` or `..` segment (also as %2E), calling another route: seeds 777 and 31337
      // sent /topics/./publish (404) and /crm/follow-ups/. (the list)
      if (value === '.' || value === '..') value = `${value}x`;
      try {
        return encodeURIComponent(value);
      } catch {
        return '%ED%A0%80'; // a lone surrogate: the bytes no UTF-8 decoder accepts
      }
    });
    const search = query.toString();
    return {
      operationId: operation.operationId,
      method: method.toUpperCase(),
      path,
      kind,
      broke: breaking
        ? `${breaking.slot.where}${breaking.slot.name ? ` ${breaking.slot.name}` : ''}: ${breaking.bad.broke}`
        : undefined,
      body: requestBody,
      url: `${filled}${search ? `?${search}` : ''}`,
      headers:
        requestBody !== undefined ? { 'content-type': 'application/json' } : ({} as Record<string, string>),
    };
  });
}
