import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, ValidateBy } from 'class-validator';
import { Type } from 'class-transformer';
import { Command, CommandValidationError, ErrorCode } from '@app/contracts';
import { AppException } from '../exceptions/app.exception';
import { badInputOf, stillReferencedBy, toErrorAnswer } from '../exceptions/error-envelope';
import { acceptSenderValidation, createValidationPipe } from '../exceptions/validation';
import { findInputProblem, INPUT_LIMITS, isBigintId } from '../http/input-limits';

class NameDto {
  @IsOptional() @IsString() name?: string;
}

function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

async function refusal(run: () => Promise<unknown>): Promise<AppException> {
  try {
    await run();
  } catch (error) {
    return error as AppException;
  }
  throw new Error('not refused');
}

describe('edge input limits', () => {
  it('finds deep nesting without recursion, even 100,000 levels inside an unknown field', () => {
    expect(findInputProblem(nested(INPUT_LIMITS.maxDepth), '')).toBeUndefined();
    expect(findInputProblem(nested(INPUT_LIMITS.maxDepth + 1), '')).toEqual({
      field: 'a'.repeat(1).concat('.a'.repeat(INPUT_LIMITS.maxDepth - 1)),
      reason: `nested deeper than ${INPUT_LIMITS.maxDepth} levels`,
    });
    expect(findInputProblem({ name: 'x', junk: nested(100_000) }, '')?.reason).toMatch(/nested deeper/);
  });

  it('names the field that holds a NUL, a too long array or too many keys', () => {
    expect(findInputProblem({ a: [{ b: 'x\u0000y' }] }, '')).toEqual({
      field: 'a[0].b',
      reason: 'must not contain NUL (\\u0000) characters',
    });
    expect(findInputProblem('x\u0000', 'keyword')?.field).toBe('keyword');
    expect(findInputProblem({ list: new Array(1001).fill(1) }, '')?.field).toBe('list');
    expect(findInputProblem({ list: new Array(1000).fill(1) }, '')).toBeUndefined();
    const wide = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i]));
    expect(findInputProblem({ form: wide }, '')?.field).toBe('form');
    expect(findInputProblem({ ['k\u0000']: 1 }, '')?.reason).toMatch(/key must not contain NUL/);
    // a lone surrogate (validator.js's e-mail and byte-length checks throw on it; pg would store U+FFFD)
    expect(findInputProblem({ to: { email: 'a\ud800@x.cn' } }, '')).toEqual({
      field: 'to.email',
      reason: 'must be well-formed Unicode (a lone UTF-16 surrogate is not)',
    });
    expect(findInputProblem({ ['k\udc00']: 1 }, '')?.reason).toMatch(/key must be well-formed Unicode/);
    expect(findInputProblem({ name: '张三 😀' }, '')).toBeUndefined();
    // a number past a double (JSON.parse gives Infinity; stored as JSON it would become null)
    expect(findInputProblem(JSON.parse('{"variables":{"n":[1e400]}}'), '')).toEqual({
      field: 'variables.n[0]',
      reason: 'must be a finite number (beyond ±1.8e308)',
    });
    expect(findInputProblem({ n: -Infinity }, '')?.field).toBe('n');
    expect(findInputProblem({ n: 1.7e308, m: -0, k: Number.MAX_SAFE_INTEGER }, '')).toBeUndefined();
    // Buffers (uploads) are not walked
    expect(findInputProblem({ file: Buffer.alloc(5000) }, '')).toBeUndefined();
  });

  it.each([
    ['1', true],
    ['9223372036854775807', true],
    ['9223372036854775808', false],
    ['0', false],
    ['01', false],
    ['-1', false],
    ['1.5', false],
    ['abc', false],
    ['', false],
  ])('id %p is a bigint id: %p', (value, ok) => expect(isBigintId(value)).toBe(ok));

  it('the global pipe refuses before class-transformer runs, naming the field (4101)', async () => {
    const pipe = createValidationPipe();
    const deep = await refusal(() =>
      pipe.transform({ name: 'x', extra: nested(5000) }, { type: 'body', metatype: NameDto }),
    );
    expect(deep).toBeInstanceOf(AppException);
    expect(deep.code).toBe(ErrorCode.InvalidParameter);
    expect(deep.errors?.[0].field).toMatch(/^extra\.a/);

    const nul = await refusal(() => pipe.transform({ name: 'a\u0000' }, { type: 'body', metatype: NameDto }));
    expect(nul.errors).toEqual([{ field: 'name', reason: 'must not contain NUL (\\u0000) characters' }]);

    const id = await refusal(() => pipe.transform({ id: 'abc' }, { type: 'param', metatype: Object }));
    expect(id.errors?.[0].field).toBe('id');
    const big = await refusal(() =>
      pipe.transform('99999999999999999999', { type: 'param', metatype: String, data: 'taskId' }),
    );
    expect(big.errors?.[0].field).toBe('taskId');
    // other path parameters (a definition key, a topic) are not ids
    await expect(
      pipe.transform('leave-approval', { type: 'param', metatype: String, data: 'key' }),
    ).resolves.toBe('leave-approval');
    await expect(pipe.transform({ name: 'ok' }, { type: 'body', metatype: NameDto })).resolves.toEqual({
      name: 'ok',
    });
  });
});

class RenameCommand extends Command {
  @IsString() @MaxLength(5) name!: string;
}

describe('link commands validated by their sender', () => {
  const asPayload = { type: 'body' as const, metatype: RenameCommand, data: 'body' };

  it('types a body whose message says Command.create() validated it, without validating it again', async () => {
    const pipe = createValidationPipe();
    // beyond the rule on purpose: a value passing through shows the rules did not run a second time
    const message = { meta: { validated: true }, body: { name: 'longer than five' } };
    acceptSenderValidation(message);
    const typed = await pipe.transform(message.body, asPayload);
    expect(typed).toBeInstanceOf(RenameCommand);
    expect(typed).toEqual({ name: 'longer than five' });
  });

  it('validates a body whose message has no such mark, naming the field (4101)', async () => {
    const pipe = createValidationPipe();
    for (const meta of [{}, { validated: 'true' }, { validated: 1 }, undefined]) {
      const message = { meta, body: { name: 'longer than five' } };
      acceptSenderValidation(message);
      const refused = await refusal(() => pipe.transform(message.body, asPayload));
      expect(refused.code).toBe(ErrorCode.InvalidParameter);
      expect(refused.errors?.[0].field).toBe('name');
    }
    // a marked message does not vouch for any other body
    acceptSenderValidation({ meta: { validated: true }, body: { name: 'ok' } });
    const other = await refusal(() => pipe.transform({ name: 'longer than five' }, asPayload));
    expect(other.errors?.[0].field).toBe('name');
  });
});

/** Counts the validations of a query (a rule every value passes through). */
let checked = 0;
const Counted = () => ValidateBy({ name: 'counted', validator: { validate: () => (checked += 1) > 0 } });

class ListQueryDto {
  @Counted() @IsOptional() @IsIn(['todo', 'done']) scope: string = 'todo';
  @IsOptional() @Type(() => Number) @IsInt() @Max(100) pageSize: number = 20;
  @IsOptional() @IsString({ each: true }) tag?: string[];
}

describe('query strings validated once per DTO and query', () => {
  const asQuery = { type: 'query' as const, metatype: ListQueryDto };
  beforeEach(() => (checked = 0));

  /** As Fastify parses a query string (fast-querystring: `new Empty()`, its prototype `Object.create(null)`). */
  const parsed = (fields: Record<string, unknown>) => {
    const Empty = function () {} as unknown as new () => object;
    Empty.prototype = Object.create(null) as object;
    return Object.assign(new Empty(), fields);
  };

  it('gives each request its own, equal instance of what the first made of the same query', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform(parsed({ scope: 'done', tag: ['a', 'b'] }), asQuery)) as ListQueryDto;
    const second = (await pipe.transform(
      parsed({ scope: 'done', tag: ['a', 'b'] }),
      asQuery,
    )) as ListQueryDto;
    expect(checked).toBe(1);
    expect(second).toBeInstanceOf(ListQueryDto);
    expect(second).not.toBe(first);
    expect(second).toEqual({ scope: 'done', pageSize: 20, tag: ['a', 'b'] });
    expect(Object.keys(second)).toEqual(Object.keys(first));
    // a handler changing its query changes no other request's
    second.tag!.push('c');
    second.pageSize = 1;
    expect(await pipe.transform({ scope: 'done', tag: ['a', 'b'] }, asQuery)).toEqual(first);
    // an empty value still means "not given", a number still comes from its string
    expect(await pipe.transform({ scope: '', pageSize: '7' }, asQuery)).toEqual({
      scope: 'todo',
      pageSize: 7,
    });
    expect(await pipe.transform({ scope: '', pageSize: '7' }, asQuery)).toEqual({
      scope: 'todo',
      pageSize: 7,
    });
  });

  it('refuses a bad query every time, naming the field, and still applies the edge limits', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i += 1) {
      const refused = await refusal(() => pipe.transform({ pageSize: '101' }, asQuery));
      expect(refused.code).toBe(ErrorCode.InvalidParameter);
      expect(refused.errors?.[0].field).toBe('pageSize');
      const nul = await refusal(() => pipe.transform({ scope: 'do\u0000ne' }, asQuery));
      expect(nul.errors?.[0].reason).toMatch(/NUL/);
    }
    await pipe.transform({ scope: 'todo', unknown: 'x' }, asQuery);
    expect(await pipe.transform({ scope: 'todo', unknown: 'x' }, asQuery)).not.toHaveProperty('unknown');
  });
});

describe('database errors caused by input', () => {
  it.each(['22P02', '22003', '22021', '22001', '22P05'])('SQLSTATE %s is 4101, not 5003', (code) => {
    const error = Object.assign(new Error('invalid input syntax for type bigint: "x"'), {
      name: 'QueryFailedError',
      driverError: { code },
    });
    expect(badInputOf(error)).toBeDefined();
    const answer = toErrorAnswer(error, 'en');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 4101, errors: [{ field: 'request' }] });
    expect(JSON.stringify(answer.body)).not.toContain('bigint');
  });

  /** As TypeORM throws what pg reports (pg's DatabaseError fields on `driverError`). */
  const failed = (driverError: Record<string, unknown>) =>
    Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError });

  it('a constraint the request breaks is 4101 naming the column as the request field, not 5003', () => {
    const missing = failed({ code: '23502', column: 'owner_id', table: 'customer' });
    expect(toErrorAnswer(missing, 'en').body).toMatchObject({
      code: 4101,
      errors: [{ field: 'ownerId', reason: 'ownerId is required' }],
    });
    const dangling = failed({
      code: '23503',
      detail: 'Key (organization_id)=(99) is not present in table "organization".',
    });
    const answer = toErrorAnswer(dangling, 'en');
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { field: 'organizationId', reason: 'organizationId refers to a record that does not exist' },
    ]);
    expect(JSON.stringify(answer.body)).not.toContain('99'); // the stored values stay in the log
    expect(toErrorAnswer(failed({ code: '23514' }), 'en').body.errors).toEqual([
      { field: 'request', reason: 'request breaks a rule of the record' },
    ]);
  });

  it.each([
    // PostgreSQL's answers to a DELETE that a foreign key refuses: NO ACTION, and RESTRICT from version 16
    ['23503', 'Key (id)=(7) is still referenced from table "work_order".'],
    ['23001', 'Key (id)=(7) is referenced from table "work_order".'],
  ])('a delete of a row others still refer to (%s) is 4090 IN_USE, not bad input', (code, detail) => {
    const answer = toErrorAnswer(failed({ code, detail }), 'en');
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 4090, reason: 'IN_USE' });
    expect(answer.body.errors).toBeUndefined();
    expect(JSON.stringify(answer.body)).not.toContain('work_order'); // table names stay in the log
    expect(stillReferencedBy(failed({ code, detail, constraint: 'fk_work_order_type' }))).toBe(
      'fk_work_order_type',
    );
  });

  it('an insert naming a row that is not there is no "still referenced" refusal', () => {
    const dangling = failed({
      code: '23503',
      detail: 'Key (type_id)=(9) is not present in table "work_order_type".',
      constraint: 'fk_work_order_type',
    });
    expect(stillReferencedBy(dangling)).toBeUndefined();
  });

  it.each([
    ['23505', 'DUPLICATE'],
    ['40001', 'CONCURRENT_UPDATE'],
    ['40P01', 'CONCURRENT_UPDATE'],
  ])('SQLSTATE %s (another request won) is 4090 %s, not 5003', (code, reason) => {
    const answer = toErrorAnswer(failed({ code, detail: 'Key (code)=(secret)' }), 'zh');
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 4090, reason });
    expect(answer.internal).toBeUndefined();
    expect(JSON.stringify(answer.body)).not.toContain('secret');
  });

  it('a lost connection stays 5003 and a command refused by its own checks is 4101', () => {
    const lost = Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    expect(toErrorAnswer(lost, 'en').body.code).toBe(ErrorCode.DatabaseFailure);
    const command = new CommandValidationError([{ field: 'targetElementId', reason: 'must be an id' }]);
    expect(toErrorAnswer(command, 'en').body).toMatchObject({
      code: 4101,
      errors: [{ field: 'targetElementId', reason: 'must be an id' }],
    });
  });

  it('a relayed internal error keeps the error id of the app where it happened', () => {
    const relayed = new AppException(ErrorCode.Internal, 'INTERNAL', 'internal error', undefined, 'wf-123');
    expect(toErrorAnswer(relayed, 'en').body).toMatchObject({ code: 500, errorId: 'wf-123' });
  });
});
