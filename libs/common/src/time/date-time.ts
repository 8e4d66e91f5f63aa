import { AppException } from '../exceptions/app.exception';

const LOCAL_FORM = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Offset of `timeZone` from UTC at the instant `utcMs`, in ms. */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * Reads a client time (DESIGN §2): ISO 8601 with an offset, or the seeds' `yyyy-MM-dd HH:mm:ss` /
 * `yyyy-MM-dd` read in the business time zone. Anything else is a 4101 naming the field.
 */
export function parseClientDateTime(value: string, timeZone: string, field: string): Date {
  const trimmed = value.trim();
  if (ISO_WITH_OFFSET.test(trimmed)) {
    const date = new Date(trimmed);
    if (!Number.isNaN(date.getTime())) return date;
  }
  const m = LOCAL_FORM.exec(trimmed);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
    const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
    const check = new Date(wall);
    if (check.getUTCMonth() === +mo - 1 && check.getUTCDate() === +d) {
      let utc = wall - zoneOffsetMs(wall, timeZone);
      utc = wall - zoneOffsetMs(utc, timeZone); // second pass settles DST edges
      return new Date(utc);
    }
  }
  throw AppException.invalid([
    { field, reason: `${field} must be ISO 8601 with an offset or yyyy-MM-dd HH:mm:ss` },
  ]);
}
