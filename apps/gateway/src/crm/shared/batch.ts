import type { ClassConstructor } from 'class-transformer';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors, type FieldError } from '@app/contracts';
import { CrmException, CrmReason } from './crm.exception';

export const MAX_BATCH = 1000;

/**
 * A field of one row of a batch, named from the body as the phone sends it — a bare JSON array — so
 * `[3].callDate`, as the request-wide input checks (NUL, depth) name it too.
 */
export const rowField = (index: number, field?: string) => (field ? `[${index}].${field}` : `[${index}]`);

/**
 * Validates an uploaded batch row by row (the global pipe cannot see into a bare JSON array): unknown
 * fields are stripped, and a batch with an invalid row is refused whole, naming every bad row
 * (`[3].callDate`) and why.
 */
export async function validateBatch<T extends object>(
  body: unknown,
  type: ClassConstructor<T>,
): Promise<T[]> {
  if (!Array.isArray(body))
    throw CrmException.rejected(CrmReason.InvalidBatch, 'the body must be a JSON array', [
      { field: 'body', reason: 'must be an array of records' },
    ]);
  if (body.length === 0 || body.length > MAX_BATCH)
    throw CrmException.rejected(CrmReason.InvalidBatch, `1 to ${MAX_BATCH} records per batch`, [
      { field: 'body', reason: `must hold 1 to ${MAX_BATCH} records` },
    ]);
  const rows: T[] = [];
  const errors: FieldError[] = [];
  for (const [index, item] of body.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ field: rowField(index), reason: 'must be an object' });
      continue;
    }
    const row = plainToInstance(type, item, { enableImplicitConversion: false });
    const found = await validate(row, { whitelist: true, validationError: { target: false, value: false } });
    for (const error of flattenValidationErrors(found))
      errors.push({ field: rowField(index, error.field), reason: error.reason });
    rows.push(row);
  }
  if (errors.length > 0)
    throw CrmException.rejected(
      CrmReason.InvalidBatch,
      `${new Set(errors.map((e) => e.field.split('.')[0])).size} invalid row(s)`,
      errors,
    );
  return rows;
}
