import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { FieldError } from '../errors/error-code';
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
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Commands that came out of `create()`, so validated (a command is not changed after it is made). */
const created = new WeakSet<object>();

/** Whether `create()` made (and so validated) this command: the link tells the receiver so. */
export function isValidatedCommand(command: unknown): boolean {
  return typeof command === 'object' && command !== null && created.has(command);
}

/**
 * Base of every message between the apps: `create()` validates, so an invalid command never leaves
 * the sender. The receiver trusts a command its sender marks as made here (the workflow app trusts
 * only the gateway, DESIGN §1) and validates any other with its global pipe.
 */
export abstract class Command {
  static create<T extends Command>(this: new () => T, data: Omit<T, never>): T {
    const instance = plainToInstance(this, data, { exposeDefaultValues: true });
    // Unknown fields are stripped (never forwarded), like the HTTP pipe does.
    const errors = validateSync(instance, { whitelist: true });
    if (errors.length > 0) throw new CommandValidationError(flattenValidationErrors(errors));
    created.add(instance);
    return instance;
  }
}
