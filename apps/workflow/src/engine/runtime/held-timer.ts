import { isCron, nextCronTime } from '../definition/cron';

/** What bpmn-elements' TimerEventDefinition.parse answers for one timer value. */
interface ParsedTimer {
  expireAt?: Date;
  repeat?: number;
  delay?: number;
}

/** bpmn-elements' TimerEventDefinition (a function constructor), as far as it is used here. */
interface TimerDefinition {
  _getTimers(message: unknown): { timeout?: number; expireAt?: Date };
  parse(timerType: string, value: string): ParsedTimer;
}
type TimerBehaviour = new (...args: unknown[]) => TimerDefinition;

/** Where a held-back timer keeps its own due time (saved with the timer's message, so it lasts). */
export const DUE_AT = 'flowdeskDueAt';

/** The due time each timer activity was last armed for (a cron repetition counts from it). */
const armedDue = new WeakMap<object, Date>();

/**
 * The behaviour of a timer event definition (an intermediate catch or boundary timer). Camunda makes
 * every timer a job, so one already due when it is armed (`PT0S`, a date in the past) fires when its job
 * runs, after the command that armed it: the instance waits at it until then, and a message or a user
 * who comes first wins. bpmn-elements completed such a timer at once, inside that command (a `PT0S`
 * timer of an event-based gateway won before any message could come, or not, by the millisecond). With
 * a timeout of 1 ms it is registered like any timer; its job is due at its own due time (dueDateOf).
 *
 * A cron `timeCycle` (Camunda's and Flowable's `0 0/5 * * * ?`), which bpmn-elements' ISO 8601 parser
 * refuses, is read here: due at its next instant, repeating without end (a non-interrupting boundary
 * event fires at each instant while its activity waits; an interrupting one and an intermediate catch
 * fire once). A repetition counts from the instant that fired, also when its job ran early. Its fields
 * are read on `timeZone`'s clock (the business zone).
 */
export function heldTimerBehaviour(Original: TimerBehaviour, timeZone: string): TimerBehaviour {
  return function HeldTimer(...args: unknown[]): TimerDefinition {
    const definition = new Original(...args);
    // bpmn-elements makes a new definition when a boundary event restarts for its next firing: the
    // activity (the first argument) is what stays
    const activity = args[0] as object;
    const getTimers = definition._getTimers.bind(definition);
    definition._getTimers = (message) => {
      // a resumed timer's saved due time: a cron value read again must not move it earlier
      const content = (message as { content?: Record<string, unknown> }).content;
      const saved = dateOf(content?.[DUE_AT] ?? content?.expireAt);
      if (saved) armedDue.set(activity, saved);
      const timers = getTimers(message);
      const due = dateOf(content?.[DUE_AT]) ?? dateOf(timers.expireAt);
      if (due) armedDue.set(activity, due);
      if (typeof timers.timeout === 'number' && timers.timeout <= 0) timers.timeout = 1;
      return timers;
    };
    const parse = definition.parse.bind(definition);
    definition.parse = (timerType, value) => {
      if (timerType !== 'timeCycle' || typeof value !== 'string' || !isCron(value))
        return parse(timerType, value);
      const now = new Date();
      const fired = armedDue.get(activity);
      const from = fired && fired.getTime() > now.getTime() ? fired : now;
      const expireAt = nextCronTime(value, from, timeZone);
      return { expireAt, repeat: -1, delay: expireAt.getTime() - now.getTime() };
    };
    return definition;
  } as unknown as TimerBehaviour;
}

function dateOf(value: unknown): Date | null {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}
