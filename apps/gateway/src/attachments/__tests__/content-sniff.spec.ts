import { checkContent, cleanFileName, contentDisposition, sniff } from '../content-sniff';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]);

describe('attachment content sniffing', () => {
  it('accepts files whose content matches their extension', () => {
    expect(checkContent('合同.pdf', Buffer.from('%PDF-1.7\n...'))).toEqual({
      ok: true,
      mime: 'application/pdf',
      extension: 'pdf',
    });
    expect(checkContent('photo.PNG', PNG)).toMatchObject({ ok: true, mime: 'image/png' });
    expect(checkContent('notes.txt', Buffer.from('你好，世界\n'))).toMatchObject({
      ok: true,
      extension: 'txt',
    });
    expect(checkContent('sheet.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toMatchObject({
      ok: true,
    });
  });

  it('refuses a disguised file, an unknown type and an empty one', () => {
    expect(checkContent('report.pdf', EXE)).toEqual({
      ok: false,
      reason: 'the content is not an allowed type, not .pdf',
    });
    expect(checkContent('photo.jpg', PNG)).toEqual({
      ok: false,
      reason: 'the content is a png file, not .jpg',
    });
    expect(checkContent('notes.txt', Buffer.from([0x41, 0, 0x42]))).toMatchObject({ ok: false });
    expect(checkContent('tool.exe', EXE)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('.exe is not allowed'),
    });
    expect(checkContent('noext', Buffer.from('x'))).toMatchObject({ ok: false });
    expect(checkContent('a.txt', Buffer.alloc(0))).toEqual({ ok: false, reason: 'the file is empty' });
  });

  it('text: a multi-byte character cut at the end of the sample is still text; invalid UTF-8 is not', () => {
    const text = Buffer.from('中'.repeat(3000));
    expect(sniff(text.subarray(0, 8192))).toBe('text');
    expect(sniff(Buffer.from([0xc3, 0x28, 0x41]))).toBeNull();
  });

  it('file names lose paths and control characters; downloads carry the UTF-8 name (RFC 5987)', () => {
    expect(cleanFileName('C:\\Users\\x\\..\\合同\u0000.pdf')).toBe('合同.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('invoice\u202Efdp\u2066\u200F\u0085.txt')).toBe('invoicefdp.txt');
    expect(contentDisposition('合同 (v2).pdf')).toBe(
      `attachment; filename="__ (v2).pdf"; filename*=UTF-8''%E5%90%88%E5%90%8C%20%28v2%29.pdf`,
    );
    expect(contentDisposition('a"b.txt')).toBe(`attachment; filename="a_b.txt"; filename*=UTF-8''a%22b.txt`);
  });
});
