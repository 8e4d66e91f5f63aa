/** Hard limits of the expression evaluator. Inputs beyond them are refused, never truncated. */
export const EXPRESSION_LIMITS = {
  /** Longest accepted expression source, in UTF-16 code units (templates included). */
  maxLength: 4096,
  /** Deepest accepted nesting of parentheses, brackets, unary operators and ternaries. */
  maxDepth: 64,
  /** Longest string an evaluation may build (template output, FEEL concatenation). */
  maxResultLength: 1_000_000,
} as const;

/** Property names that are refused everywhere (statically and at run time). */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['constructor', '__proto__', 'prototype']);
