import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { Actor } from '../actor';
import type { FieldError } from '../errors/error-code';
import { ITEM_REASON } from './each-item';
import { flatKey, validatedMemo } from './validated-memo';
import { cacheValidationMetadata } from './validation-metadata-cache';

cacheValidationMetadata();

export class CommandValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(`invalid command: ${errors.map((e) => `${e.field} ${e.reason}`).join('; ')}`);
  }
}

/** Flattens class-validator's nested errors into `{ field: 'a.b[0].c', reason }` pairs. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => {
      const item = ITEM_REASON.exec(reason);
      return item
        ? { field: `${field}[${item[1]}]`, reason: `${field}[${item[1]}] ${item[2]}` }
        : { field, reason };
    });
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Commands that came out of `create()`, so validated (a command is not changed after it is made). */
const created = new WeakSet<object>();

/** Whether `create()` made (and so validated) this command: the link tells the receiver so. */
export function isValidatedCommand(command: unknown): boolean {
  return typeof command === 'object' && command !== null && created.has(command);
}

/** What `create()` made of flat fields (a list's page, scope and filters), per command class. */
const createdFrom = validatedMemo();

/** Actors `trustActor()` validated and froze: a command attaches one as it is. */
const trustedActors = new WeakSet<Actor>();

/**
 * For an Actor that serves many requests (the gateway's principal cache): validates it once, like a
 * command would, and if valid freezes it (arrays too) so `create()` need not validate it again — a
 * quarter of a workflow command's validation in a CPU profile. An invalid actor is left as it is, so
 * the command carrying it is refused as before.
 */
export function trustActor<T extends Actor>(actor: T): T {
  if (trustedActors.has(actor)) return actor;
  // An unknown field makes it untrusted rather than stripped: the command's own copy is stripped instead.
  const errors = validateSync(actor, { whitelist: true, forbidNonWhitelisted: true });
  if (!(actor instanceof Actor) || errors.length > 0) return actor;
  for (const value of Object.values(actor)) if (Array.isArray(value)) Object.freeze(value);
  trustedActors.add(Object.freeze(actor));
  return actor;
}

/**
 * Base of every message between the apps: `create()` validates, so an invalid command never leaves
 * the sender. The receiver trusts a command its sender marks as made here (the workflow app trusts
 * only the gateway, DESIGN §1) and validates any other with its global pipe.
 */
export abstract class Command {
  /** Whether the command has an `actor` field (ActorCommand): only then is a trusted one attached. */
  protected static readonly carriesActor: boolean = false;

  static create<T extends Command>(this: new () => T, data: Omit<T, never>): T {
    const { actor, ...own } = data as { actor?: unknown };
    const trusted =
      (this as unknown as typeof Command).carriesActor &&
      typeof actor === 'object' &&
      actor !== null &&
      trustedActors.has(actor as Actor);
    const fields = trusted ? own : data;
    const key = flatKey(fields);
    let instance = key === undefined ? undefined : (createdFrom.get(this, key) as T | undefined);
    if (!instance) {
      instance = plainToInstance(this, fields, { exposeDefaultValues: true });
      // Unknown fields are stripped (never forwarded), like the HTTP pipe does.
      const errors = validateSync(instance, { whitelist: true });
      if (errors.length > 0) throw new CommandValidationError(flattenValidationErrors(errors));
      if (key !== undefined) createdFrom.set(this, key, instance);
    }
    if (trusted) Object.assign(instance, { actor });
    created.add(instance);
    return instance;
  }
}
