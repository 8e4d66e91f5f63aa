import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { cacheValidationMetadata, flatKey, flattenValidationErrors, validatedMemo } from '@app/contracts';
import { findInputProblem, findParamsProblem, INPUT_LIMITS, type InputLimits } from '../http/input-limits';
import { AppException } from './app.exception';

/**
 * The one global pipe (DESIGN §8) of both apps: unknown fields are stripped (never bound), and every
 * failure names the field. Before class-transformer sees a value, the edge limits apply to every
 * input of every route, DTO-typed or not: nesting depth, array and key counts, NUL characters (which
 * PostgreSQL refuses), and record ids in the path (positive integers within bigint).
 */
export class EdgeValidationPipe extends ValidationPipe {
  /** What a query string became (same query, same DTO; the edge checks and the rules are pure). */
  private readonly queries = validatedMemo();

  constructor(private readonly limits: InputLimits = INPUT_LIMITS) {
    super({
      whitelist: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors: ValidationError[]) => AppException.invalid(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A link command its sender made with Command.create(): typed, not validated twice.
    if (isSenderValidated(value) && metadata.metatype && this.toValidate(metadata))
      return plainToInstance(metadata.metatype, value, this.transformOptions);
    // Actor, idempotency key and other custom decorators are built by our own code, not sent as-is.
    if (metadata.type === 'query') return this.query(value, metadata);
    if (metadata.type !== 'custom') assertEdgeInput(value, metadata, this.limits);
    return super.transform(value, metadata);
  }

  private async query(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    // a whole query typed by a DTO (not one named parameter, which is not validated by class)
    const key = !metadata.data && metatype && this.toValidate(metadata) ? flatKey(value) : undefined;
    const known = key === undefined ? undefined : this.queries.get(metatype!, key);
    if (known) return known;
    assertEdgeInput(value, metadata, this.limits);
    const result = await super.transform(emptyAsNotGiven(value, metatype), metadata);
    if (key !== undefined && result instanceof metatype!) this.queries.set(metatype!, key, result);
    return result;
  }
}

/**
 * An empty query value (`status=`, `pageNum=`) on a parameter with a default means "not given", so the
 * default the document states applies — not "no filter" (a transform's undefined replaced the default)
 * and not 4101 (`pageNum` read '' as a number).
 */
function emptyAsNotGiven(value: unknown, metatype: ArgumentMetadata['metatype']): unknown {
  if (typeof value !== 'object' || value === null || typeof metatype !== 'function') return value;
  const query = value as Record<string, unknown>;
  const empty = Object.keys(query).filter((key) => query[key] === '');
  if (!empty.length) return value;
  let defaults: Record<string, unknown>;
  try {
    defaults = new (metatype as new () => Record<string, unknown>)();
  } catch {
    return value;
  }
  const given = { ...query };
  for (const key of empty) if (defaults[key] !== undefined) delete given[key];
  return given;
}

function assertEdgeInput(value: unknown, metadata: ArgumentMetadata, limits: InputLimits): void {
  const problem =
    metadata.type === 'param'
      ? findParamsProblem(metadata.data ? { [metadata.data]: value } : value, limits)
      : findInputProblem(value, metadata.data ?? '', limits);
  if (problem) throw AppException.invalid([problem]);
}

/** Link message bodies whose sender says `Command.create()` validated them (`meta.validated`). */
const senderValidated = new WeakSet<object>();

/**
 * Link side, before the pipe (a guard or interceptor, after the link secret is checked): the body of a
 * message whose `meta.validated` is true is only typed by the pipe, not validated again. The workflow
 * app trusts the gateway (DESIGN §1), which validated the command when it made it; a message without
 * the mark (another sender, an older gateway) is validated as before.
 */
export function acceptSenderValidation(message: unknown): void {
  const { meta, body } = (message ?? {}) as { meta?: { validated?: unknown }; body?: unknown };
  if (meta?.validated === true && typeof body === 'object' && body !== null) senderValidated.add(body);
}

function isSenderValidated(value: unknown): boolean {
  return typeof value === 'object' && value !== null && senderValidated.has(value);
}

/** `limits`: the workflow app's commands come from the gateway, which already bounded the sizes. */
export function createValidationPipe(limits?: InputLimits): ValidationPipe {
  cacheValidationMetadata();
  return new EdgeValidationPipe(limits);
}
