// Validation helpers every gateway feature shares for its DTOs and path ids (ids, business times, lists).
import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { AppException, isBigintId } from '@app/common';
import { isRealDate, parseBusinessTime } from '@app/common';

export { isBigintId };

/** Path ids: the global pipe already refused a malformed one (4101); this keeps the type narrow. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isBigintId(value)) throw AppException.notFound(metadata.data ?? 'record', value);
    return value;
  }
}

/**
 * Id lists in a query string: repeated keys, a comma list (`1,2,3`) or a JSON literal
 * (`[1,2,3]`); a scalar becomes a one-element list.
 */
export function ToIdList() {
  return Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === null || value === '') return undefined;
    const items = Array.isArray(value) ? value : [value];
    return items.flatMap((item) => {
      const text = String(item).trim();
      if (text.startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (Array.isArray(parsed)) return parsed.map((v) => String(v));
        } catch {
          return [text];
        }
      }
      return text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
    });
  });
}

/**
 * Empty strings from forms and query strings mean "not given". On a query parameter with a default the
 * global pipe (EdgeValidationPipe) already drops the empty value, so the default applies.
 */
export function EmptyAsUndefined() {
  return Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));
}

export function IsBigintId(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isBigintId',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a positive integer id`, ...options },
      validator: { validate: (value: unknown) => isBigintId(value) },
    });
}

/** ISO 8601 with offset, or `yyyy-MM-dd[ HH:mm[:ss[.SSS]]]` read in the business time zone. */
export function IsBusinessTime(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isBusinessTime',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be ISO 8601 or yyyy-MM-dd HH:mm:ss`,
        ...options,
      },
      validator: {
        // the whole time, not only its day: services read it with parseBusinessTime, whose null
        // (a 25th hour, an offset of +99:00) would otherwise filter by nothing or clear the field
        validate: (value: unknown) => typeof value === 'string' && parseBusinessTime(value, 'UTC') !== null,
      },
    });
}

export function IsCalendarDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a date yyyy-MM-dd`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isRealDate(value) },
    });
}

/** Postgres unique violation (23505): which constraint, for a 4090 naming the field. */
export function uniqueViolation(error: unknown): string | null {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } } | null)?.driverError;
  const code = driverError?.code ?? (error as { code?: string } | null)?.code;
  if (code !== '23505') return null;
  return driverError?.constraint ?? (error as { constraint?: string }).constraint ?? 'unique';
}
