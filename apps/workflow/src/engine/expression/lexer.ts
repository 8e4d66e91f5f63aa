import { EngineErrorCode, ExpressionError } from '../errors';
import type { Dialect } from './ast';

export type TokenType = 'number' | 'string' | 'name' | 'punct' | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Number value for `number`, decoded text for `string`, the name or the punctuator otherwise. */
  readonly value: string | number;
  readonly pos: number;
  readonly end: number;
}

const JUEL_PUNCTUATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '(',
  ')',
  '[',
  ']',
  '.',
  '?',
  ':',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '!',
  '}',
];
const FEEL_PUNCTUATORS = ['!=', '<=', '>=', '(', ')', '[', ']', '.', '+', '-', '*', '/', '=', '<', '>'];

/** Constructs we recognise only to refuse them with a precise reason. */
const REFUSED_PUNCTUATORS: ReadonlyArray<readonly [string, string]> = [
  ['->', 'lambda expressions are not allowed'],
  ['+=', 'string concatenation operator is not supported'],
  [';', 'statement separators are not allowed'],
  ['{', 'map/set literals are not allowed'],
  ['`', 'template strings are not allowed'],
];

const NAME_START = /[\p{L}_$]/u;
const NAME_PART = /[\p{L}\p{N}_$]/u;

export class Lexer {
  private index: number;
  private peeked: Token | undefined;

  constructor(
    private readonly source: string,
    private readonly dialect: Dialect,
    start = 0,
  ) {
    this.index = start;
  }

  peek(): Token {
    if (!this.peeked) this.peeked = this.scan();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  private scan(): Token {
    const src = this.source;
    while (this.index < src.length && isWhitespace(src.charCodeAt(this.index))) this.index++;
    const pos = this.index;
    if (pos >= src.length) return { type: 'eof', value: '', pos, end: pos };

    const ch = src[pos]!;

    if (isDigit(ch) || (ch === '.' && isDigit(src[pos + 1] ?? ''))) return this.scanNumber(pos);
    if (ch === '"' || (ch === "'" && this.dialect === 'juel')) return this.scanString(pos, ch);
    if (NAME_START.test(ch)) {
      let end = pos + 1;
      while (end < src.length && NAME_PART.test(src[end]!)) end++;
      this.index = end;
      return { type: 'name', value: src.slice(pos, end), pos, end };
    }

    for (const [text, reason] of REFUSED_PUNCTUATORS) {
      if (src.startsWith(text, pos))
        throw new ExpressionError(EngineErrorCode.UNSAFE_EXPRESSION, `${reason} (at ${pos})`, pos);
    }
    const punctuators = this.dialect === 'juel' ? JUEL_PUNCTUATORS : FEEL_PUNCTUATORS;
    for (const p of punctuators) {
      if (src.startsWith(p, pos)) {
        this.index = pos + p.length;
        return { type: 'punct', value: p, pos, end: this.index };
      }
    }
    if (ch === '=' && this.dialect === 'juel') {
      throw new ExpressionError(
        EngineErrorCode.UNSAFE_EXPRESSION,
        `assignment is not allowed (at ${pos})`,
        pos,
      );
    }
    throw new ExpressionError(
      EngineErrorCode.INVALID_EXPRESSION,
      `unexpected character '${printable(ch)}' at ${pos}`,
      pos,
    );
  }

  private scanNumber(pos: number): Token {
    const src = this.source;
    let end = pos;
    while (isDigit(src[end] ?? '')) end++;
    if (src[end] === '.' && isDigit(src[end + 1] ?? '')) {
      end++;
      while (isDigit(src[end] ?? '')) end++;
    }
    if ((src[end] === 'e' || src[end] === 'E') && /^[eE][+-]?\d/.test(src.slice(end, end + 3))) {
      end++;
      if (src[end] === '+' || src[end] === '-') end++;
      while (isDigit(src[end] ?? '')) end++;
    }
    if (NAME_START.test(src[end] ?? '')) {
      throw new ExpressionError(EngineErrorCode.INVALID_EXPRESSION, `malformed number at ${pos}`, pos);
    }
    this.index = end;
    const value = Number(src.slice(pos, end));
    return { type: 'number', value, pos, end };
  }

  private scanString(pos: number, quote: string): Token {
    const src = this.source;
    let i = pos + 1;
    let out = '';
    while (i < src.length) {
      const c = src[i]!;
      if (c === quote) {
        this.index = i + 1;
        return { type: 'string', value: out, pos, end: this.index };
      }
      if (c === '\\' && i + 1 < src.length) {
        const n = src[i + 1]!;
        if (this.dialect === 'juel') {
          // EL: a backslash escapes only quotes and itself; anything else stays literal.
          if (n === '"' || n === "'" || n === '\\') {
            out += n;
            i += 2;
            continue;
          }
          out += c;
          i++;
          continue;
        }
        const decoded = decodeFeelEscape(src, i);
        out += decoded.text;
        i = decoded.next;
        continue;
      }
      out += c;
      i++;
    }
    throw new ExpressionError(
      EngineErrorCode.INVALID_EXPRESSION,
      `unterminated string starting at ${pos}`,
      pos,
    );
  }
}

function decodeFeelEscape(src: string, i: number): { text: string; next: number } {
  const n = src[i + 1]!;
  switch (n) {
    case 'n':
      return { text: '\n', next: i + 2 };
    case 't':
      return { text: '\t', next: i + 2 };
    case 'r':
      return { text: '\r', next: i + 2 };
    case '"':
    case "'":
    case '\\':
      return { text: n, next: i + 2 };
    case 'u': {
      const hex = src.slice(i + 2, i + 6);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) return { text: String.fromCharCode(parseInt(hex, 16)), next: i + 6 };
      throw new ExpressionError(EngineErrorCode.INVALID_EXPRESSION, `invalid unicode escape at ${i}`, i);
    }
    default:
      throw new ExpressionError(
        EngineErrorCode.INVALID_EXPRESSION,
        `invalid escape '\\${printable(n)}' at ${i}`,
        i,
      );
  }
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isWhitespace(code: number): boolean {
  // space, tab, CR, LF, form feed, no-break space, BOM, line/paragraph separators
  return (
    code === 32 ||
    code === 9 ||
    code === 10 ||
    code === 13 ||
    code === 12 ||
    code === 0xa0 ||
    code === 0xfeff ||
    code === 0x2028 ||
    code === 0x2029
  );
}

export function printable(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code < 32 || code === 127 ? `\\u${code.toString(16).padStart(4, '0')}` : c;
}
