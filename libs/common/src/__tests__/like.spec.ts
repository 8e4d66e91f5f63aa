import { containsPattern, escapeLike, prefixPattern } from '../sql/like';

describe('LIKE patterns from user text', () => {
  it('makes the wildcards and the escape character match themselves', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
    expect(containsPattern('a_b')).toBe('%a\\_b%');
    expect(prefixPattern('100%')).toBe('100\\%%');
  });
});
