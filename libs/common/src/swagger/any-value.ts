import type { SchemaObject } from '@nestjs/swagger';

/**
 * Spread into `@ApiProperty` of a field that takes any JSON value (TS `unknown`): from `design:type` Nest
 * would document it as an `object`, which a generated client then refuses strings and numbers for.
 */
export const ANY_JSON_VALUE: { oneOf: SchemaObject[] } = {
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
};

/** Any JSON value or null (OpenAPI 3.0 puts `nullable` on a typed alternative, not beside `oneOf`). */
export const NULLABLE_ANY_JSON_VALUE: { oneOf: SchemaObject[] } = {
  oneOf: [{ type: 'string', nullable: true }, ...ANY_JSON_VALUE.oneOf.slice(1)],
};
