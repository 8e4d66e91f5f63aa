/**
 * What a webhook subscription receives of an event (S004-22): secret-looking keys redacted at any
 * depth (always), the subscription's `excludeFields` removed, and its content template rendered into
 * `message`. Pure functions over JSON values: no Nest, no database.
 */

export const TEMPLATE_MAX_LENGTH = 2000;
export const REDACTED = '[redacted]';

/** Key names whose values never leave the platform, whatever a subscription says. */
const SECRET_KEY =
  /passw(?:or)?d|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|authorization|cookie|密码|口令|密钥|秘钥/i;

/** One segment of a dot path: letters (any script), digits, `_`, `$`, `-`. */
const SEGMENT = /^[\p{L}\p{N}_$-]{1,64}$/u;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Why a dot path is refused, or undefined when it is acceptable. */
export function pathProblem(path: string): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'empty path';
  if (path.length > 200) return 'path longer than 200 characters';
  for (const segment of path.split('.')) {
    if (FORBIDDEN_SEGMENTS.has(segment)) return `"${segment}" is not allowed in a path`;
    if (!SEGMENT.test(segment)) return `bad path segment "${segment}" in "${path}"`;
  }
  return undefined;
}

export type TemplatePart = { text: string } | { path: string[] };

/**
 * Parses `text {{dot.path}} text`. Only plain paths are allowed inside `{{ }}`; an unclosed `{{`, a
 * `}}` with no opening, an empty or forbidden path is an error (thrown as a message). Single braces
 * are text.
 */
export function parseTemplate(template: string): TemplatePart[] {
  if (template.length > TEMPLATE_MAX_LENGTH) throw new Error(`longer than ${TEMPLATE_MAX_LENGTH} characters`);
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    const stray = rest.indexOf('}}');
    if (stray !== -1 && (open === -1 || stray < open))
      throw new Error('unbalanced braces: "}}" without "{{"');
    if (open === -1) {
      parts.push({ text: rest });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open) });
    const close = rest.indexOf('}}', open + 2);
    if (close === -1) throw new Error('unbalanced braces: "{{" without "}}"');
    const inner = rest.slice(open + 2, close);
    if (inner.includes('{{')) throw new Error('unbalanced braces: nested "{{"');
    const path = inner.trim();
    const problem = pathProblem(path);
    if (problem) throw new Error(`{{${inner}}}: ${problem}`);
    parts.push({ path: path.split('.') });
    rest = rest.slice(close + 2);
  }
  return parts;
}

/** Why a template is refused, or undefined when it is acceptable. */
export function templateProblem(template: string): string | undefined {
  try {
    parseTemplate(template);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Own-property lookup only (no prototype chain); an array index is a numeric segment. */
function lookup(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Renders a template against a payload: unknown paths render empty, objects as JSON. */
export function renderTemplate(template: string | TemplatePart[], payload: unknown): string {
  const parts = typeof template === 'string' ? parseTemplate(template) : template;
  return parts.map((part) => ('text' in part ? part.text : show(lookup(payload, part.path)))).join('');
}

/** A deep copy with the value of every secret-looking key replaced by `[redacted]`. */
export function redactSecrets<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v as Record<string, unknown>))
      out[key] = isSecretKey(key) ? REDACTED : walk(inner);
    return out;
  };
  return walk(value) as T;
}

/** Removes one dot path in place; through an array the rest of the path applies to every element. */
function removePath(value: unknown, path: readonly string[]): void {
  if (path.length === 0 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value) && !/^\d+$/.test(path[0])) {
    for (const item of value) removePath(item, path);
    return;
  }
  const [head, ...rest] = path;
  if (!Object.prototype.hasOwnProperty.call(value, head)) return;
  if (rest.length === 0) {
    if (Array.isArray(value)) value[Number(head)] = null;
    else delete (value as Record<string, unknown>)[head];
    return;
  }
  removePath((value as Record<string, unknown>)[head], rest);
}

export interface ContentRules {
  excludeFields?: readonly string[] | null;
  template?: string | null;
}

/**
 * The payload one subscription receives: secrets redacted, excluded paths removed, then the template
 * rendered from what is left (so a template cannot bring an excluded or secret field back) into
 * `message`. The input is not modified.
 */
export function buildSubscriberPayload(
  payload: Record<string, unknown>,
  rules: ContentRules = {},
): Record<string, unknown> {
  // through JSON first: dates become strings, as they are stored and sent
  const out = redactSecrets(JSON.parse(JSON.stringify(payload)) as Json) as Record<string, unknown>;
  for (const path of rules.excludeFields ?? []) if (!pathProblem(path)) removePath(out, path.split('.'));
  if (rules.template) out.message = renderTemplate(rules.template, out);
  return out;
}
