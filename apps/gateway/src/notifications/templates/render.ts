import { isMaskStrategy, mask } from '../centre/masking';

/** `{{ dot.path }}` placeholders; paths are letters, digits, `_` and dots. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;
const ANY_BRACES = /\{\{|\}\}/g;

/** The variable paths a template text uses, in order of first use. */
export function templateVariables(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** A `{{` or `}}` that is not part of a well-formed placeholder (a typo the author should see). */
export function malformedPlaceholder(text: string): string | null {
  const stripped = text.replace(PLACEHOLDER, '');
  const stray = stripped.match(ANY_BRACES);
  return stray
    ? `malformed placeholder near "${stripped.slice(Math.max(0, stripped.indexOf(stray[0]) - 10), stripped.indexOf(stray[0]) + 12)}"`
    : null;
}

export function valueAt(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export interface RenderOptions {
  /** Variable path → masking strategy, applied before the value is placed. */
  masks?: Record<string, string>;
  /** Applied to every placed string value (the sensitive-word filter). */
  filter?: (text: string) => string;
}

/** Replaces each placeholder with its (masked, filtered) value; an absent value renders empty. */
export function renderTemplate(text: string, data: unknown, options: RenderOptions = {}): string {
  return text.replace(PLACEHOLDER, (_all, path: string) => {
    const value = valueAt(data, path);
    const strategy = options.masks?.[path];
    if (strategy && isMaskStrategy(strategy)) return mask(strategy, value);
    if (value === null || value === undefined) return '';
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    return options.filter ? options.filter(text) : text;
  });
}
