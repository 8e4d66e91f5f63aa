/**
 * Quartz cron expressions, the other form of `timeCycle` Camunda and Flowable accept
 * (`0 0/5 * * * ?`): 6 fields, seconds first, or 7 with a year of `*` or `?`; evaluated with
 * cron-parser in the host's business zone (TZ_BUSINESS: Camunda and Flowable read cron in the server's
 * zone, so `0 0 9 * * ?` is 09:00 there, summer time included), for timer start events, timer event
 * sub-processes, boundary and intermediate timers alike. Quartz numbers the days of the week 1 (Sunday) to 7 (Saturday), cron-parser 0 to 6,
 * so numbers in that field are shifted (`? * 2` is Monday, `6#3` the third Friday); names read as written.
 */
import { CronExpressionParser } from 'cron-parser';

/** A timeCycle value that is a cron expression rather than an ISO 8601 repeating interval. */
export function isCron(value: string): boolean {
  const text = value.trim();
  return !/^R/i.test(text) && text.split(/\s+/).length >= 5;
}

/** Why `value` is not a cron expression this engine runs, naming it; undefined when it is. */
export function cronProblem(value: string): string | undefined {
  try {
    toCronParser(value);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * The first instant of the expression strictly after `after`, its fields read on `timeZone`'s clock.
 * A time the clock skips in spring fires when the clock shows it an hour on (02:30 → 03:30, as Camunda's
 * lenient Calendar does); one it shows twice in autumn fires once, the first time.
 */
export function nextCronTime(value: string, after: Date, timeZone = 'UTC'): Date {
  return CronExpressionParser.parse(toCronParser(value), { currentDate: after, tz: timeZone })
    .next()
    .toDate();
}

/**
 * The shortest time between two firings, from the first 200 firings after two different anchors (the
 * finest field repeats within them, so the closest pair shows): what the minimum-cycle limit checks.
 */
export function cronShortestGapMs(value: string): number {
  const expression = toCronParser(value);
  let shortest = Number.POSITIVE_INFINITY;
  for (const anchor of ['2001-01-01T00:00:00Z', '2028-02-28T23:00:00Z']) {
    const it = CronExpressionParser.parse(expression, { currentDate: new Date(anchor), tz: 'UTC' });
    let previous = it.next().getTime();
    for (let i = 0; i < 200 && it.hasNext(); i++) {
      const next = it.next().getTime();
      shortest = Math.min(shortest, next - previous);
      previous = next;
    }
  }
  return shortest;
}

/** Quartz → cron-parser, or throws naming the expression and what is wrong with it. */
function toCronParser(value: string): string {
  const text = value.trim();
  const fields = text.split(/\s+/);
  const refuse = (why: string): never => {
    throw new Error(`'${text}'${why}`);
  };
  if (fields.length < 6 || fields.length > 7)
    refuse(' is not a Quartz cron expression (6 or 7 fields, seconds first)');
  if (fields.length === 7 && !['*', '?'].includes(fields[6]!))
    refuse(': a cron year field other than * is not supported');
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const expression = [second, minute, hour, dayOfMonth, month, quartzDaysOfWeek(dayOfWeek, refuse)].join(' ');
  try {
    CronExpressionParser.parse(expression, { currentDate: new Date(0), tz: 'UTC' });
  } catch (err) {
    refuse(
      ` is not a cron expression this engine reads: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return expression;
}

/** Quartz's day-of-week field (1 = Sunday … 7 = Saturday, `L` = Saturday) in cron-parser's numbers. */
function quartzDaysOfWeek(field: string, refuse: (why: string) => never): string {
  if (field === '?' || field === '*') return field;
  return field
    .split(',')
    .map((item) => {
      if (item.toUpperCase() === 'L') return '6';
      // the days before a step (`/`) or an nth (`#`) are days; the number after them is a count
      const cut = item.search(/[/#]/);
      const days = cut === -1 ? item : item.slice(0, cut);
      const rest = cut === -1 ? '' : item.slice(cut);
      return (
        days.replace(/\d+/g, (digits) => {
          const day = Number(digits);
          if (day < 1 || day > 7) refuse(`: day of week ${digits} is not 1 (Sunday) to 7 (Saturday)`);
          return String(day - 1);
        }) + rest
      );
    })
    .join(',');
}
