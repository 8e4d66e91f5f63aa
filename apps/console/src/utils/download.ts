/** CSV text of rows (UTF-8 with BOM so spreadsheet programs read Chinese). */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    const text = v === null || v === undefined ? '' : String(v);
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
