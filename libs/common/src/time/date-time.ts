import { AppException } from '../exceptions/app.exception';

/**
 * The business clock (DESIGN §2): every reading and writing of wall-clock time in TZ_BUSINESS goes
 * through here, in both apps. Times on the API are ISO 8601 with an offset, or the seeds'
 * `yyyy-MM-dd HH:mm:ss` (also `yyyy-MM-dd HH:mm`, `yyyy-MM-dd`, an optional fraction) read in that zone.
 * A fraction may have any number of digits; those past the millisecond are cut (parseBusinessTime).
 */
const BUSINESS_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Building an Intl.DateTimeFormat costs far more than formatting with one: one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** What a wall clock in `timeZone` shows at this instant. */
export function wallClock(instant: Date | number, timeZone: string): WallClock {
  const parts = formatterOf(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in ms. */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const w = wallClock(utcMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The instant at which `timeZone`'s wall clock shows `wall` (given as if it were UTC). */
function instantOfWall(wall: number, timeZone: string): Date {
  const first = wall - zoneOffsetMs(wall, timeZone);
  return new Date(wall - zoneOffsetMs(first, timeZone)); // second pass settles DST edges
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `yyyy-MM-dd HH:mm:ss` in the business time zone, as every seed writes times. */
export function formatBusinessDateTime(instant: Date | number, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** `yyyyMM` of an instant in the business time zone (serial-number periods). */
export function businessMonth(instant: Date | number, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${pad(w.year, 4)}${pad(w.month)}`;
}

/** The instant a business-time string denotes, or null when it is not a real date and time. */
export function parseBusinessTime(value: string, timeZone: string): Date | null {
  const match = BUSINESS_TIME_PATTERN.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = match;
  const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  const naive = Date.UTC(
    fields[0],
    fields[1] - 1,
    fields[2],
    fields[3],
    fields[4],
    fields[5],
    Number(frac.slice(0, 3).padEnd(3, '0')),
  );
  const check = new Date(naive);
  if (
    check.getUTCFullYear() !== fields[0] ||
    check.getUTCMonth() !== fields[1] - 1 ||
    check.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  ) {
    return null;
  }
  if (zone) {
    if (zone === 'Z') return new Date(naive);
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
    if (hours > 23 || minutes > 59) return null;
    return new Date(naive - sign * (hours * 60 + minutes) * 60_000);
  }
  return instantOfWall(naive, timeZone);
}

/** A client time: ISO 8601 with an offset, or the seeds' local forms; anything else is a 4101 naming the field. */
export function parseClientDateTime(value: string, timeZone: string, field: string): Date {
  const trimmed = value.trim();
  // not new Date(): it reads 2024-02-30T10:00Z as 1 March and 24:00 as the next day, silently.
  // An offset only in the ISO form (with its T); the local forms are business time.
  const offset = BUSINESS_TIME_PATTERN.exec(trimmed)?.[8];
  const date = !offset || ISO_WITH_OFFSET.test(trimmed) ? parseBusinessTime(trimmed, timeZone) : null;
  if (date) return date;
  throw AppException.invalid([
    { field, reason: `${field} must be ISO 8601 with an offset or yyyy-MM-dd HH:mm:ss` },
  ]);
}

export function isRealDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The exclusive end of a client's range: a bare day (`yyyy-MM-dd`) covers that whole day in the
 * business time zone (the first instant of the next day there); any other time is the end itself.
 */
export function parseClientRangeEnd(value: string, timeZone: string, field: string): Date {
  const end = parseClientDateTime(value, timeZone, field); // also refuses impossible dates
  const trimmed = value.trim();
  if (!DATE_PATTERN.test(trimmed)) return end;
  const [year, month, day] = trimmed.split('-').map(Number);
  const next = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
  return parseClientDateTime(next, timeZone, field);
}

/**
 * A client's time range, each end read as above: `from` inclusive, `to` exclusive (a bare day up to that
 * day's end). `fields` names the ends in a 4101 (`createdFrom`, `createdTo` on the work-order list).
 */
export function parseClientRange(
  range: { from?: string; to?: string },
  timeZone: string,
  fields: { from: string; to: string } = { from: 'from', to: 'to' },
): { from?: Date; to?: Date } {
  return {
    from: range.from ? parseClientDateTime(range.from, timeZone, fields.from) : undefined,
    to: range.to ? parseClientRangeEnd(range.to, timeZone, fields.to) : undefined,
  };
}
