/**
 * LIKE / ILIKE patterns from user text: `%`, `_` and `\` match themselves (PostgreSQL's default escape
 * character is `\`), so a search for "50%" finds "50%" and not every row starting with "50".
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Matches values containing `text`. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** Matches values starting with `text`. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}
