/** bpmn-elements' TimerEventDefinition (a function constructor), as far as it is used here. */
interface TimerDefinition {
  _getTimers(message: unknown): { timeout?: number };
}
type TimerBehaviour = new (...args: unknown[]) => TimerDefinition;

/**
 * The behaviour of a timer event definition (an intermediate catch or boundary timer). Camunda makes
 * every timer a job, so one already due when it is armed (`PT0S`, a date in the past) fires when its job
 * runs, after the command that armed it: the instance waits at it until then, and a message or a user
 * who comes first wins. bpmn-elements completed such a timer at once, inside that command (a `PT0S`
 * timer of an event-based gateway won before any message could come, or not, by the millisecond). With
 * a timeout of 1 ms it is registered like any timer; its job is due at its own due time (dueDateOf).
 */
export function heldTimerBehaviour(Original: TimerBehaviour): TimerBehaviour {
  return function HeldTimer(...args: unknown[]): TimerDefinition {
    const definition = new Original(...args);
    const getTimers = definition._getTimers.bind(definition);
    definition._getTimers = (message) => {
      const timers = getTimers(message);
      if (typeof timers.timeout === 'number' && timers.timeout <= 0) timers.timeout = 1;
      return timers;
    };
    return definition;
  } as unknown as TimerBehaviour;
}
