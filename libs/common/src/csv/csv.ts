import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppException } from '../exceptions/app.exception';

/** The most data rows one uploaded CSV may hold (CRM and model imports alike). */
export const MAX_IMPORT_ROWS = 5000;

/**
 * The data rows of an uploaded CSV keyed by its header line (cells trimmed, blank lines and a BOM
 * dropped, the apostrophe `toCsv` puts before a formula-like cell taken off again); 4101 on `csv` when the text is not CSV, names a column twice (csv-parse would keep the
 * last cell silently) or holds no rows or more than `MAX_IMPORT_ROWS`.
 */
export function parseCsvRows(csv: string): Record<string, string>[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: uniqueHeader,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      cast: (value) => value.replace(NEUTRALIZED, ''),
    }) as Record<string, string>[];
  } catch (error) {
    if (error instanceof AppException) throw error;
    throw AppException.invalid([
      { field: 'csv', reason: `not CSV: ${(error as Error).message.slice(0, 200)}` },
    ]);
  }
  if (records.length === 0 || records.length > MAX_IMPORT_ROWS)
    throw AppException.invalid([{ field: 'csv', reason: `must hold 1 to ${MAX_IMPORT_ROWS} data rows` }]);
  return records;
}

function uniqueHeader(header: string[]): string[] {
  const twice = header.filter((name, index) => header.indexOf(name) !== index);
  if (twice.length > 0)
    throw AppException.invalid([
      {
        field: 'csv',
        reason: `column(s) named twice in the header: ${[...new Set(twice)].join(', ').slice(0, 200)}`,
      },
    ]);
  return header;
}

/**
 * A text cell a spreadsheet program would run as a formula (CSV injection: `=HYPERLINK(…)`, `@SUM(…)`,
 * `+cmd|…`, `-…`), unless it reads as a number or a phone number (`-5`, `+86 138 0000 0000`).
 */
const FORMULA_LIKE = /^[=@\t\r]|^[+-](?![\d\s.,()+-]*$)/;
/** The apostrophe `toCsv` adds before a formula-like cell (spreadsheets show the cell as text). */
const NEUTRALIZED = /^'(?=[=+\-@\t\r])/;

/** A text cell as it is safe to open in a spreadsheet program: formula-like text behind an apostrophe. */
export function csvText(text: string): string {
  return FORMULA_LIKE.test(text) ? `'${text}` : text;
}

/**
 * CSV text for spreadsheet programs: UTF-8 with a BOM (Excel reads Chinese right), booleans as true/false,
 * formula-like text neutralized (`csvText`). `bom: false` for the chunks after the first of a streamed file.
 */
export function toCsv(lines: unknown[][], { bom = true }: { bom?: boolean } = {}): string {
  const text = stringify(lines, { cast: { boolean: (b) => (b ? 'true' : 'false'), string: csvText } });
  return bom ? `\uFEFF${text}` : text;
}
