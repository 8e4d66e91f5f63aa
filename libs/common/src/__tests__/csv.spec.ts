import { parse } from 'csv-parse/sync';
import { AppException } from '../exceptions/app.exception';
import { csvText, MAX_IMPORT_ROWS, parseCsvRows, toCsv } from '../csv/csv';

const refusal = (csv: string) => {
  try {
    parseCsvRows(csv);
  } catch (error) {
    expect(error).toBeInstanceOf(AppException);
    return (error as AppException).errors ?? [];
  }
  throw new Error('accepted');
};

describe('CSV of imports and exports', () => {
  it('puts formula-like text behind an apostrophe, so a spreadsheet shows it instead of running it (CSV injection)', () => {
    for (const formula of [
      '=HYPERLINK("http://evil","x")',
      '=1+1',
      '@SUM(A1)',
      "+cmd|'/C calc'!A0",
      '-2+3*cmd|x',
      '\t=1',
    ])
      expect(csvText(formula)).toBe(`'${formula}`);
    for (const plain of [
      '华东电网',
      '-5',
      '+86 138 0000 0000',
      '-3.5',
      '(021) 5555-1234',
      "it's",
      '',
      "'quoted",
    ])
      expect(csvText(plain)).toBe(plain);
    const text = toCsv([
      ['name', 'phone', 'level'],
      ['=cmd()', '+86 138 0000 0000', -2],
    ]);
    expect(parse(text, { bom: true })).toEqual([
      ['name', 'phone', 'level'],
      ["'=cmd()", '+86 138 0000 0000', '-2'],
    ]);
    // the apostrophe comes off again on import, so an exported file imports the same values
    expect(parseCsvRows(text)).toEqual([{ name: '=cmd()', phone: '+86 138 0000 0000', level: '-2' }]);
    expect(parseCsvRows("name\n'quoted\n")).toEqual([{ name: "'quoted" }]);
  });
  it('reads rows by header, trimmed, without the BOM a spreadsheet program writes or blank lines', () => {
    expect(parseCsvRows('\uFEFFname, phone\n 华东电网 ,13800000000\n\n"a, b",\n')).toEqual([
      { name: '华东电网', phone: '13800000000' },
      { name: 'a, b', phone: '' },
    ]);
  });

  it('refuses text that is not CSV, no rows and too many rows on the csv field', () => {
    expect(refusal('name\n"open')).toEqual([{ field: 'csv', reason: expect.stringMatching(/^not CSV: /) }]);
    expect(refusal('name\n')).toEqual([
      { field: 'csv', reason: `must hold 1 to ${MAX_IMPORT_ROWS} data rows` },
    ]);
    expect(refusal(`name\n${'x\n'.repeat(MAX_IMPORT_ROWS + 1)}`)[0]?.field).toBe('csv');
    expect(parseCsvRows(`name\n${'x\n'.repeat(MAX_IMPORT_ROWS)}`)).toHaveLength(MAX_IMPORT_ROWS);
  });

  it('refuses a header naming a column twice, where the last cell won silently', () => {
    expect(refusal('realName,phone,realName\na,1,b\n')).toEqual([
      { field: 'csv', reason: 'column(s) named twice in the header: realName' },
    ]);
  });

  it('writes what it reads back: a BOM first, booleans as words, quotes where a cell needs them', () => {
    const text = toCsv([
      ['name', 'vip', 'note'],
      ['华东电网', true, 'a, "b"'],
      ['x', false, ''],
    ]);
    expect(text.startsWith('\uFEFFname,vip,note\n')).toBe(true);
    expect(parseCsvRows(text)).toEqual([
      { name: '华东电网', vip: 'true', note: 'a, "b"' },
      { name: 'x', vip: 'false', note: '' },
    ]);
    expect(parse(text.slice(1))).toHaveLength(3);
  });
});
