import { EngineErrorCode, ExpressionError, isEngineError, type ExpressionErrorCode } from '../errors';
import type { Dialect, Node } from './ast';
import { coerceToBoolean, evaluateNode, type ExpressionScope, type ExpressionValue } from './interpreter';
import { EXPRESSION_LIMITS } from './limits';
import { Parser } from './parser';

/**
 * A parsed expression source. Three shapes are accepted:
 * - FEEL: the trimmed text starts with `=`; the rest is one FEEL expression.
 * - a single JUEL expression: the trimmed text is exactly one `${...}` / `#{...}`; evaluates to
 *   the expression's value (any type);
 * - a composite template: text with embedded `${...}` (or none at all); evaluates to a string.
 */
export interface CompiledExpression {
  readonly source: string;
  readonly dialect: Dialect | 'text';
  /** True when the source contains no expression at all (plain text). */
  readonly isLiteral: boolean;
  evaluate(scope: ExpressionScope): ExpressionValue;
}

type Part = { readonly text: string } | { readonly ast: Node };

class Compiled implements CompiledExpression {
  constructor(
    readonly source: string,
    readonly dialect: Dialect | 'text',
    private readonly parts: readonly Part[],
    /** One expression with nothing around it: return its value as is. */
    private readonly single: boolean,
  ) {}

  get isLiteral(): boolean {
    return this.parts.every((p) => 'text' in p);
  }

  evaluate(scope: ExpressionScope): ExpressionValue {
    try {
      const dialect: Dialect = this.dialect === 'feel' ? 'feel' : 'juel';
      if (this.single) {
        const part = this.parts[0]!;
        return 'ast' in part ? evaluateNode(part.ast, scope, dialect) : part.text;
      }
      let out = '';
      for (const part of this.parts) {
        out += 'text' in part ? part.text : stringify(evaluateNode(part.ast, scope, dialect));
        if (out.length > EXPRESSION_LIMITS.maxResultLength) {
          throw new ExpressionError(EngineErrorCode.EXPRESSION_FAILED, 'template result too long');
        }
      }
      return out;
    } catch (err) {
      throw asExpressionError(err, EngineErrorCode.EXPRESSION_FAILED);
    }
  }
}

/** Parses `source`; throws `ExpressionError` (INVALID_EXPRESSION or UNSAFE_EXPRESSION). */
export function compileExpression(source: string): CompiledExpression {
  if (typeof source !== 'string') {
    throw new ExpressionError(EngineErrorCode.INVALID_EXPRESSION, 'expression must be a string');
  }
  if (source.length > EXPRESSION_LIMITS.maxLength) {
    throw new ExpressionError(
      EngineErrorCode.UNSAFE_EXPRESSION,
      `expression longer than ${EXPRESSION_LIMITS.maxLength} characters (${source.length})`,
    );
  }
  try {
    return compileUnchecked(source);
  } catch (err) {
    throw asExpressionError(err, EngineErrorCode.INVALID_EXPRESSION);
  }
}

function compileUnchecked(source: string): CompiledExpression {
  const trimmed = source.trim();
  if (trimmed.startsWith('=')) {
    const start = source.indexOf('=') + 1;
    const { ast } = new Parser(source, 'feel', start).parseFeel();
    return new Compiled(source, 'feel', [{ ast }], true);
  }

  const parts: Part[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\' && (source[i + 1] === '$' || source[i + 1] === '#') && source[i + 2] === '{') {
      text += source.slice(i + 1, i + 3);
      i += 3;
      continue;
    }
    if ((c === '$' || c === '#') && source[i + 1] === '{') {
      if (text) parts.push({ text });
      text = '';
      const { ast, end } = new Parser(source, 'juel', i + 2).parseJuelBody();
      parts.push({ ast });
      i = end;
      continue;
    }
    text += c;
    i++;
  }
  if (text) parts.push({ text });

  const expressionParts = parts.filter((p) => 'ast' in p);
  if (expressionParts.length === 0)
    return new Compiled(
      source,
      'text',
      [{ text: parts.map((p) => ('text' in p ? p.text : '')).join('') }],
      true,
    );
  // `${x}` possibly surrounded by whitespace only (CDATA conditions have newlines around).
  const single = expressionParts.length === 1 && parts.every((p) => 'ast' in p || p.text.trim() === '');
  return new Compiled(source, 'juel', single ? expressionParts : parts, single);
}

export type ExpressionCheck =
  | { readonly ok: true; readonly dialect: Dialect | 'text' }
  | {
      readonly ok: false;
      readonly code: ExpressionErrorCode;
      readonly reason: string;
      readonly position?: number;
    };

/** Deploy-time check: parses only, never evaluates. */
export function validateExpression(source: string): ExpressionCheck {
  try {
    return { ok: true, dialect: compileExpression(source).dialect };
  } catch (err) {
    const e = err as ExpressionError;
    return {
      ok: false,
      code: e.code as ExpressionErrorCode,
      reason: e.message,
      ...(e.position !== undefined && { position: e.position }),
    };
  }
}

/** True when `text` would be evaluated (contains `${`/`#{` or starts with `=`), false for plain text. */
export function hasExpression(text: string | undefined | null): boolean {
  if (!text) return false;
  return /[$#]\{/.test(text) || text.trim().startsWith('=');
}

/** One-shot convenience: compile (cached) and evaluate against plain variables. */
export function evaluateExpression(source: string, variables: object = {}): ExpressionValue {
  return cachedCompile(source).evaluate([variables]);
}

/** Evaluates a condition: the result is coerced to a boolean by EL rules (FEEL: only `true` is true). */
export function evaluateCondition(expression: CompiledExpression, scope: ExpressionScope): boolean {
  const value = expression.evaluate(scope);
  try {
    if (expression.dialect === 'feel') return value === true;
    if (typeof value === 'boolean') return value;
    if (value === null || typeof value === 'string') return coerceToBoolean(value, 'juel');
  } catch (err) {
    throw asExpressionError(err, EngineErrorCode.EXPRESSION_FAILED);
  }
  throw new ExpressionError(
    EngineErrorCode.EXPRESSION_FAILED,
    `condition did not evaluate to a boolean: ${expression.source.trim()}`,
  );
}

const cache = new Map<string, CompiledExpression>();
const CACHE_LIMIT = 2000;

/** `compileExpression` with a bounded process-wide cache (sources are immutable definition text). */
export function cachedCompile(source: string): CompiledExpression {
  const hit = cache.get(source);
  if (hit) return hit;
  const compiled = compileExpression(source);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(source, compiled);
  return compiled;
}

function stringify(value: ExpressionValue): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Anything thrown inside the evaluator leaves it as an `ExpressionError` (stack overflow included). */
function asExpressionError(err: unknown, fallback: ExpressionErrorCode): ExpressionError {
  if (err instanceof ExpressionError) return err;
  if (isEngineError(err)) return new ExpressionError(fallback, err.message);
  const message =
    err instanceof RangeError ? 'expression too complex to evaluate' : 'expression could not be evaluated';
  return new ExpressionError(fallback, message);
}
