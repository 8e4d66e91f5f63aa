/**
 * Schedules of process timer start events (the durable layer keeps one job per start event and asks
 * for the next due time after each firing). Accepted as Camunda and Flowable accept them: timeDate,
 * timeDuration (once, after the deployment), ISO 8601 repeating intervals (`R3/PT10M`, `R/PT1H`,
 * `R2/2024-01-01T08:00Z/P1D`: from its first slot not before the anchor, as Camunda's DurationHelper
 * reads it from the current time) and Quartz cron in timeCycle (6 fields, seconds first, or 7 with a year
 * of `*`/`?`), evaluated with cron-parser.
 */
import { CronExpressionParser } from 'cron-parser';
import {
  addDuration,
  beyondCalendar,
  cycleSlotFrom,
  parseCycle,
  parseDateTime,
  parseDuration,
  type TimerKind,
} from './iso8601';

export interface TimerStartState {
  /** When the schedule began (the deployment of the version). */
  readonly anchor: Date;
  /** Firings so far. */
  readonly fired: number;
  /** Due time of the last firing (cron counts from it). */
  readonly previousDue: Date | null;
}

/** Next due time of a timer start event, or null when its schedule is used up. */
export function nextTimerStart(
  kind: TimerKind,
  value: string,
  state: TimerStartState,
  timeZone = 'UTC',
): Date | null {
  const text = value.trim();
  switch (kind) {
    case 'timeDate':
      return state.fired === 0 ? parseDateTime(text) : null;
    case 'timeDuration':
      return state.fired === 0 ? addDuration(state.anchor, parseDuration(text)) : null;
    case 'timeCycle': {
      if (isCron(text)) {
        const from = state.previousDue ?? state.anchor;
        return CronExpressionParser.parse(quartzToCronParser(text), { currentDate: from, tz: timeZone })
          .next()
          .toDate();
      }
      const cycle = parseCycle(text);
      if (cycle.start) {
        // from the first slot not before the anchor; when all lie before it, once at once
        const first = cycleSlotFrom(cycle, state.anchor);
        if (!first) return state.fired === 0 ? state.anchor : null;
        if (cycle.repeat !== -1 && first.index + state.fired >= cycle.repeat) return null;
        let due = first.dueAt;
        for (let i = 0; i < state.fired; i++) due = addDuration(due, cycle.duration);
        return due;
      }
      if (cycle.repeat !== -1 && state.fired >= cycle.repeat) return null;
      let due = cycle.start ?? addDuration(state.anchor, cycle.duration);
      for (let i = 0; i < state.fired; i++) due = addDuration(due, cycle.duration);
      if (cycle.end && due.getTime() > cycle.end.getTime()) return null;
      return due;
    }
  }
}

/** Deploy-time check; returns the reason when the value cannot be scheduled. */
export function checkStartTimer(kind: TimerKind, value: string): string | undefined {
  const text = value.trim();
  if (!text) return `${kind} is empty`;
  try {
    if (kind === 'timeCycle' && isCron(text)) {
      const fields = text.split(/\s+/);
      if (fields.length < 6 || fields.length > 7)
        return `'${text}' is not a Quartz cron expression (6 or 7 fields, seconds first)`;
      if (fields.length === 7 && !['*', '?'].includes(fields[6]!))
        return `'${text}': a cron year field other than * is not supported`;
      CronExpressionParser.parse(quartzToCronParser(text), { currentDate: new Date(0), tz: 'UTC' });
      return undefined;
    }
    const due = nextTimerStart(kind, text, { anchor: new Date(0), fired: 0, previousDue: null });
    return due ? beyondCalendar(text, due) : undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function isCron(text: string): boolean {
  return !/^R/i.test(text) && text.split(/\s+/).length >= 5;
}

/** cron-parser reads 6 fields as seconds-first like Quartz; a 7th (year, `*` or `?`) is dropped. */
function quartzToCronParser(text: string): string {
  const fields = text.split(/\s+/);
  return (fields.length === 7 ? fields.slice(0, 6) : fields).join(' ');
}
