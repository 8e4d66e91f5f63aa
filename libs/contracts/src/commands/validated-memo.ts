/**
 * Remembers what validation made of flat inputs (strings, numbers, booleans, null, undefined and arrays of
 * those), per class: the same query string or command fields give the same instance, so it is copied
 * instead of transformed and validated again — the query DTO's pipe and `Command.create()` were ~17 % of
 * the gateway's CPU on the todo list (docs/performance.md, aim 2). Only successes are remembered (a refused
 * input is validated every time, so its errors are made as before); anything not flat is never remembered.
 * Correct because the rules are pure functions of the value (no validator or transform here reads the
 * clock, the database or the caller); forgotten when a class is decorated (`cacheValidationMetadata`).
 */
export class ValidatedMemo {
  private byClass = new Map<object, Map<string, object>>();

  constructor(private readonly perClass = 256) {}

  /** A copy of the instance remembered for this input, or undefined. */
  get(target: object, key: string): object | undefined {
    const found = this.byClass.get(target)?.get(key);
    return found && copyFlat(found);
  }

  /** Remembers a copy of `instance` (validated from the input `key` names) if it is flat. */
  set(target: object, key: string, instance: object): void {
    if (!isFlatInstance(instance)) return;
    let known = this.byClass.get(target);
    if (!known) this.byClass.set(target, (known = new Map()));
    // bounded: emptied when full (inputs that vary, e.g. search text, are not worth keeping)
    if (known.size >= this.perClass) known.clear();
    known.set(key, copyFlat(instance));
  }

  clear(): void {
    this.byClass = new Map();
  }
}

const memos = new Set<ValidatedMemo>();

/** A memo forgotten whenever validation rules are added (see `forgetValidatedInputs`). */
export function validatedMemo(perClass?: number): ValidatedMemo {
  const memo = new ValidatedMemo(perClass);
  memos.add(memo);
  return memo;
}

/** Called when a class is decorated: what was remembered may no longer hold. */
export function forgetValidatedInputs(): void {
  for (const memo of memos) memo.clear();
}

/**
 * The key of a plain object whose values are all flat, or undefined (then nothing is remembered). Types are
 * kept apart ('1' is not 1, undefined is not absent, -0 is not 0) since class-transformer and the
 * validators tell them apart.
 */
export function flatKey(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (!isDictionary(value)) return undefined;
  let key = '';
  for (const name of Object.keys(value)) {
    const part = flatPart((value as Record<string, unknown>)[name], true);
    if (part === undefined) return undefined;
    key += `${JSON.stringify(name)}${part},`;
  }
  return key;
}

/**
 * A plain object, or a dictionary without a prototype chain: Fastify's query parser (fast-querystring)
 * makes its result from a constructor whose prototype is an empty `Object.create(null)`.
 */
function isDictionary(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === Object.prototype || proto === null) return true;
  return Object.getPrototypeOf(proto) === null && Reflect.ownKeys(proto).length === 0;
}

function flatPart(value: unknown, arrayAllowed: boolean): string | undefined {
  switch (typeof value) {
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'number':
      return Object.is(value, -0) ? 'n-0' : `n${value}`;
    case 'boolean':
      return value ? 'T' : 'F';
    case 'undefined':
      return 'u';
    case 'object': {
      if (value === null) return 'N';
      if (!arrayAllowed || !Array.isArray(value)) return undefined;
      let key = '[';
      for (let i = 0; i < value.length; i += 1) {
        if (!(i in value)) return undefined;
        const part = flatPart(value[i], false);
        if (part === undefined) return undefined;
        key += `${part},`;
      }
      return `${key}]`;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
      return undefined;
  }
}

function isFlatInstance(instance: object): boolean {
  for (const value of Object.values(instance)) {
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return false;
      continue;
    }
    if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
    if (value.some((item) => item !== null && (typeof item === 'object' || typeof item === 'function')))
      return false;
  }
  // own properties only as plain data (no accessors or symbols, all enumerable), so a copy is the same object
  if (Object.getOwnPropertySymbols(instance).length > 0) return false;
  return Object.entries(Object.getOwnPropertyDescriptors(instance)).every(
    ([, d]) => 'value' in d && d.enumerable && d.writable && d.configurable,
  );
}

/** Same class, same own properties in the same order; arrays copied, so no caller shares another's. */
function copyFlat<T extends object>(instance: T): T {
  const copy = Object.create(Object.getPrototypeOf(instance) as object | null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(instance))
    copy[name] = Array.isArray(value) ? value.slice() : value;
  return copy as T;
}
