/**
 * Schedules of process timer start events (the durable layer keeps one job per start event and asks
 * for the next due time after each firing). Accepted as Camunda and Flowable accept them: timeDate,
 * timeDuration (once, after the deployment), ISO 8601 repeating intervals (`R3/PT10M`, `R/PT1H`,
 * `R2/2024-01-01T08:00Z/P1D`: from its first slot not before the anchor, as Camunda's DurationHelper
 * reads it from the current time) and Quartz cron in timeCycle (cron.ts).
 */
import { cronProblem, isCron, nextCronTime } from './cron';
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

/**
 * Next due time of a timer start event, or null when its schedule is used up; cron fields and dates
 * without an offset are read in `timeZone` (the business zone).
 */
export function nextTimerStart(
  kind: TimerKind,
  value: string,
  state: TimerStartState,
  timeZone = 'UTC',
): Date | null {
  const text = value.trim();
  switch (kind) {
    case 'timeDate':
      return state.fired === 0 ? parseDateTime(text, timeZone) : null;
    case 'timeDuration':
      return state.fired === 0 ? addDuration(state.anchor, parseDuration(text)) : null;
    case 'timeCycle': {
      if (isCron(text)) return nextCronTime(text, state.previousDue ?? state.anchor, timeZone);
      const cycle = parseCycle(text, timeZone);
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
    if (kind === 'timeCycle' && isCron(text)) return cronProblem(text);
    const due = nextTimerStart(kind, text, { anchor: new Date(0), fired: 0, previousDue: null });
    return due ? beyondCalendar(text, due) : undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
