import { EngineErrorCode, ExpressionError } from '../errors';
import type { BinaryOperator, Dialect, Node } from './ast';
import { EXPRESSION_LIMITS, FORBIDDEN_NAMES } from './limits';

/** The only values expressions see and produce: plain JSON-like data. */
export type ExpressionValue =
  null | boolean | number | string | readonly ExpressionValue[] | { readonly [key: string]: ExpressionValue };

/**
 * Variables visible to an expression, as layers searched first to last. Each layer is a plain
 * object; only its own enumerable data properties are visible.
 */
export type ExpressionScope = readonly object[];

const UNKNOWN = Symbol('unknown');

export function evaluateNode(node: Node, scope: ExpressionScope, dialect: Dialect): ExpressionValue {
  return new Interpreter(scope, dialect).eval(node);
}

class Interpreter {
  constructor(
    private readonly scope: ExpressionScope,
    private readonly dialect: Dialect,
  ) {}

  eval(node: Node): ExpressionValue {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'identifier':
        return this.identifier(node.name, node.pos);
      case 'member': {
        const base = this.eval(node.object);
        const key = this.eval(node.property);
        return this.member(base, key, node.pos);
      }
      case 'unary':
        return this.unary(node.operator, this.eval(node.argument), node.pos);
      case 'binary':
        return this.binary(node.operator, node.left, node.right, node.pos);
      case 'conditional':
        return this.toBoolean(this.eval(node.test), node.pos)
          ? this.eval(node.consequent)
          : this.eval(node.alternate);
    }
  }

  private identifier(name: string, pos: number): ExpressionValue {
    for (const layer of this.scope) {
      const value = readOwnData(layer, name, pos);
      if (value !== UNKNOWN) return value;
    }
    if (this.dialect === 'feel') return null;
    throw fail(`unknown variable '${name}'`, pos);
  }

  private member(base: ExpressionValue, key: ExpressionValue, pos: number): ExpressionValue {
    if (typeof key === 'string' && FORBIDDEN_NAMES.has(key)) {
      throw new ExpressionError(
        EngineErrorCode.UNSAFE_EXPRESSION,
        `access to '${key}' is not allowed (at ${pos})`,
        pos,
      );
    }
    if (base === null) return null;
    if (Array.isArray(base)) {
      const index = toIndex(key);
      if (index === undefined) throw fail(`a list can only be indexed by an integer (at ${pos})`, pos);
      const resolved =
        this.dialect === 'feel' ? (index > 0 ? index - 1 : index < 0 ? base.length + index : -1) : index;
      if (resolved < 0 || resolved >= base.length) return null;
      const value = readOwnData(base, String(resolved), pos);
      return value === UNKNOWN ? null : value;
    }
    if (isPlainObject(base)) {
      if (typeof key !== 'string' && typeof key !== 'number')
        throw fail(`invalid property key (at ${pos})`, pos);
      const value = readOwnData(base, String(key), pos);
      return value === UNKNOWN ? null : value;
    }
    if (this.dialect === 'feel') return null;
    throw fail(`cannot read property '${String(key)}' of a ${describe(base)} (at ${pos})`, pos);
  }

  private unary(operator: '-' | '!' | 'empty', value: ExpressionValue, pos: number): ExpressionValue {
    switch (operator) {
      case '-':
        if (this.dialect === 'feel') return typeof value === 'number' ? -value : null;
        return -this.toNumber(value, pos);
      case '!':
        if (this.dialect === 'feel') return typeof value === 'boolean' ? !value : null;
        return !this.toBoolean(value, pos);
      case 'empty':
        return isEmpty(value);
    }
  }

  private binary(operator: BinaryOperator, leftNode: Node, rightNode: Node, pos: number): ExpressionValue {
    if (operator === '&&' || operator === '||') return this.logical(operator, leftNode, rightNode, pos);
    const left = this.eval(leftNode);
    const right = this.eval(rightNode);
    return this.dialect === 'feel'
      ? feelBinary(operator, left, right)
      : this.juelBinary(operator, left, right, pos);
  }

  private logical(operator: '&&' | '||', leftNode: Node, rightNode: Node, pos: number): ExpressionValue {
    if (this.dialect === 'juel') {
      const left = this.toBoolean(this.eval(leftNode), pos);
      if (operator === '&&' ? !left : left) return left;
      return this.toBoolean(this.eval(rightNode), pos);
    }
    // FEEL: three-valued logic, non-booleans count as null.
    const l = asFeelBoolean(this.eval(leftNode));
    if (operator === '&&' && l === false) return false;
    if (operator === '||' && l === true) return true;
    const r = asFeelBoolean(this.eval(rightNode));
    if (operator === '&&') return r === false ? false : l === true && r === true ? true : null;
    return r === true ? true : l === false && r === false ? false : null;
  }

  private juelBinary(
    operator: BinaryOperator,
    left: ExpressionValue,
    right: ExpressionValue,
    pos: number,
  ): ExpressionValue {
    switch (operator) {
      case '+':
        return this.toNumber(left, pos) + this.toNumber(right, pos);
      case '-':
        return this.toNumber(left, pos) - this.toNumber(right, pos);
      case '*':
        return this.toNumber(left, pos) * this.toNumber(right, pos);
      case '/':
        return this.toNumber(left, pos) / this.toNumber(right, pos);
      case '%':
        return this.toNumber(left, pos) % this.toNumber(right, pos);
      case '==':
        return juelEquals(left, right);
      case '!=':
        return !juelEquals(left, right);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.juelCompare(operator, left, right, pos);
      case '&&':
      case '||':
        throw fail('internal: logical operator', pos);
    }
  }

  private juelCompare(
    operator: '<' | '<=' | '>' | '>=',
    left: ExpressionValue,
    right: ExpressionValue,
    pos: number,
  ): boolean {
    if (left === null || right === null) return false;
    let a: number | string;
    let b: number | string;
    if (typeof left === 'string' && typeof right === 'string') {
      a = left;
      b = right;
    } else if (
      (typeof left === 'number' || typeof left === 'string') &&
      (typeof right === 'number' || typeof right === 'string')
    ) {
      a = this.toNumber(left, pos);
      b = this.toNumber(right, pos);
    } else {
      throw fail(`cannot compare a ${describe(left)} with a ${describe(right)} (at ${pos})`, pos);
    }
    return compare(operator, a, b);
  }

  /** EL coercion to number: null is 0, numeric strings are parsed, anything else is an error. */
  private toNumber(value: ExpressionValue, pos: number): number {
    if (value === null) return 0;
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      const n = parseNumericString(value);
      if (n !== undefined) return n;
      throw fail(`'${truncate(value)}' is not a number (at ${pos})`, pos);
    }
    throw fail(`a ${describe(value)} cannot be used as a number (at ${pos})`, pos);
  }

  /** EL coercion to boolean: null is false, strings are true only when "true". */
  toBoolean(value: ExpressionValue, pos: number): boolean {
    if (value === null) return false;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') return value.trim().toLowerCase() === 'true';
    if (this.dialect === 'feel') return false;
    throw fail(`a ${describe(value)} cannot be used as a boolean (at ${pos})`, pos);
  }
}

function feelBinary(
  operator: BinaryOperator,
  left: ExpressionValue,
  right: ExpressionValue,
): ExpressionValue {
  switch (operator) {
    case '+':
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      if (typeof left === 'string' && typeof right === 'string') {
        if (left.length + right.length > EXPRESSION_LIMITS.maxResultLength)
          throw fail('string result too long', 0);
        return left + right;
      }
      return null;
    case '-':
    case '*':
    case '/':
    case '%': {
      if (typeof left !== 'number' || typeof right !== 'number') return null;
      if (operator === '-') return left - right;
      if (operator === '*') return left * right;
      if (operator === '/') return right === 0 ? null : left / right;
      return left % right;
    }
    case '==':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (typeof left === 'number' && typeof right === 'number') return compare(operator, left, right);
      if (typeof left === 'string' && typeof right === 'string') return compare(operator, left, right);
      return null;
    case '&&':
    case '||':
      return null;
  }
}

function compare(operator: '<' | '<=' | '>' | '>=', a: number | string, b: number | string): boolean {
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

function juelEquals(left: ExpressionValue, right: ExpressionValue): boolean {
  if (left === right) return true;
  if (left === null || right === null) return false;
  if (typeof left === 'number' || typeof right === 'number') {
    const a =
      typeof left === 'number' ? left : typeof left === 'string' ? parseNumericString(left) : undefined;
    const b =
      typeof right === 'number' ? right : typeof right === 'string' ? parseNumericString(right) : undefined;
    return a !== undefined && b !== undefined && a === b;
  }
  if (typeof left === 'boolean' || typeof right === 'boolean') {
    const a =
      typeof left === 'boolean'
        ? left
        : typeof left === 'string'
          ? left.trim().toLowerCase() === 'true'
          : undefined;
    const b =
      typeof right === 'boolean'
        ? right
        : typeof right === 'string'
          ? right.trim().toLowerCase() === 'true'
          : undefined;
    return a !== undefined && b !== undefined && a === b;
  }
  return deepEqual(left, right);
}

function deepEqual(a: ExpressionValue, b: ExpressionValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Readonly<Record<string, ExpressionValue>>;
  const rb = b as Readonly<Record<string, ExpressionValue>>;
  for (const k of ka) {
    if (!Object.hasOwn(rb, k)) return false;
    if (!deepEqual(ra[k] ?? null, rb[k] ?? null)) return false;
  }
  return true;
}

function asFeelBoolean(value: ExpressionValue): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

export function isEmpty(value: ExpressionValue): boolean {
  if (value === null) return true;
  if (typeof value === 'string') return value.length === 0;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Reads `key` from `container` only if it is an own, enumerable data property of a plain object
 * or array, and its value is plain data. Accessors and inherited properties are never touched.
 */
function readOwnData(container: object, key: string, pos: number): ExpressionValue | typeof UNKNOWN {
  if (FORBIDDEN_NAMES.has(key)) {
    throw new ExpressionError(
      EngineErrorCode.UNSAFE_EXPRESSION,
      `access to '${key}' is not allowed (at ${pos})`,
      pos,
    );
  }
  if (!Array.isArray(container) && !isPlainObject(container)) return UNKNOWN;
  const descriptor = Object.getOwnPropertyDescriptor(container, key);
  if (!descriptor || !descriptor.enumerable || !('value' in descriptor)) return UNKNOWN;
  return toExpressionValue(descriptor.value, pos);
}

function toExpressionValue(value: unknown, pos: number): ExpressionValue {
  switch (typeof value) {
    case 'undefined':
      return null;
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return null;
      if (Array.isArray(value) || isPlainObject(value)) return value as ExpressionValue;
      if (value instanceof Date) return value.toISOString();
      throw new ExpressionError(
        EngineErrorCode.UNSAFE_EXPRESSION,
        `only plain data can be read by expressions (at ${pos})`,
        pos,
      );
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new ExpressionError(
        EngineErrorCode.UNSAFE_EXPRESSION,
        `a ${typeof value} cannot be read by expressions (at ${pos})`,
        pos,
      );
  }
}

function toIndex(key: ExpressionValue): number | undefined {
  if (typeof key === 'number') return Number.isInteger(key) ? key : undefined;
  if (typeof key === 'string' && /^-?\d+$/.test(key)) return Number(key);
  return undefined;
}

function parseNumericString(value: string): number | undefined {
  const trimmed = value.trim();
  if (!trimmed || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

function describe(value: ExpressionValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'map' : typeof value;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function fail(message: string, pos: number): ExpressionError {
  return new ExpressionError(EngineErrorCode.EXPRESSION_FAILED, message, pos);
}

/** EL coercion used by condition sites. */
export function coerceToBoolean(value: ExpressionValue, dialect: Dialect): boolean {
  return new Interpreter([], dialect).toBoolean(value, 0);
}
