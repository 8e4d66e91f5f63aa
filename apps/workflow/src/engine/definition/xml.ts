/**
 * A small, strict, namespace-aware XML reader and writer for BPMN documents.
 *
 * Why our own: deploy-time validation must see every element and attribute exactly as written
 * (vendor attributes under any prefix, unknown extension elements, attributes written with
 * whitespace around `=`), which bpmn-moddle either drops or hides. It refuses DTDs (no entity
 * expansion, no external entities) and never resolves anything outside the document.
 */

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export interface XmlAttribute {
  /** Qualified name as written (`camunda:assignee`, `id`, `xmlns:bpmn`). */
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
  /** Resolved namespace URI; '' for unprefixed attributes (they are in no namespace). */
  readonly ns: string;
  value: string;
}

export interface XmlElement {
  readonly type: 'element';
  name: string;
  readonly prefix: string;
  local: string;
  /** Resolved namespace URI of the element ('' when none is in scope). */
  ns: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** Offset of `<` in the source, for line numbers in error messages. */
  readonly offset: number;
}

export interface XmlText {
  readonly type: 'text' | 'cdata';
  value: string;
}

export interface XmlComment {
  readonly type: 'comment';
  readonly value: string;
}

export type XmlNode = XmlElement | XmlText | XmlComment;

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
  }
}

export interface XmlLimits {
  readonly maxDepth: number;
  readonly maxElements: number;
  /** Attributes of one element; modellers write a few dozen at most (namespace declarations included). */
  readonly maxAttributes: number;
}

const DEFAULT_LIMITS: XmlLimits = { maxDepth: 256, maxElements: 200_000, maxAttributes: 256 };

const NAME_RE =
  /[A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD][A-Za-z0-9_:.\-\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]*/y;

export function parseXml(source: string, limits: XmlLimits = DEFAULT_LIMITS): XmlElement {
  return new XmlReader(source, limits).read();
}

interface RawAttribute {
  name: string;
  value: string;
}

class XmlReader {
  private i = 0;
  private elementCount = 0;

  constructor(
    private readonly src: string,
    private readonly limits: XmlLimits,
  ) {}

  read(): XmlElement {
    const src = this.src;
    if (src.charCodeAt(0) === 0xfeff) this.i = 1;
    let root: XmlElement | undefined;
    for (;;) {
      this.skipWhitespace();
      if (this.i >= src.length) break;
      if (src.startsWith('<?', this.i)) {
        this.skipProcessingInstruction();
      } else if (src.startsWith('<!--', this.i)) {
        this.readComment();
      } else if (src.startsWith('<!DOCTYPE', this.i) || src.startsWith('<!doctype', this.i)) {
        throw this.error('document type declarations (DTD) are not allowed');
      } else if (src[this.i] === '<') {
        if (root) throw this.error('only one root element is allowed');
        root = this.readElement([new Map([['xml', XML_NS]])], 1);
      } else {
        throw this.error('text outside the root element');
      }
    }
    if (!root) throw this.error('no root element');
    return root;
  }

  private readElement(scopes: Map<string, string>[], depth: number): XmlElement {
    if (depth > this.limits.maxDepth) throw this.error(`elements nested deeper than ${this.limits.maxDepth}`);
    if (++this.elementCount > this.limits.maxElements)
      throw this.error(`more than ${this.limits.maxElements} elements`);
    const src = this.src;
    const offset = this.i;
    this.i++; // '<'
    const name = this.readName('element name');
    const raw: RawAttribute[] = [];
    const seen = new Set<string>();
    for (;;) {
      const hadSpace = this.skipWhitespace();
      const c = src[this.i];
      if (c === undefined) throw this.error(`unclosed start tag <${name}>`);
      if (c === '>' || (c === '/' && src[this.i + 1] === '>')) break;
      if (!hadSpace) throw this.error(`expected whitespace before attribute in <${name}>`);
      if (raw.length >= this.limits.maxAttributes)
        throw this.error(`more than ${this.limits.maxAttributes} attributes in <${name}>`);
      const attrName = this.readName('attribute name');
      this.skipWhitespace(); // whitespace before '=' is valid XML (Eq ::= S? '=' S?)
      if (src[this.i] !== '=') throw this.error(`expected '=' after attribute ${attrName}`);
      this.i++;
      this.skipWhitespace();
      const quote = src[this.i];
      if (quote !== '"' && quote !== "'") throw this.error(`attribute ${attrName} value must be quoted`);
      const end = src.indexOf(quote, this.i + 1);
      if (end < 0) throw this.error(`unterminated value of attribute ${attrName}`);
      const rawValue = src.slice(this.i + 1, end);
      if (rawValue.includes('<'))
        throw this.error(`'<' is not allowed in the value of attribute ${attrName}`);
      this.i = end + 1;
      if (seen.has(attrName)) throw this.error(`duplicate attribute ${attrName} in <${name}>`);
      seen.add(attrName);
      raw.push({ name: attrName, value: normalizeAttributeWhitespace(this.decode(rawValue, this.i)) });
    }

    // namespace declarations of this element
    let scope: Map<string, string> | undefined;
    for (const a of raw) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        scope ??= new Map();
        scope.set(a.name === 'xmlns' ? '' : a.name.slice(6), a.value);
      }
    }
    const scopeChain = scope ? [...scopes, scope] : scopes;
    const lookup = (prefix: string): string | undefined => {
      for (let k = scopeChain.length - 1; k >= 0; k--) {
        const v = scopeChain[k]!.get(prefix);
        if (v !== undefined) return v;
      }
      return undefined;
    };

    const [prefix, local] = splitName(name);
    const ns = lookup(prefix);
    if (ns === undefined && prefix) throw this.error(`namespace prefix '${prefix}' is not declared`, offset);
    const attributes: XmlAttribute[] = raw.map((a) => {
      const [p, l] = splitName(a.name);
      let attrNs = '';
      if (a.name === 'xmlns' || p === 'xmlns') attrNs = XMLNS_NS;
      else if (p) {
        const resolved = lookup(p);
        if (resolved === undefined)
          throw this.error(`namespace prefix '${p}' of attribute ${a.name} is not declared`, offset);
        attrNs = resolved;
      }
      return { name: a.name, prefix: p, local: l, ns: attrNs, value: a.value };
    });

    const element: XmlElement = {
      type: 'element',
      name,
      prefix,
      local,
      ns: ns ?? '',
      attributes,
      children: [],
      offset,
    };

    if (src[this.i] === '/') {
      this.i += 2;
      return element;
    }
    this.i++; // '>'

    for (;;) {
      if (this.i >= src.length) throw this.error(`element <${name}> is not closed`, offset);
      if (src.startsWith('</', this.i)) {
        this.i += 2;
        const closing = this.readName('closing tag name');
        this.skipWhitespace();
        if (src[this.i] !== '>') throw this.error(`malformed closing tag </${closing}>`);
        this.i++;
        if (closing !== name) throw this.error(`closing tag </${closing}> does not match <${name}>`);
        return element;
      }
      if (src.startsWith('<!--', this.i)) {
        element.children.push({ type: 'comment', value: this.readComment() });
      } else if (src.startsWith('<![CDATA[', this.i)) {
        const end = src.indexOf(']]>', this.i + 9);
        if (end < 0) throw this.error('unterminated CDATA section');
        element.children.push({ type: 'cdata', value: src.slice(this.i + 9, end) });
        this.i = end + 3;
      } else if (src.startsWith('<?', this.i)) {
        this.skipProcessingInstruction();
      } else if (src.startsWith('<!', this.i)) {
        throw this.error('declarations are not allowed inside elements');
      } else if (src[this.i] === '<') {
        element.children.push(this.readElement(scopeChain, depth + 1));
      } else {
        const next = src.indexOf('<', this.i);
        const end = next < 0 ? src.length : next;
        const rawText = src.slice(this.i, end);
        if (rawText.includes(']]>')) throw this.error("']]>' is not allowed in text");
        element.children.push({ type: 'text', value: this.decode(rawText, this.i) });
        this.i = end;
      }
    }
  }

  private readName(what: string): string {
    NAME_RE.lastIndex = this.i;
    const m = NAME_RE.exec(this.src);
    if (!m) throw this.error(`expected ${what}`);
    this.i += m[0].length;
    return m[0];
  }

  private readComment(): string {
    const end = this.src.indexOf('-->', this.i + 4);
    if (end < 0) throw this.error('unterminated comment');
    const value = this.src.slice(this.i + 4, end);
    this.i = end + 3;
    return value;
  }

  private skipProcessingInstruction(): void {
    const end = this.src.indexOf('?>', this.i + 2);
    if (end < 0) throw this.error('unterminated processing instruction');
    this.i = end + 2;
  }

  private skipWhitespace(): boolean {
    const start = this.i;
    const src = this.src;
    while (this.i < src.length) {
      const c = src.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
    return this.i > start;
  }

  private decode(text: string, at: number): string {
    if (!text.includes('&')) return text;
    return text.replace(/&([^;&\s]{0,12});?/g, (match, body: string) => {
      if (!match.endsWith(';')) throw this.error(`malformed entity reference '${match}'`, at);
      switch (body) {
        case 'lt':
          return '<';
        case 'gt':
          return '>';
        case 'amp':
          return '&';
        case 'quot':
          return '"';
        case 'apos':
          return "'";
      }
      let code: number | undefined;
      if (/^#[0-9]{1,7}$/.test(body)) code = Number(body.slice(1));
      else if (/^#x[0-9a-fA-F]{1,6}$/.test(body)) code = parseInt(body.slice(2), 16);
      if (code === undefined) throw this.error(`undefined entity '&${body};'`, at);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        throw this.error(`invalid character reference '&${body};'`, at);
      return String.fromCodePoint(code);
    });
  }

  private error(message: string, at = this.i): XmlSyntaxError {
    const before = this.src.slice(0, Math.min(at, this.src.length));
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return new XmlSyntaxError(message, line, column);
  }
}

function splitName(name: string): [string, string] {
  const idx = name.indexOf(':');
  return idx < 0 ? ['', name] : [name.slice(0, idx), name.slice(idx + 1)];
}

function normalizeAttributeWhitespace(value: string): string {
  return value.replace(/[\t\n\r]/g, ' ');
}

export function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < offset && k < source.length; k++) if (source.charCodeAt(k) === 10) line++;
  return line;
}

// ------------------------------------------------------------------ writing

export function serializeXml(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  write(root, out);
  return out.join('');
}

function write(el: XmlElement, out: string[]): void {
  out.push('<', el.name);
  for (const a of el.attributes) out.push(' ', a.name, '="', escapeAttribute(a.value), '"');
  const children = el.children.filter((c) => c.type !== 'comment');
  if (children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const c of children) {
    if (c.type === 'element') write(c, out);
    else if (c.type === 'cdata') out.push('<![CDATA[', c.value.split(']]>').join(']]]]><![CDATA[>'), ']]>');
    else if (c.type === 'text') out.push(escapeText(c.value));
  }
  out.push('</', el.name, '>');
}

function escapeAttribute(value: string): string {
  return value.replace(
    /[&<"\n\r\t]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '"': '&quot;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' })[c]!,
  );
}

function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

// ------------------------------------------------------------------ helpers

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.type === 'element');
}

/** Text content (text and CDATA children, concatenated). */
export function textOf(el: XmlElement): string {
  let s = '';
  for (const c of el.children) if (c.type === 'text' || c.type === 'cdata') s += c.value;
  return s;
}

export function attr(el: XmlElement, local: string, ns = ''): string | undefined {
  for (const a of el.attributes)
    if (a.local === local && a.ns === ns && a.prefix !== 'xmlns' && a.name !== 'xmlns') return a.value;
  return undefined;
}
