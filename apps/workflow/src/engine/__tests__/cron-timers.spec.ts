/**
 * Cron cycles on boundary and intermediate timers. Camunda 7 and Flowable accept a Quartz cron
 * expression wherever a `timeCycle` goes (Camunda's user guide, "Timer Events": `0 0/5 * * * ?`; its
 * BoundaryTimerNonInterruptingEventTest.testTimerWithCycle fires a non-interrupting cycle again and
 * again while the task waits; an interrupting timer and an intermediate catch fire once). Quartz's
 * day-of-week field runs from 1 (Sunday) to 7 (Saturday). The Driver saves and recovers the state between
 * every step.
 */
import { compileDefinition } from '../definition/compile';
import { nextTimerStart } from '../definition/timer-start';
import { document } from './bpmn';
import { Driver } from './helpers';

const FIVE_MINUTES = 300_000;
const EVERY_FIVE_MINUTES = '0 0/5 * * * ?';
const cycle = (value: string) =>
  `<timerEventDefinition><timeCycle>${value}</timeCycle></timerEventDefinition>`;

/** A user task `t` with a boundary timer `b` whose path is the plain task `n`, then `e2`. */
const withBoundary = (value: string, cancelActivity: boolean) =>
  document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    <userTask id="t" /><sequenceFlow id="f2" sourceRef="t" targetRef="e" /><endEvent id="e" />
    <boundaryEvent id="b" attachedToRef="t" cancelActivity="${cancelActivity}">${cycle(value)}</boundaryEvent>
    <sequenceFlow id="f3" sourceRef="b" targetRef="n" /><task id="n" />
    <sequenceFlow id="f4" sourceRef="n" targetRef="e2" /><endEvent id="e2" />`);

/** The next five-minute instant strictly after `ms`. */
const nextSlot = (ms: number) => (Math.floor(ms / FIVE_MINUTES) + 1) * FIVE_MINUTES;

/** The timer's due time, checked to be the next instant after the moment it was armed. */
function expectNextSlot(d: Driver, elementId: string, before: number, after: number): number {
  const timers = d.snapshot.timers.filter((t) => t.elementId === elementId);
  expect(timers).toHaveLength(1);
  const due = Date.parse(timers[0]!.dueAt);
  expect([nextSlot(before), nextSlot(after)]).toContain(due);
  return due;
}

describe('a cron timeCycle on a non-interrupting boundary timer', () => {
  it('deploys, and fires at every instant while its activity waits, each firing taking its path', async () => {
    const definition = await compileDefinition(withBoundary(EVERY_FIVE_MINUTES, false));
    const before = Date.now();
    const d = await Driver.start(definition);
    let due = expectNextSlot(d, 'b', before, Date.now());
    for (let i = 1; i <= 3; i++) {
      await d.fire('b');
      expect(d.entered('n')).toBe(i);
      expect(d.entered('e2')).toBe(i);
      expect(d.waits.map((w) => w.elementId)).toEqual(['t']);
      // the next instant after the one that fired (the job ran early here: not the same instant again)
      const [next] = d.snapshot.timers.filter((t) => t.elementId === 'b');
      expect(Date.parse(next!.dueAt)).toBe(due + FIVE_MINUTES);
      due += FIVE_MINUTES;
    }
    await d.complete('t');
    expect(d.status).toBe('completed');
    expect(d.snapshot.timers).toEqual([]);
  });
});

describe('a cron timeCycle on an interrupting boundary timer', () => {
  it('fires once, at the next instant: the activity is left and the path taken', async () => {
    const before = Date.now();
    const d = await Driver.start(await compileDefinition(withBoundary(EVERY_FIVE_MINUTES, true)));
    expectNextSlot(d, 'b', before, Date.now());
    await d.fire('b');
    expect(d.entered('n')).toBe(1);
    expect(d.status).toBe('completed');
    expect(d.snapshot.timers).toEqual([]);
    expect(d.entered('e')).toBe(0);
  });
});

describe('a cron timeCycle on an intermediate catch timer', () => {
  const xml = (value: string) =>
    document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
      <intermediateCatchEvent id="wait">${cycle(value)}</intermediateCatchEvent>
      <sequenceFlow id="f2" sourceRef="wait" targetRef="t" /><userTask id="t" />
      <sequenceFlow id="f3" sourceRef="t" targetRef="e" /><endEvent id="e" />`);

  it('waits for the next instant, then goes on once', async () => {
    const before = Date.now();
    const d = await Driver.start(await compileDefinition(xml(EVERY_FIVE_MINUTES)));
    expect(d.waits).toEqual([]);
    expectNextSlot(d, 'wait', before, Date.now());
    await d.fire('wait');
    expect(d.waits.map((w) => w.elementId)).toEqual(['t']);
    expect(d.snapshot.timers).toEqual([]);
  });

  it('a computed cron value (${…}) runs too', async () => {
    const before = Date.now();
    const d = await Driver.start(await compileDefinition(xml('${every}')), {
      variables: { every: EVERY_FIVE_MINUTES },
    });
    expectNextSlot(d, 'wait', before, Date.now());
    await d.fire('wait');
    expect(d.waits.map((w) => w.elementId)).toEqual(['t']);
  });

  it.each([
    [
      'a Quartz form cron-parser does not read (W)',
      '0 0 12 15W * ?',
      /'0 0 12 15W \* \?' is not a cron expression/,
    ],
    ['a year other than *', '0 0 12 * * ? 2030', /'0 0 12 \* \* \? 2030': a cron year field/],
    ['five fields (Unix cron)', '0/5 * * * *', /'0\/5 \* \* \* \*' is not a Quartz cron expression/],
    ['every ten seconds (under the 60 s minimum)', '0/10 * * * * ?', /repeats every 10000 ms/],
    ['day of week 0 (Quartz counts 1 to 7)', '0 0 12 ? * 0', /day of week 0/],
  ])('%s is refused at deploy, naming the element and the expression', async (_, value, reason) => {
    await expect(compileDefinition(xml(value))).rejects.toMatchObject({
      issues: [expect.objectContaining({ elementId: 'wait', reason: expect.stringMatching(reason) })],
    });
  });
});

describe("Quartz's day-of-week numbers (1 = Sunday … 7 = Saturday)", () => {
  // Sunday 2026-12-06, midnight UTC
  const sunday = new Date('2026-12-06T00:00:00Z');
  it.each([
    ['0 0 12 ? * 2', '2026-12-07T12:00:00.000Z'], // Monday
    ['0 0 12 ? * MON', '2026-12-07T12:00:00.000Z'],
    ['0 15 10 ? * 7', '2026-12-12T10:15:00.000Z'], // Saturday
    ['0 0 12 ? * 2-6', '2026-12-07T12:00:00.000Z'], // Monday to Friday
    ['0 0 12 ? * 6#3', '2026-12-18T12:00:00.000Z'], // the third Friday
    ['0 0 12 ? * 6L', '2026-12-25T12:00:00.000Z'], // the last Friday
    ['0 0 8 ? * 1,7', '2026-12-06T08:00:00.000Z'], // weekends: Sunday first
  ])('%s first fires at %s', (value, first) => {
    const due = nextTimerStart('timeCycle', value, { anchor: sunday, fired: 0, previousDue: null });
    expect(due?.toISOString()).toBe(first);
  });
});
