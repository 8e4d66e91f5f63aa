import type { FieldError } from '@app/contracts';

/**
 * Limits every request input (body, query, path, command payload) must keep before any DTO code
 * (class-transformer recurses per level and overflows the stack around 3,000 levels), a validator
 * (validator.js's byte-length and e-mail checks throw on a lone surrogate) or PostgreSQL (which refuses
 * NUL in text; the driver would turn a lone surrogate into U+FFFD, silently; JSON turns a number too
 * large for a double into null) sees it. No DTO of the
 * platform nests or lists more than this.
 */
export interface InputLimits {
  maxDepth: number;
  maxArrayLength: number;
  maxKeys: number;
}

export const INPUT_LIMITS: InputLimits = {
  /** Objects/arrays inside objects/arrays: a body `{a:{b:1}}` has depth 2. */
  maxDepth: 32,
  /** Items of one array; batch uploads stay at or under 1,000 records. */
  maxArrayLength: 1000,
  /** Keys of one object (form data, variables included). */
  maxKeys: 1000,
};

const NUL = '\u0000';

/** A problem of one string as text, or undefined; `subject` is '' for a value, 'key ' for a key. */
function textProblem(text: string, subject: '' | 'key '): string | undefined {
  if (text.includes(NUL)) return `${subject}must not contain NUL (\\u0000) characters`;
  // ES2024's String.prototype.isWellFormed (Node 20+), not yet in the ES2023 lib typings
  if (!(text as { isWellFormed(): boolean } & string).isWellFormed())
    return `${subject}must be well-formed Unicode (a lone UTF-16 surrogate is not)`;
  return undefined;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function isPlainContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  // Fastify's querystring parser makes objects whose prototype has a null prototype; Buffers,
  // Dates and other class instances are left alone.
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * The first problem of an input, or undefined. Walks iteratively (an explicit stack), so even a
 * 100,000-level document cannot overflow the stack here; stops at the first problem found.
 * `root` names the input in the field path (`body`, `query`, `id`…); body fields are named bare.
 */
export function findInputProblem(
  value: unknown,
  root: string,
  limits: InputLimits = INPUT_LIMITS,
): FieldError | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    const field = path || 'body';
    if (typeof current === 'string') {
      const problem = textProblem(current, '');
      if (problem) return { field, reason: problem };
      continue;
    }
    // JSON.parse reads 1e400 as Infinity, which free-form JSON (variables, form data) stored as null
    if (typeof current === 'number' && !Number.isFinite(current))
      return { field, reason: 'must be a finite number (beyond ±1.8e308)' };
    if (!isPlainContainer(current)) continue;
    if (depth >= limits.maxDepth) return { field, reason: `nested deeper than ${limits.maxDepth} levels` };
    if (Array.isArray(current)) {
      if (current.length > limits.maxArrayLength)
        return { field, reason: `must hold at most ${limits.maxArrayLength} items` };
      for (let i = current.length - 1; i >= 0; i--)
        stack.push({ value: current[i], path: join(path, i), depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > limits.maxKeys) return { field, reason: `must hold at most ${limits.maxKeys} keys` };
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const problem = textProblem(key, 'key ');
      if (problem) return { field: join(path, key), reason: problem };
      stack.push({ value: current[key], path: join(path, key), depth: depth + 1 });
    }
  }
  return undefined;
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** A record id as the platform's bigint keys spell it: a positive integer within PostgreSQL's bigint. */
export function isBigintId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT;
}

/** Path parameters that always name a record by its bigint id (the seed-004 `processId` may be a key). */
export const ID_PATH_PARAMS: ReadonlySet<string> = new Set([
  'id',
  'taskId',
  'processInstanceId',
  'deliveryId',
]);

/**
 * The first problem of a request's inputs: body and query (depth, sizes, NUL, lone surrogates) and path
 * parameters (the same, and ids where a parameter names a record).
 */
export function findRequestProblem(
  request: { body?: unknown; query?: unknown; params?: unknown },
  limits: InputLimits = INPUT_LIMITS,
): FieldError | undefined {
  const found = findInputProblem(request.body, '', limits) ?? findInputProblem(request.query, '', limits);
  if (found) return found;
  return findParamsProblem(request.params, limits);
}

export function findParamsProblem(
  params: unknown,
  limits: InputLimits = INPUT_LIMITS,
): FieldError | undefined {
  if (params === null || typeof params !== 'object') return undefined;
  const found = findInputProblem(params, '', limits);
  if (found) return found;
  for (const [name, value] of Object.entries(params)) {
    if (ID_PATH_PARAMS.has(name) && !isBigintId(value))
      return { field: name, reason: 'must be a positive integer id (at most 2^63-1)' };
  }
  return undefined;
}
