import { ExpressionError } from '../errors';
import {
  compileExpression,
  evaluateCondition,
  evaluateExpression,
  hasExpression,
  validateExpression,
  type ExpressionValue,
} from '../expression';

const vars = {
  day: 5,
  approved: true,
  name: 'kermit',
  entity: { leaveDays: 5, owner: { id: 'u1' }, tags: ['a', 'b'] },
  list: [10, 20, 30],
  emptyList: [],
  emptyMap: {},
  nothing: null,
  numericText: '7',
  'weird-key': 1,
};

const ev = (src: string, v: object = vars): ExpressionValue => evaluateExpression(src, v);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return (err as ExpressionError).code;
  }
  throw new Error('expected an ExpressionError');
}

describe('JUEL literals, paths and operators', () => {
  it.each<[string, ExpressionValue]>([
    ['${1}', 1],
    ['${1.5e2}', 150],
    ['${.5}', 0.5],
    ["${'a\\'b'}", "a'b"],
    ['${"double"}', 'double'],
    ['${true}', true],
    ['${false}', false],
    ['${null}', null],
    ['${day}', 5],
    ['${entity.leaveDays}', 5],
    ["${entity['leaveDays']}", 5],
    ['${entity.owner.id}', 'u1'],
    ['${entity.tags[1]}', 'b'],
    ['${list[0]}', 10],
    ['${list[3]}', null],
    ['${entity.missing}', null],
    ['${nothing.anything}', null],
    ['${day > 3}', true],
    ['${day gt 3}', true],
    ['${day >= 5 && approved}', true],
    ['${day ge 6 or approved}', true],
    ['${day < 3}', false],
    ['${day lt 3}', false],
    ['${day <= 5}', true],
    ['${day le 4}', false],
    ['${day == 5}', true],
    ['${day eq 5}', true],
    ['${day != 5}', false],
    ['${day ne 5}', false],
    ["${name == 'kermit'}", true],
    ['${numericText == 7}', true],
    ['${!approved}', false],
    ['${not approved}', false],
    ['${empty emptyList}', true],
    ['${empty emptyMap}', true],
    ['${empty nothing}', true],
    ['${empty list}', false],
    ["${empty ''}", true],
    ['${1 + 2 * 3}', 7],
    ['${(1 + 2) * 3}', 9],
    ['${7 / 2}', 3.5],
    ['${7 div 2}', 3.5],
    ['${7 % 4}', 3],
    ['${7 mod 4}', 3],
    ['${-day}', -5],
    ['${- -day}', 5],
    ['${numericText + 1}', 8],
    ['${nothing + 1}', 1],
    ["${day > 3 ? 'long' : 'short'}", 'long'],
    ["${day > 9 ? 'long' : day > 4 ? 'mid' : 'short'}", 'mid'],
    ['#{day}', 5],
    ['\n   ${day <= 5}\n  ', true],
    ['${nrOfCompletedInstances/nrOfInstances >= 0.6 }', true],
  ])('%s', (src, expected) => {
    expect(ev(src, { ...vars, nrOfCompletedInstances: 3, nrOfInstances: 5 })).toEqual(expected);
  });

  it('evaluates composite templates to strings', () => {
    expect(ev('My Task ${loopCounter}', { loopCounter: 2 })).toBe('My Task 2');
    expect(ev('${a}-${b}', { a: 1, b: 'x' })).toBe('1-x');
    expect(ev('plain text')).toBe('plain text');
    expect(ev('cost: \\${notAnExpression}')).toBe('cost: ${notAnExpression}');
    expect(ev('${nothing} left', vars)).toBe(' left');
  });

  it('short-circuits && and ||', () => {
    expect(ev('${false && unknownVariable}')).toBe(false);
    expect(ev('${true || unknownVariable}')).toBe(true);
  });

  it('reports unknown variables instead of guessing', () => {
    expect(codeOf(() => ev('${missingVar > 1}'))).toBe('EXPRESSION_FAILED');
  });

  it('refuses type confusion with a typed error', () => {
    expect(codeOf(() => ev("${'abc' + 1}"))).toBe('EXPRESSION_FAILED');
    expect(codeOf(() => ev('${list < 3}'))).toBe('EXPRESSION_FAILED');
    expect(codeOf(() => ev('${name.length}'))).toBe('EXPRESSION_FAILED');
    expect(codeOf(() => ev('${list.size}'))).toBe('EXPRESSION_FAILED');
  });

  it('coerces conditions by EL rules', () => {
    expect(evaluateCondition(compileExpression('${day > 3}'), [vars])).toBe(true);
    expect(evaluateCondition(compileExpression("${'true'}"), [vars])).toBe(true);
    expect(evaluateCondition(compileExpression('${nothing}'), [vars])).toBe(false);
    expect(() => evaluateCondition(compileExpression('${day}'), [vars])).toThrow(ExpressionError);
  });

  it('searches scope layers first to last', () => {
    const compiled = compileExpression('${user}');
    expect(compiled.evaluate([{ user: 'local' }, { user: 'global' }])).toBe('local');
    expect(compiled.evaluate([{}, { user: 'global' }])).toBe('global');
  });
});

describe('FEEL subset (leading =)', () => {
  it.each<[string, ExpressionValue]>([
    ['= day > 3', true],
    ['=day = 5', true],
    ['= day != 5', false],
    ['= day >= 5 and approved', true],
    ['= day < 1 or approved', true],
    ['= not(approved)', false],
    ['= entity.leaveDays * 2', 10],
    ['= (1 + 2) * 3', 9],
    ['= -day', -5],
    ['= "a" + "b"', 'ab'],
    ['= list[1]', 10],
    ['= list[-1]', 30],
    ['= unknownName', null],
    ['= unknownName > 1', null],
    ['= 1 / 0', null],
    ['= null = null', true],
    ['= true and null', null],
    ['= false and null', false],
  ])('%s', (src, expected) => {
    expect(ev(src)).toEqual(expected);
  });

  it('treats only true as a met condition', () => {
    expect(evaluateCondition(compileExpression('= unknownName > 1'), [vars])).toBe(false);
    expect(evaluateCondition(compileExpression('= day > 1'), [vars])).toBe(true);
  });
});

describe('safety', () => {
  it.each([
    '${environment.constructor.constructor("return process")()}',
    '${environment.constructor}',
    '${constructor}',
    '${a.__proto__}',
    "${a['__proto__']}",
    "${a['constructor']}",
    '${x.prototype}',
    '= a.constructor',
  ])('refuses prototype access in %s at parse time', (src) => {
    const check = validateExpression(src);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.code).toBe('UNSAFE_EXPRESSION');
  });

  it.each(['${a.b()}', '${fn:upper(x)}', '${x()}', '= a.b()', '= upper(x)'])('refuses calls in %s', (src) => {
    const check = validateExpression(src);
    expect(check.ok).toBe(false);
  });

  it.each(['${a = 1}', '${x -> x}', '${a; b}', '${{1,2}}', '${a += b}'])(
    'refuses EL 3 constructs in %s',
    (src) => {
      expect(validateExpression(src).ok).toBe(false);
    },
  );

  it('refuses computed keys that evaluate to forbidden names', () => {
    expect(codeOf(() => ev('${entity[k]}', { entity: {}, k: 'constructor' }))).toBe('UNSAFE_EXPRESSION');
    expect(codeOf(() => ev('${entity[k]}', { entity: {}, k: '__proto__' }))).toBe('UNSAFE_EXPRESSION');
  });

  it('never reads inherited, non-enumerable or accessor properties', () => {
    const proto = { secret: 'inherited' };
    const child = Object.create(proto) as object;
    // an object with a foreign prototype is not plain data: refused before any property is read
    expect(codeOf(() => ev('${o.secret}', { o: child }))).toBe('UNSAFE_EXPRESSION');
    const withAccessor = {};
    let called = false;
    Object.defineProperty(withAccessor, 'x', {
      enumerable: true,
      get() {
        called = true;
        return 1;
      },
    });
    expect(ev('${o.x}', { o: withAccessor })).toBeNull();
    expect(called).toBe(false);
    expect(codeOf(() => ev('${list.length}', { list: [1, 2] }))).toBe('EXPRESSION_FAILED');
    // toString, valueOf, hasOwnProperty ... are not own data of plain objects
    expect(ev('${o.toString}', { o: {} })).toBeNull();
    expect(codeOf(() => ev('${toString}', {}))).toBe('EXPRESSION_FAILED');
  });

  it('never returns a function or class instance even if one is placed in the variables', () => {
    expect(codeOf(() => ev('${f}', { f: () => 1 }))).toBe('UNSAFE_EXPRESSION');
    expect(codeOf(() => ev('${m}', { m: new Map() }))).toBe('UNSAFE_EXPRESSION');
    expect(codeOf(() => ev('${o.f}', { o: { f: () => 1 } }))).toBe('UNSAFE_EXPRESSION');
  });

  it('refuses input beyond the length limit', () => {
    const long = '${' + '1+'.repeat(2100) + '1}';
    const check = validateExpression(long);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(/longer than 4096/);
  });

  it('refuses nesting beyond the depth limit', () => {
    const deep = '${' + '('.repeat(65) + '1' + ')'.repeat(65) + '}';
    const check = validateExpression(deep);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(/nested deeper than 64/);
    const ok = '${' + '('.repeat(60) + '1' + ')'.repeat(60) + '}';
    expect(validateExpression(ok).ok).toBe(true);
    expect(validateExpression('${' + '!'.repeat(70) + 'true}').ok).toBe(false);
  });

  it('reports the reason and position of syntax errors', () => {
    const check = validateExpression('${day >}');
    expect(check).toMatchObject({ ok: false, code: 'INVALID_EXPRESSION' });
    expect(!check.ok && check.position).toBe(7);
    expect(validateExpression('${day').ok).toBe(false);
    expect(validateExpression("${'open").ok).toBe(false);
  });

  it('detects expressions', () => {
    expect(hasExpression('${a}')).toBe(true);
    expect(hasExpression('#{a}')).toBe(true);
    expect(hasExpression(' =a')).toBe(true);
    expect(hasExpression('static:1')).toBe(false);
    expect(hasExpression(undefined)).toBe(false);
  });
});
