import { describe, expect, it } from 'vitest';
import { toCsv } from '@/utils/download';

describe('CSV downloads of console tables', () => {
  it('puts formula-like text behind an apostrophe and leaves numbers and phone numbers alone', () => {
    const text = toCsv(
      ['name', 'phone', 'count'],
      [
        ['=HYPERLINK("http://evil","x")', '+86 138 0000 0000', -2],
        ['@SUM(A1)', '-5', 3],
      ],
    );
    expect(text).toBe(
      '\uFEFFname,phone,count\r\n"\'=HYPERLINK(""http://evil"",""x"")",+86 138 0000 0000,-2\r\n\'@SUM(A1),-5,3\r\n',
    );
  });
});
