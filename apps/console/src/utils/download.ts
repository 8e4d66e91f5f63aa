/** Formula-like text (CSV injection), unless it reads as a number or phone number: the gateway's `csvText` rule. */
const FORMULA_LIKE = /^[=@\t\r]|^[+-](?![\d\s.,()+-]*$)/;

/**
 * CSV text of rows (UTF-8 with BOM so spreadsheet programs read Chinese); formula-like text goes behind an
 * apostrophe so a spreadsheet shows it instead of running it (names here are what members typed).
 */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    let text = v === null || v === undefined ? '' : String(v);
    if (typeof v === 'string' && FORMULA_LIKE.test(text)) text = `'${text}`;
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function download(name: string, content: Blob | string): void {
  const link = document.createElement('a');
  link.href =
    typeof content === 'string' && content.startsWith('data:')
      ? content
      : URL.createObjectURL(
          content instanceof Blob ? content : new Blob([content], { type: 'text/csv;charset=utf-8' }),
        );
  link.download = name;
  link.click();
  if (!link.href.startsWith('data:')) setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
