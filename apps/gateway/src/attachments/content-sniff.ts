/**
 * Upload types by extension, each with the content it must have (magic bytes; text must be UTF-8
 * without NUL bytes). A file whose content does not match its extension is refused, so an executable
 * renamed `report.pdf` never gets stored or served as a PDF.
 */
type Kind = 'pdf' | 'png' | 'jpeg' | 'gif' | 'webp' | 'zip' | 'ole' | 'text';

const TYPES: Record<string, { kind: Kind; mime: string }> = {
  pdf: { kind: 'pdf', mime: 'application/pdf' },
  png: { kind: 'png', mime: 'image/png' },
  jpg: { kind: 'jpeg', mime: 'image/jpeg' },
  jpeg: { kind: 'jpeg', mime: 'image/jpeg' },
  gif: { kind: 'gif', mime: 'image/gif' },
  webp: { kind: 'webp', mime: 'image/webp' },
  zip: { kind: 'zip', mime: 'application/zip' },
  docx: { kind: 'zip', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  xlsx: { kind: 'zip', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  pptx: { kind: 'zip', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  doc: { kind: 'ole', mime: 'application/msword' },
  xls: { kind: 'ole', mime: 'application/vnd.ms-excel' },
  ppt: { kind: 'ole', mime: 'application/vnd.ms-powerpoint' },
  txt: { kind: 'text', mime: 'text/plain; charset=utf-8' },
  csv: { kind: 'text', mime: 'text/csv; charset=utf-8' },
  md: { kind: 'text', mime: 'text/markdown; charset=utf-8' },
};

export const ALLOWED_EXTENSIONS = Object.keys(TYPES);

const startsWith = (buf: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** What the first bytes say the content is (null: none of the allowed kinds). */
export function sniff(head: Buffer): Kind | null {
  if (startsWith(head, ascii('%PDF-'))) return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (head.includes(0)) return null;
  try {
    // a multi-byte character cut at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(trimPartialUtf8(head));
    return 'text';
  } catch {
    return null;
  }
}

function trimPartialUtf8(buf: Buffer): Buffer {
  let end = buf.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const byte = buf[end - i];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (need > i) end -= i;
    break;
  }
  return buf.subarray(0, end);
}

export type SniffResult = { ok: true; mime: string; extension: string } | { ok: false; reason: string };

/** Checks a file's name against its content; the stored type comes from here, never from the client. */
export function checkContent(fileName: string, content: Buffer): SniffResult {
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const type = TYPES[extension];
  if (!type)
    return {
      ok: false,
      reason: `file type .${extension || '?'} is not allowed (${ALLOWED_EXTENSIONS.join(', ')})`,
    };
  if (content.length === 0) return { ok: false, reason: 'the file is empty' };
  const kind = sniff(content.subarray(0, 8192));
  if (kind !== type.kind)
    return {
      ok: false,
      reason: `the content is ${kind ? `a ${kind} file` : 'not an allowed type'}, not .${extension}`,
    };
  return { ok: true, mime: type.mime, extension };
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A file name fit to store and show: no path, no control characters (C0, C1) and no bidirectional
 * marks, overrides or isolates (U+202E shows `invoice\u202Efdp.txt` as "invoicetxt.pdf"), at most 255
 * characters.
 */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(UNSHOWABLE, '').trim();
  return [...clean].slice(-255).join('') || 'file';
}

/** RFC 6266 / RFC 5987: an ASCII fallback plus the UTF-8 name, so 合同.pdf downloads as 合同.pdf. */
export function contentDisposition(fileName: string, inline = false): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
