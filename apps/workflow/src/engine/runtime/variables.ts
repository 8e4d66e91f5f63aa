import { EngineError, EngineErrorCode } from '../errors';
import { FORBIDDEN_NAMES, isPlainObject } from '../expression';
import type { JsonValue, Variables } from './types';

export const VARIABLE_LIMITS = {
  maxDepth: 32,
  /** Largest serialised size of the variables of one command. */
  maxCommandBytes: 1_000_000,
  /** Largest serialised size of an instance's variables. */
  maxInstanceBytes: 4_000_000,
  maxNameLength: 255,
} as const;

/**
 * Copies caller-supplied variables into plain JSON data. Refuses functions, class instances,
 * cycles, non-finite numbers and prototype-related names; dates become ISO strings.
 */
export function toVariables(input: unknown, what = 'variables'): Variables {
  if (input === undefined || input === null) return {};
  if (!isPlainObject(input)) throw invalid(`${what} must be a plain object`);
  const out = copy(input, what, 0, new Set()) as Variables;
  const size = JSON.stringify(out).length;
  if (size > VARIABLE_LIMITS.maxCommandBytes)
    throw invalid(`${what} are larger than ${VARIABLE_LIMITS.maxCommandBytes} bytes`);
  return out;
}

/**
 * Deep copy of JSON data. (Not structuredClone: its copies get the prototypes of the realm that
 * created them, which breaks plain-object checks when code runs in a vm context such as jest's.)
 */
export function jsonClone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function mergeVariables(target: Variables, updates: Variables): void {
  for (const [key, value] of Object.entries(updates)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (JSON.stringify(target).length > VARIABLE_LIMITS.maxInstanceBytes) {
    throw invalid(`the instance variables would exceed ${VARIABLE_LIMITS.maxInstanceBytes} bytes`);
  }
}

function copy(value: unknown, path: string, depth: number, seen: Set<object>): JsonValue {
  if (depth > VARIABLE_LIMITS.maxDepth)
    throw invalid(`${path} is nested deeper than ${VARIABLE_LIMITS.maxDepth} levels`);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw invalid(`${path} is not a finite number`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw invalid(`${path} is an invalid date`);
        return value.toISOString();
      }
      if (seen.has(value)) throw invalid(`${path} contains a cycle`);
      seen.add(value);
      try {
        if (Array.isArray(value)) return value.map((v, i) => copy(v, `${path}[${i}]`, depth + 1, seen));
        if (!isPlainObject(value)) throw invalid(`${path} is not plain data`);
        const out: Record<string, JsonValue> = {};
        for (const key of Object.keys(value)) {
          checkName(key, path);
          const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
          if (!('value' in descriptor)) throw invalid(`${path}.${key} is an accessor, not data`);
          const v: unknown = descriptor.value;
          if (v === undefined) continue;
          Object.defineProperty(out, key, {
            value: copy(v, `${path}.${key}`, depth + 1, seen),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return out;
      } finally {
        seen.delete(value);
      }
    }
    case 'undefined':
      return null; // as JSON does for list items
    case 'bigint':
    case 'function':
    case 'symbol':
      throw invalid(`${path} is a ${typeof value}, not data`);
  }
}

function checkName(key: string, path: string): void {
  if (FORBIDDEN_NAMES.has(key)) throw invalid(`${path} uses the forbidden name '${key}'`);
  if (!key || key.length > VARIABLE_LIMITS.maxNameLength)
    throw invalid(`${path} has an empty or too long name`);
}

function invalid(message: string): EngineError {
  return new EngineError(EngineErrorCode.INVALID_VARIABLES, message);
}
