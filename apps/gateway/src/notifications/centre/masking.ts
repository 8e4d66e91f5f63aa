/**
 * Masking strategies for personal data in message content (PIPL / 个人信息保护法 practice): keep enough
 * to recognise the value, hide the rest. Each works on any string and never throws.
 */
export const MASK_STRATEGIES = {
  /** 13812341234 → 138****1234; +86 / 0086 prefixes kept apart (+86 138****1234). */
  mobile: (v: string) => {
    const compact = v.replace(/[\s-]+/g, '');
    const prefix = /^(\+86|0086)/.exec(compact)?.[0];
    return prefix ? `${prefix} ${keepEnds(compact.slice(prefix.length), 3, 4)}` : keepEnds(compact, 3, 4);
  },
  /** 18-digit ID card: 110101********1234 (first 6, last 4). */
  idCard: (v: string) => keepEnds(v.replace(/\s+/g, ''), 6, 4),
  /** Bank card: last 4 digits only, grouped: **** **** **** 1234. */
  bankCard: (v: string) => {
    const digits = v.replace(/\D/g, '');
    return digits.length < 8 ? '*'.repeat(digits.length) : `**** **** **** ${digits.slice(-4)}`;
  },
  /** zhang.san@example.com → z***@example.com */
  email: (v: string) => {
    const at = v.lastIndexOf('@');
    if (at <= 0) return '*'.repeat(v.length);
    return `${v[0]}***${v.slice(at)}`;
  },
  /** 张三 → 张*, 欧阳娜娜 → 欧***, John Smith → J*** */
  name: (v: string) => {
    const chars = [...v.trim()];
    if (chars.length <= 1) return '*';
    return /^[\p{Script=Han}]+$/u.test(v.trim())
      ? `${chars[0]}${'*'.repeat(chars.length - 1)}`
      : `${chars[0]}***`;
  },
  /** Keeps the first 6 characters (province, city) and hides the street and number. */
  address: (v: string) => {
    const chars = [...v];
    return chars.length <= 6 ? `${chars.slice(0, 2).join('')}****` : `${chars.slice(0, 6).join('')}****`;
  },
  /** Hides everything. */
  full: (v: string) => '*'.repeat(Math.min([...v].length, 8) || 1),
} as const satisfies Record<string, (value: string) => string>;

export type MaskStrategy = keyof typeof MASK_STRATEGIES;
export const MASK_STRATEGY_NAMES = Object.keys(MASK_STRATEGIES) as MaskStrategy[];

export function isMaskStrategy(name: string): name is MaskStrategy {
  return Object.hasOwn(MASK_STRATEGIES, name);
}

export function mask(strategy: MaskStrategy, value: unknown): string {
  if (value === null || value === undefined) return '';
  return MASK_STRATEGIES[strategy](String(value));
}

function keepEnds(v: string, head: number, tail: number): string {
  const chars = [...v];
  if (chars.length <= tail) return '*'.repeat(chars.length);
  if (chars.length <= head + tail) return `${'*'.repeat(chars.length - tail)}${chars.slice(-tail).join('')}`;
  return `${chars.slice(0, head).join('')}${'*'.repeat(chars.length - head - tail)}${chars.slice(-tail).join('')}`;
}
