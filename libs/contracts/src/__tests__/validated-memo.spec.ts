import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, ValidateBy } from 'class-validator';
import { Actor } from '../actor';
import { Command, CommandValidationError, isValidatedCommand, trustActor } from '../commands/command';
import { flatKey } from '../commands/validated-memo';

/** Counts the validations of a command (a rule every field value passes through). */
let checked = 0;
const Counted = () => ValidateBy({ name: 'counted', validator: { validate: () => (checked += 1) > 0 } });

class ListThingsCommand extends Command {
  protected static override readonly carriesActor = true;
  @Counted() @IsIn(['todo', 'done']) scope?: string = 'todo';
  @IsInt() @Max(100) pageSize?: number = 20;
  @IsOptional() @IsString({ each: true }) tags?: string[];
  @IsOptional() @IsString() @MaxLength(5) name?: string;
  actor!: Actor;
}

class PlainCommand extends Command {
  @Counted() @IsOptional() @IsString() echo?: string;
  @IsOptional() variables?: Record<string, unknown>;
}

const actor = trustActor(Object.assign(new Actor(), { id: '7', kind: 'staff', permissions: ['*'] }));

describe('Command.create remembers what it made of flat fields', () => {
  beforeEach(() => (checked = 0));

  it('validates the same fields once; every call still gets its own, equal, marked command', () => {
    const first = ListThingsCommand.create({ scope: 'done', pageSize: 5, tags: ['a'], actor });
    const second = ListThingsCommand.create({ scope: 'done', pageSize: 5, tags: ['a'], actor });
    expect(checked).toBe(1);
    expect(second).not.toBe(first);
    expect(second).toBeInstanceOf(ListThingsCommand);
    expect(second).toEqual(first);
    expect(Object.keys(second)).toEqual(Object.keys(first));
    expect(second.actor).toBe(actor);
    expect(isValidatedCommand(second)).toBe(true);
    // nothing is shared: a change to one command is not in the next
    second.tags!.push('b');
    second.name = 'x';
    expect(ListThingsCommand.create({ scope: 'done', pageSize: 5, tags: ['a'], actor })).toEqual(first);
  });

  it('keeps defaults and stripping as a first creation does', () => {
    const made = ListThingsCommand.create({ actor, extra: 1 } as never);
    const again = ListThingsCommand.create({ actor, extra: 1 } as never);
    expect(again).toEqual(made);
    expect(again).toMatchObject({ scope: 'todo', pageSize: 20 });
    expect(again).not.toHaveProperty('extra');
  });

  it('refuses an invalid command every time, naming the field', () => {
    for (let i = 0; i < 2; i += 1)
      expect(() => ListThingsCommand.create({ pageSize: 101, actor })).toThrow(
        expect.objectContaining({ errors: [expect.objectContaining({ field: 'pageSize' })] }) as Error,
      );
    expect(() => ListThingsCommand.create({ name: 'toolong', actor })).toThrow(CommandValidationError);
  });

  it('forgets what it made when a class gains a rule', () => {
    class RenameCommand extends Command {
      @IsString() name?: string;
    }
    expect(RenameCommand.create({ name: 'abc' }).name).toBe('abc');
    MaxLength(2)(RenameCommand.prototype, 'name');
    expect(() => RenameCommand.create({ name: 'abc' })).toThrow(CommandValidationError);
  });

  it('tells values of different types apart', () => {
    expect(ListThingsCommand.create({ pageSize: 5, actor }).pageSize).toBe(5);
    expect(() => ListThingsCommand.create({ pageSize: '5' as never, actor })).toThrow(CommandValidationError);
  });

  it('does not remember fields that are not flat, nor a command with an untrusted actor', () => {
    PlainCommand.create({ echo: 'a', variables: { n: 1 } });
    PlainCommand.create({ echo: 'a', variables: { n: 1 } });
    expect(checked).toBe(2);
    const untrusted = Object.assign(new Actor(), { id: '8', kind: 'staff', permissions: [] });
    ListThingsCommand.create({ actor: untrusted });
    ListThingsCommand.create({ actor: untrusted });
    expect(checked).toBe(4);
  });
});

/** The shape of Fastify's parsed query string (fast-querystring: `new Empty()`, `Empty.prototype = Object.create(null)`). */
function parsedQuery(fields: Record<string, unknown>): object {
  const Empty = function () {} as unknown as new () => object;
  Empty.prototype = Object.create(null) as object;
  return Object.assign(new Empty(), fields);
}

describe('flatKey', () => {
  it('keys plain objects of flat values, keeping types, absence and order apart', () => {
    const keys = [
      { a: 1 },
      { a: '1' },
      { a: undefined },
      {},
      { a: null },
      { a: -0 },
      { a: 0 },
      { a: [1] },
      { a: ['1'] },
      { a: true },
      { a: 'true' },
      { a: 1, b: 2 },
      { b: 2, a: 1 },
    ].map(flatKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(flatKey(Object.assign(Object.create(null) as object, { a: '1' }))).toBe(flatKey({ a: '1' }));
    expect(flatKey(parsedQuery({ a: '1' }))).toBe(flatKey({ a: '1' }));
  });

  it('has no key for nested objects, class instances or sparse arrays', () => {
    expect(flatKey({ a: { b: 1 } })).toBeUndefined();
    expect(flatKey({ a: [[1]] })).toBeUndefined();
    expect(flatKey({ a: new Date(0) })).toBeUndefined();
    expect(flatKey({ a: [1, , 2] })).toBeUndefined(); // eslint-disable-line no-sparse-arrays
    expect(flatKey(new Actor())).toBeUndefined();
    expect(flatKey(Object.assign(Object.create({ inherited: 1 }) as object, { a: '1' }))).toBeUndefined();
    expect(flatKey('a')).toBeUndefined();
  });
});
