import { Transform } from 'class-transformer';

const DECIMAL_INTEGER = /^-?\d+$/;

/**
 * An integer field that may arrive as text (query strings, form fields): only decimal digits become a
 * number; anything else (`true`, `0x10`, `1e3`, ` 5`, `[5]`) is kept as sent, so `@IsInt()`/`@IsIn()`
 * refuse it naming the field. `@Type(() => Number)` would turn `true` into 1 and `0x10` into 16.
 */
export function ToInt() {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
  );
}
