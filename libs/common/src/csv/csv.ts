import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppException } from '../exceptions/app.exception';

/** The most data rows one uploaded CSV may hold (CRM and model imports alike). */
export const MAX_IMPORT_ROWS = 5000;

/**
 * The data rows of an uploaded CSV keyed by its header line (cells trimmed, blank lines and a BOM
 * dropped); 4101 on `csv` when the text is not CSV, names a column twice (csv-parse would keep the
 * last cell silently) or holds no rows or more than `MAX_IMPORT_ROWS`.
 */
export function parseCsvRows(csv: string): Record<string, string>[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: uniqueHeader, skip_empty_lines: true, trim: true, bom: true }) as Record<
      string,
      string
    >[];
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
 * CSV text for spreadsheet programs: UTF-8 with a BOM (Excel reads Chinese right), booleans as true/false.
 * `bom: false` for the chunks after the first of a streamed file.
 */
export function toCsv(lines: unknown[][], { bom = true }: { bom?: boolean } = {}): string {
  const text = stringify(lines, { cast: { boolean: (b) => (b ? 'true' : 'false') } });
  return bom ? `\uFEFF${text}` : text;
}
