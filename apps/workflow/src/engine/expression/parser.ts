import { EngineErrorCode, ExpressionError } from '../errors';
import type { BinaryOperator, Dialect, Node } from './ast';
import { Lexer, type Token } from './lexer';
import { EXPRESSION_LIMITS, FORBIDDEN_NAMES } from './limits';

const JUEL_KEYWORD_OPERATORS: Readonly<Record<string, BinaryOperator>> = {
  and: '&&',
  or: '||',
  eq: '==',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
  div: '/',
  mod: '%',
};

const JUEL_RESERVED = new Set([
  'and',
  'or',
  'not',
  'eq',
  'ne',
  'lt',
  'gt',
  'le',
  'ge',
  'true',
  'false',
  'null',
  'empty',
  'div',
  'mod',
  'instanceof',
]);
const FEEL_RESERVED = new Set([
  'and',
  'or',
  'true',
  'false',
  'null',
  'not',
  'if',
  'then',
  'else',
  'for',
  'some',
  'every',
  'in',
  'return',
  'satisfies',
  'between',
  'instance',
  'of',
  'function',
]);

export interface ParseResult {
  readonly ast: Node;
  /** Offset just after the last consumed token (for JUEL: just after the closing `}`). */
  readonly end: number;
}

/**
 * Recursive-descent parser for the JUEL subset (inside `${...}`) and a FEEL subset (after `=`).
 * It only builds a tree of data nodes; nothing is looked up or evaluated here.
 */
export class Parser {
  private readonly lexer: Lexer;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly dialect: Dialect,
    start = 0,
  ) {
    this.lexer = new Lexer(source, dialect, start);
  }

  /** JUEL: parse one expression and the closing `}` of its `${`. */
  parseJuelBody(): ParseResult {
    const ast = this.parseTernary();
    const close = this.lexer.next();
    if (close.type === 'punct' && close.value === '}') return { ast, end: close.end };
    if (close.type === 'eof') throw this.error(close, 'missing closing }');
    throw this.unexpected(close);
  }

  /** FEEL: parse the whole remaining input as one expression. */
  parseFeel(): ParseResult {
    const ast = this.parseFeelDisjunction();
    const eof = this.lexer.next();
    if (eof.type !== 'eof') throw this.unexpected(eof);
    return { ast, end: eof.end };
  }

  // ---------------------------------------------------------------- JUEL

  private parseTernary(): Node {
    this.enter();
    const test = this.parseOr();
    if (this.isPunct('?')) {
      const q = this.lexer.next();
      const consequent = this.parseTernary();
      this.expectPunct(':');
      const alternate = this.parseTernary();
      this.leave();
      return { kind: 'conditional', test, consequent, alternate, pos: q.pos };
    }
    this.leave();
    return test;
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    for (;;) {
      const t = this.lexer.peek();
      if (!this.isOperator(t, '||')) return left;
      this.lexer.next();
      left = { kind: 'binary', operator: '||', left, right: this.parseAnd(), pos: t.pos };
    }
  }

  private parseAnd(): Node {
    let left = this.parseEquality();
    for (;;) {
      const t = this.lexer.peek();
      if (!this.isOperator(t, '&&')) return left;
      this.lexer.next();
      left = { kind: 'binary', operator: '&&', left, right: this.parseEquality(), pos: t.pos };
    }
  }

  private parseEquality(): Node {
    let left = this.parseRelational();
    for (;;) {
      const t = this.lexer.peek();
      const op = this.operatorOf(t, ['==', '!=']);
      if (!op) return left;
      this.lexer.next();
      left = { kind: 'binary', operator: op, left, right: this.parseRelational(), pos: t.pos };
    }
  }

  private parseRelational(): Node {
    let left = this.parseAdditive();
    for (;;) {
      const t = this.lexer.peek();
      const op = this.operatorOf(t, ['<', '<=', '>', '>=']);
      if (!op) return left;
      this.lexer.next();
      left = { kind: 'binary', operator: op, left, right: this.parseAdditive(), pos: t.pos };
    }
  }

  private parseAdditive(): Node {
    let left = this.parseMultiplicative();
    for (;;) {
      const t = this.lexer.peek();
      const op = this.operatorOf(t, ['+', '-']);
      if (!op) return left;
      this.lexer.next();
      left = { kind: 'binary', operator: op, left, right: this.parseMultiplicative(), pos: t.pos };
    }
  }

  private parseMultiplicative(): Node {
    let left = this.parseUnary();
    for (;;) {
      const t = this.lexer.peek();
      const op = this.operatorOf(t, ['*', '/', '%']);
      if (!op) return left;
      this.lexer.next();
      left = { kind: 'binary', operator: op, left, right: this.parseUnary(), pos: t.pos };
    }
  }

  private parseUnary(): Node {
    const t = this.lexer.peek();
    let operator: '-' | '!' | 'empty' | undefined;
    if (t.type === 'punct' && (t.value === '-' || t.value === '!')) operator = t.value;
    else if (t.type === 'name' && t.value === 'not') operator = '!';
    else if (t.type === 'name' && t.value === 'empty') operator = 'empty';
    if (!operator) return this.parsePostfix(this.parsePrimary());
    this.lexer.next();
    this.enter();
    const argument = this.parseUnary();
    this.leave();
    return { kind: 'unary', operator, argument, pos: t.pos };
  }

  private parsePrimary(): Node {
    const t = this.lexer.next();
    switch (t.type) {
      case 'number':
        return { kind: 'literal', value: t.value as number, pos: t.pos };
      case 'string':
        return { kind: 'literal', value: t.value as string, pos: t.pos };
      case 'name': {
        const name = t.value as string;
        if (name === 'true' || name === 'false')
          return { kind: 'literal', value: name === 'true', pos: t.pos };
        if (name === 'null') return { kind: 'literal', value: null, pos: t.pos };
        if (JUEL_RESERVED.has(name)) throw this.error(t, `unexpected keyword '${name}'`);
        return this.identifier(t);
      }
      case 'punct':
        if (t.value === '(') {
          const inner = this.parseTernary();
          this.expectPunct(')');
          return inner;
        }
        throw this.unexpected(t);
      case 'eof':
        throw this.error(t, 'unexpected end of expression');
    }
  }

  private parsePostfix(base: Node): Node {
    let node = base;
    for (;;) {
      const t = this.lexer.peek();
      if (t.type !== 'punct') return node;
      if (t.value === '.') {
        this.lexer.next();
        const name = this.lexer.next();
        if (name.type !== 'name') throw this.error(name, "expected a property name after '.'");
        this.checkName(name.value as string, name.pos);
        node = {
          kind: 'member',
          object: node,
          property: { kind: 'literal', value: name.value as string, pos: name.pos },
          pos: t.pos,
        };
        continue;
      }
      if (t.value === '[') {
        this.lexer.next();
        // both entry points count one nesting level themselves
        const property = this.dialect === 'juel' ? this.parseTernary() : this.parseFeelDisjunction();
        this.expectPunct(']');
        if (property.kind === 'literal' && typeof property.value === 'string')
          this.checkName(property.value, property.pos);
        node = { kind: 'member', object: node, property, pos: t.pos };
        continue;
      }
      if (t.value === '(') {
        throw new ExpressionError(
          EngineErrorCode.UNSAFE_EXPRESSION,
          `function and method calls are not allowed (at ${t.pos})`,
          t.pos,
        );
      }
      return node;
    }
  }

  // ---------------------------------------------------------------- FEEL

  private parseFeelDisjunction(): Node {
    this.enter();
    let left = this.parseFeelConjunction();
    for (;;) {
      const t = this.lexer.peek();
      if (!(t.type === 'name' && t.value === 'or')) break;
      this.lexer.next();
      left = { kind: 'binary', operator: '||', left, right: this.parseFeelConjunction(), pos: t.pos };
    }
    this.leave();
    return left;
  }

  private parseFeelConjunction(): Node {
    let left = this.parseFeelComparison();
    for (;;) {
      const t = this.lexer.peek();
      if (!(t.type === 'name' && t.value === 'and')) return left;
      this.lexer.next();
      left = { kind: 'binary', operator: '&&', left, right: this.parseFeelComparison(), pos: t.pos };
    }
  }

  private parseFeelComparison(): Node {
    const left = this.parseFeelAdditive();
    const t = this.lexer.peek();
    if (t.type !== 'punct') return left;
    const map: Record<string, BinaryOperator> = {
      '=': '==',
      '!=': '!=',
      '<': '<',
      '<=': '<=',
      '>': '>',
      '>=': '>=',
    };
    const op = map[t.value as string];
    if (!op) return left;
    this.lexer.next();
    return { kind: 'binary', operator: op, left, right: this.parseFeelAdditive(), pos: t.pos };
  }

  private parseFeelAdditive(): Node {
    let left = this.parseFeelMultiplicative();
    for (;;) {
      const t = this.lexer.peek();
      if (!(t.type === 'punct' && (t.value === '+' || t.value === '-'))) return left;
      this.lexer.next();
      left = { kind: 'binary', operator: t.value, left, right: this.parseFeelMultiplicative(), pos: t.pos };
    }
  }

  private parseFeelMultiplicative(): Node {
    let left = this.parseFeelUnary();
    for (;;) {
      const t = this.lexer.peek();
      if (!(t.type === 'punct' && (t.value === '*' || t.value === '/'))) return left;
      this.lexer.next();
      left = { kind: 'binary', operator: t.value, left, right: this.parseFeelUnary(), pos: t.pos };
    }
  }

  private parseFeelUnary(): Node {
    const t = this.lexer.peek();
    if (t.type === 'punct' && t.value === '-') {
      this.lexer.next();
      this.enter();
      const argument = this.parseFeelUnary();
      this.leave();
      return { kind: 'unary', operator: '-', argument, pos: t.pos };
    }
    return this.parsePostfix(this.parseFeelPrimary());
  }

  private parseFeelPrimary(): Node {
    const t = this.lexer.next();
    switch (t.type) {
      case 'number':
        return { kind: 'literal', value: t.value as number, pos: t.pos };
      case 'string':
        return { kind: 'literal', value: t.value as string, pos: t.pos };
      case 'name': {
        const name = t.value as string;
        if (name === 'true' || name === 'false')
          return { kind: 'literal', value: name === 'true', pos: t.pos };
        if (name === 'null') return { kind: 'literal', value: null, pos: t.pos };
        if (name === 'not') {
          this.expectPunct('(');
          const argument = this.parseFeelDisjunction();
          this.expectPunct(')');
          return { kind: 'unary', operator: '!', argument, pos: t.pos };
        }
        if (FEEL_RESERVED.has(name)) throw this.error(t, `unsupported FEEL keyword '${name}'`);
        return this.identifier(t);
      }
      case 'punct':
        if (t.value === '(') {
          const inner = this.parseFeelDisjunction();
          this.expectPunct(')');
          return inner;
        }
        throw this.unexpected(t);
      case 'eof':
        throw this.error(t, 'unexpected end of expression');
    }
  }

  // ---------------------------------------------------------------- helpers

  private identifier(t: Token): Node {
    const name = t.value as string;
    this.checkName(name, t.pos);
    return { kind: 'identifier', name, pos: t.pos };
  }

  private checkName(name: string, pos: number): void {
    if (FORBIDDEN_NAMES.has(name)) {
      throw new ExpressionError(
        EngineErrorCode.UNSAFE_EXPRESSION,
        `access to '${name}' is not allowed (at ${pos})`,
        pos,
      );
    }
  }

  private enter(): void {
    this.depth++;
    if (this.depth > EXPRESSION_LIMITS.maxDepth) {
      const pos = this.lexer.peek().pos;
      throw new ExpressionError(
        EngineErrorCode.UNSAFE_EXPRESSION,
        `expression nested deeper than ${EXPRESSION_LIMITS.maxDepth} levels`,
        pos,
      );
    }
  }

  private leave(): void {
    this.depth--;
  }

  private isPunct(value: string): boolean {
    const t = this.lexer.peek();
    return t.type === 'punct' && t.value === value;
  }

  private expectPunct(value: string): Token {
    const t = this.lexer.next();
    if (t.type === 'punct' && t.value === value) return t;
    if (t.type === 'eof') throw this.error(t, `expected '${value}' but the expression ended`);
    throw this.error(t, `expected '${value}'`);
  }

  private isOperator(t: Token, op: BinaryOperator): boolean {
    return this.operatorOf(t, [op]) === op;
  }

  private operatorOf<T extends BinaryOperator>(t: Token, ops: readonly T[]): T | undefined {
    if (t.type === 'punct') return ops.find((o) => o === t.value);
    if (t.type === 'name' && this.dialect === 'juel') {
      const mapped = JUEL_KEYWORD_OPERATORS[t.value as string];
      return ops.find((o) => o === mapped);
    }
    return undefined;
  }

  private unexpected(t: Token): ExpressionError {
    if (t.type === 'eof') return this.error(t, 'unexpected end of expression');
    const shown = t.type === 'string' ? 'string literal' : `'${String(t.value)}'`;
    return this.error(t, `unexpected ${shown}`);
  }

  private error(t: Token, message: string): ExpressionError {
    return new ExpressionError(EngineErrorCode.INVALID_EXPRESSION, `${message} at ${t.pos}`, t.pos, {
      expression: this.source.length > 200 ? `${this.source.slice(0, 200)}…` : this.source,
    });
  }
}
