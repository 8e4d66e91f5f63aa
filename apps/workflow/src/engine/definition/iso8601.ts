/**
 * ISO 8601 durations, date-times and repeating intervals, as used by BPMN timers and due dates.
 * Dates without an offset are read in `timeZone` (the host's business zone; UTC unless told), as
 * Camunda reads them in the server's zone. A timeCycle may also be a Quartz cron expression (cron.ts):
 * firstDueDate and checkTimerValue take both.
 */
import { isCron, nextCronTime } from './cron';

export interface IsoDuration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

export interface IsoCycle {
  /** Number of repetitions; -1 means unbounded (`R/...`). */
  readonly repeat: number;
  readonly start?: Date;
  readonly end?: Date;
  readonly duration: IsoDuration;
}

export type TimerKind = 'timeDuration' | 'timeDate' | 'timeCycle';

export class IsoFormatError extends Error {
  override readonly name = 'IsoFormatError';
}

const DURATION_RE =
  /^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export function parseDuration(text: string): IsoDuration {
  const value = text.trim().toUpperCase();
  const m = DURATION_RE.exec(value);
  if (!m || value === 'P' || value.endsWith('T'))
    throw new IsoFormatError(`'${text}' is not an ISO 8601 duration`);
  const n = (s: string | undefined): number => (s ? Number(s.replace(',', '.')) : 0);
  return {
    years: n(m[1]),
    months: n(m[2]),
    weeks: n(m[3]),
    days: n(m[4]),
    hours: n(m[5]),
    minutes: n(m[6]),
    seconds: n(m[7]),
  };
}

const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseDateTime(text: string, timeZone = 'UTC'): Date {
  const m = DATE_RE.exec(text.trim());
  if (!m) throw new IsoFormatError(`'${text}' is not an ISO 8601 date-time`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) {
    throw new IsoFormatError(`'${text}' is not a valid date-time`);
  }
  const ms = Number((frac + '000').slice(0, 3));
  const wall = Date.UTC(Number(y), month - 1, day, hour, minute, second, ms);
  let utc: number;
  if (!zone) utc = instantOfWall(wall, timeZone);
  else if (zone.toUpperCase() === 'Z') utc = wall;
  else {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    utc = wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  const date = new Date(utc);
  if (Number.isNaN(date.getTime())) throw new IsoFormatError(`'${text}' is not a valid date-time`);
  return date;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at the instant `utcMs`, in ms. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(utcMs);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const shown = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return shown - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * The instant `timeZone`'s clock shows `wall` (given as if it were UTC), as java.time reads a local
 * date-time: in an overlap (autumn) the earlier instant, in a gap (spring) shifted on by the gap.
 */
function instantOfWall(wall: number, timeZone: string): number {
  const before = zoneOffsetMs(wall - 86_400_000, timeZone);
  const after = zoneOffsetMs(wall + 86_400_000, timeZone);
  const fits = [wall - before, wall - after].filter((t) => zoneOffsetMs(t, timeZone) === wall - t);
  return fits.length ? Math.min(...fits) : wall - before;
}

export function addDuration(from: Date, d: IsoDuration): Date {
  const result = new Date(from.getTime());
  const wholeYears = Math.trunc(d.years);
  const wholeMonths = Math.trunc(d.months);
  if (wholeYears || wholeMonths) result.setUTCMonth(result.getUTCMonth() + wholeYears * 12 + wholeMonths);
  const ms =
    (d.years - wholeYears) * 365 * 86_400_000 +
    (d.months - wholeMonths) * 30 * 86_400_000 +
    d.weeks * 7 * 86_400_000 +
    d.days * 86_400_000 +
    d.hours * 3_600_000 +
    d.minutes * 60_000 +
    d.seconds * 1000;
  return new Date(result.getTime() + Math.round(ms));
}

export function parseCycle(text: string, timeZone = 'UTC'): IsoCycle {
  const value = text.trim();
  if (isCron(value)) {
    // callers that take cron (timer-start, firstDueDate, limits) ask isCron first
    throw new IsoFormatError(`'${text}' is a cron expression, not an ISO 8601 repeating interval`);
  }
  const parts = value.split('/');
  const r = /^R(\d*)$/i.exec(parts[0] ?? '');
  if (!r || parts.length < 2 || parts.length > 3)
    throw new IsoFormatError(`'${text}' is not an ISO 8601 repeating interval (R[n]/[start/]duration)`);
  const repeat = r[1] ? Number(r[1]) : -1;
  if (parts.length === 2) return { repeat, duration: parseDuration(parts[1]!) };
  const [, a, b] = parts as [string, string, string];
  if (a.toUpperCase().startsWith('P'))
    return { repeat, duration: parseDuration(a), end: parseDateTime(b, timeZone) };
  return { repeat, start: parseDateTime(a, timeZone), duration: parseDuration(b) };
}

/**
 * The slots of a cycle with a start date (`R3/2026-12-04T00:00:00Z/PT1H`: the start, then one period
 * after another, as many as it repeats) from `from` on: the index of the first slot not before `from`
 * and that slot, or null when every slot lies before it. Camunda's DurationHelper schedules such a
 * cycle from the current time in the same way: slots that passed before the timer existed are not
 * made up.
 */
export function cycleSlotFrom(cycle: IsoCycle, from: Date): { index: number; dueAt: Date } | null {
  if (!cycle.start) return null;
  const fixedMs =
    cycle.duration.years || cycle.duration.months ? 0 : addDuration(new Date(0), cycle.duration).getTime();
  let index = 0;
  let due = cycle.start;
  // a fixed-length period is skipped forward in one step; a calendar one (months) slot by slot
  if (fixedMs > 0 && due.getTime() < from.getTime())
    index = Math.ceil((from.getTime() - due.getTime()) / fixedMs);
  due = fixedMs > 0 ? new Date(cycle.start.getTime() + index * fixedMs) : due;
  while (due.getTime() < from.getTime() && (cycle.repeat === -1 || index < cycle.repeat)) {
    due = addDuration(due, cycle.duration);
    index++;
  }
  if (cycle.repeat !== -1 && index >= cycle.repeat) return null;
  return { index, dueAt: due };
}

/**
 * When a timeCycle with a start date, read at `now`, fires first and how many firings it has left
 * (-1: unbounded): at its first slot after `now`; when every slot lies before it, once, a second
 * from now (Camunda's timer job without a due date). The one reading of such a cycle: firstDueDate
 * answers it, pendingCycle hands it to bpmn-elements.
 */
function nextCycleFiring(cycle: IsoCycle, now: Date): { dueAt: Date; left: number } {
  const slot = cycleSlotFrom(cycle, new Date(now.getTime() + 1));
  if (!slot) return { dueAt: new Date(now.getTime() + 1000), left: 1 };
  return { dueAt: slot.dueAt, left: cycle.repeat === -1 ? -1 : cycle.repeat - slot.index };
}

/**
 * The value to hand bpmn-elements for a timeCycle with a start date, read at `now`. It would fire
 * such a cycle one period after its start, and every repetition already past at once, all in the
 * command that arms it (the path taken three times over, no job left). It gets the rest of the cycle
 * from its next firing (nextCycleFiring) instead: one period before it as start, so it expires
 * exactly there, with the firings left. Cycles without a start are handed over as written.
 */
export function pendingCycle(value: string, now: Date, timeZone = 'UTC'): string {
  if (isCron(value)) return value; // read as it fires (runtime/held-timer.ts)
  const cycle = parseCycle(value, timeZone);
  if (!cycle.start) return value;
  const text = value.trim();
  const period = text.slice(text.lastIndexOf('/') + 1);
  const { dueAt, left } = nextCycleFiring(cycle, now);
  return `R${left === -1 ? '' : left}/${addDuration(dueAt, negated(cycle.duration)).toISOString()}/${period}`;
}

/**
 * The next firing after `from` of a value pendingCycle made, as bpmn-elements reads it: one period
 * after its start, then one period after another (the cycle started a period later). For the job row
 * when bpmn-elements gives no expireAt; null for a cycle without a start.
 */
export function pendingCycleDue(value: string, from: Date): Date | null {
  if (isCron(value)) return null;
  const cycle = parseCycle(value);
  if (!cycle.start) return null;
  const later = { ...cycle, start: addDuration(cycle.start, cycle.duration) };
  return cycleSlotFrom(later, new Date(from.getTime() + 1))?.dueAt ?? null;
}

function negated(d: IsoDuration): IsoDuration {
  return {
    years: -d.years,
    months: -d.months,
    weeks: -d.weeks,
    days: -d.days,
    hours: -d.hours,
    minutes: -d.minutes,
    seconds: -d.seconds,
  };
}

/**
 * First due time of a timer definition as written, relative to `now` (a start-dated cycle: see
 * nextCycleFiring; `repeat` is then the firings left).
 */
export function firstDueDate(
  kind: TimerKind,
  value: string,
  now: Date,
  timeZone = 'UTC',
): { dueAt: Date; repeat?: number } {
  switch (kind) {
    case 'timeDuration':
      return { dueAt: addDuration(now, parseDuration(value)) };
    case 'timeDate':
      return { dueAt: parseDateTime(value, timeZone) };
    case 'timeCycle': {
      if (isCron(value)) return { dueAt: nextCronTime(value, now, timeZone), repeat: -1 };
      const cycle = parseCycle(value, timeZone);
      if (!cycle.start) return { dueAt: addDuration(now, cycle.duration), repeat: cycle.repeat };
      const { dueAt, left } = nextCycleFiring(cycle, now);
      return { dueAt, repeat: left };
    }
  }
}

const LATEST_DUE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The reason a timer falling due at `dueAt` cannot be kept: past the calendar (P300000Y overflows a
 * Date) bpmn-engine drops the timer and ends the instance, and the database refuses the job.
 */
export function beyondCalendar(value: string, dueAt: Date): string | undefined {
  return dueAt.getTime() <= LATEST_DUE_MS ? undefined : `'${value.trim()}' lies beyond 9999-12-31`;
}

/** Deploy-time check of a literal timer value; returns the reason when it is not valid. */
export function checkTimerValue(kind: TimerKind, value: string): string | undefined {
  try {
    if (!value.trim()) return `${kind} is empty`;
    return beyondCalendar(value, firstDueDate(kind, value, new Date(0)).dueAt);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
