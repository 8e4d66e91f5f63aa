import AhoCorasick from 'modern-ahocorasick';

/**
 * The free-text filter: every occurrence of an administrator's word (case-insensitive, overlapping
 * ones merged) becomes asterisks of the same length. One Aho–Corasick automaton per word list, so a
 * text is scanned once whatever the number of words.
 */
export class SensitiveWordFilter {
  private readonly automaton: AhoCorasick | null;

  constructor(words: readonly string[]) {
    const normalized = [...new Set(words.map((w) => w.trim().toLowerCase()).filter((w) => w.length > 0))];
    this.automaton = normalized.length > 0 ? new AhoCorasick(normalized) : null;
  }

  /** The words found in the text (lower case, each once). */
  find(text: string): string[] {
    return [...new Set(this.matches(text).map((m) => m.word))];
  }

  filter(text: string): string {
    const ranges = this.matches(text);
    if (ranges.length === 0) return text;
    const hidden = new Uint8Array(text.length);
    for (const { start, end } of ranges) hidden.fill(1, start, end);
    // matches cover whole grapheme clusters (the library's rule), so no surrogate pair is split
    let out = '';
    for (let i = 0; i < text.length; i++) out += hidden[i] ? '*' : text[i];
    return out;
  }

  private matches(text: string): { start: number; end: number; word: string }[] {
    if (!this.automaton || text.length === 0) return [];
    const lowered = text.toLowerCase();
    // lower-casing may change the length of a few characters (İ): then search the text as it is
    const haystack = lowered.length === text.length ? lowered : text;
    return this.automaton.search(haystack).map((m) => ({ start: m.start, end: m.end, word: m.pattern }));
  }
}
