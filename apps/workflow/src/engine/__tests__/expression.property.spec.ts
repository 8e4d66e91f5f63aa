import fc from 'fast-check';
import { ExpressionError } from '../errors';
import { compileExpression, EXPRESSION_LIMITS, validateExpression } from '../expression';

const scope = [
  {
    a: 1,
    b: 'text',
    c: [1, 2, { d: true }],
    e: { f: { g: null }, h: [] },
    environment: { variables: { x: 1 } },
  },
];

/** Token soup: pieces of the grammar glued at random, so the parser sees almost-valid input. */
const tokenSoup = fc
  .array(
    fc.constantFrom(
      '${',
      '#{',
      '}',
      '=',
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
      '!',
      '&&',
      '||',
      '==',
      '!=',
      '<',
      '<=',
      '>',
      '>=',
      'and',
      'or',
      'not',
      'empty',
      'div',
      'mod',
      'eq',
      'lt',
      'true',
      'false',
      'null',
      'a',
      'b',
      'c',
      'e',
      'f',
      'constructor',
      '__proto__',
      'prototype',
      'toString',
      'valueOf',
      'environment',
      "'s'",
      '"s"',
      '0',
      '1',
      '2.5',
      '1e3',
      ' ',
      '\n',
      '\\',
      "'",
      '"',
      ',',
      ';',
      '->',
      '{',
      'this',
      'process',
      'require',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

function outcome(src: string): unknown {
  try {
    return compileExpression(src).evaluate(scope);
  } catch (err) {
    return err;
  }
}

describe('expression evaluator properties', () => {
  it('random strings either evaluate to plain data or throw an ExpressionError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 80 }), tokenSoup),
        (src) => {
          const result = outcome(src);
          if (result instanceof Error) {
            expect(result).toBeInstanceOf(ExpressionError);
            return;
          }
          expect(typeof result).not.toBe('function');
          expect(['string', 'number', 'boolean', 'object']).toContain(typeof result);
          if (result !== null && typeof result === 'object') {
            const proto: unknown = Object.getPrototypeOf(result);
            expect(Array.isArray(result) || proto === Object.prototype).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('validateExpression never throws and agrees with compileExpression', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), tokenSoup), (src) => {
        const check = validateExpression(src);
        let compiled = true;
        try {
          compileExpression(src);
        } catch {
          compiled = false;
        }
        expect(check.ok).toBe(compiled);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses any path that names constructor, __proto__ or prototype', () => {
    const segment = fc.constantFrom('a', 'e', 'f', 'g', 'environment', 'variables', 'x');
    const forbidden = fc.constantFrom('constructor', '__proto__', 'prototype');
    const accessor = (name: string, bracket: boolean, quote: string) =>
      bracket ? `[${quote}${name}${quote}]` : `.${name}`;
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 4 }),
        forbidden,
        fc.array(segment, { maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom("'", '"'),
        fc.constantFrom('${', '#{', '='),
        (before, bad, after, bracket, quote, opener) => {
          const q = opener === '=' ? '"' : quote;
          const path =
            ['a', ...before].map((s, i) => (i === 0 ? s : `.${s}`)).join('') +
            accessor(bad, bracket, q) +
            after.map((s) => `.${s}`).join('');
          const src = opener === '=' ? `= ${path}` : `${opener}${path}}`;
          const check = validateExpression(src);
          expect(check.ok).toBe(false);
          expect(!check.ok && check.code).toBe('UNSAFE_EXPRESSION');
        },
      ),
    );
  });

  it('refuses dynamic keys that evaluate to forbidden names at run time', () => {
    fc.assert(
      fc.property(fc.constantFrom('constructor', '__proto__', 'prototype'), (key) => {
        const err = outcomeWith('${o[k]}', { o: { inner: 1 }, k: key });
        expect(err).toBeInstanceOf(ExpressionError);
        expect((err as ExpressionError).code).toBe('UNSAFE_EXPRESSION');
      }),
    );
  });

  it('refuses nesting deeper than the limit and accepts it up to the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.constantFrom('(', '['), (depth, open) => {
        const inner =
          open === '('
            ? '('.repeat(depth) + '1' + ')'.repeat(depth)
            : 'c' + '[0'.repeat(depth) + ']'.repeat(depth);
        const check = validateExpression('${' + inner + '}');
        // one level is the expression itself
        if (depth < EXPRESSION_LIMITS.maxDepth) expect(check.ok).toBe(true);
        if (depth > EXPRESSION_LIMITS.maxDepth) {
          expect(check.ok).toBe(false);
          expect(!check.ok && check.code).toBe('UNSAFE_EXPRESSION');
        }
      }),
    );
  });

  it('refuses input longer than the limit whatever it contains', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 3000 }),
        (chunk, extra) => {
          const src = chunk.repeat(Math.ceil((EXPRESSION_LIMITS.maxLength + extra) / chunk.length));
          const check = validateExpression(src);
          expect(check.ok).toBe(false);
          expect(!check.ok && check.code).toBe('UNSAFE_EXPRESSION');
        },
      ),
      { numRuns: 50 },
    );
  });

  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
  const anyNumber = fc.oneof(
    finite,
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.constantFrom(0, -0, 1, -1, 0.1, 1e308, -1e308),
  );

  it('JUEL arithmetic agrees with JavaScript on numbers', () => {
    const ops = {
      '+': (x: number, y: number) => x + y,
      '-': (x: number, y: number) => x - y,
      '*': (x: number, y: number) => x * y,
      '/': (x: number, y: number) => x / y,
      '%': (x: number, y: number) => x % y,
      div: (x: number, y: number) => x / y,
      mod: (x: number, y: number) => x % y,
    };
    fc.assert(
      fc.property(
        anyNumber,
        anyNumber,
        fc.constantFrom(...(Object.keys(ops) as (keyof typeof ops)[])),
        (x, y, op) => {
          const result = compileExpression(`\${x ${op} y}`).evaluate([{ x, y }]);
          expect(Object.is(result, ops[op](x, y))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('JUEL comparisons and literals agree with JavaScript on numbers', () => {
    const ops = {
      '<': (x: number, y: number) => x < y,
      '<=': (x: number, y: number) => x <= y,
      '>': (x: number, y: number) => x > y,
      '>=': (x: number, y: number) => x >= y,
      '==': (x: number, y: number) => x === y,
      '!=': (x: number, y: number) => x !== y,
    };
    fc.assert(
      fc.property(
        anyNumber,
        fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(...(Object.keys(ops) as (keyof typeof ops)[])),
        (x, literal, op) => {
          const result = compileExpression(`\${x ${op} ${String(literal)}}`).evaluate([{ x }]);
          expect(result).toBe(ops[op](x, literal));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('FEEL arithmetic agrees with JavaScript on numbers (division by zero is null)', () => {
    fc.assert(
      fc.property(anyNumber, anyNumber, fc.constantFrom('+', '-', '*', '/'), (x, y, op) => {
        const result = compileExpression(`= x ${op} y`).evaluate([{ x, y }]);
        const expected =
          op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : y === 0 ? null : x / y;
        expect(Object.is(result, expected)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

function outcomeWith(src: string, vars: object): unknown {
  try {
    return compileExpression(src).evaluate([vars]);
  } catch (err) {
    return err;
  }
}
