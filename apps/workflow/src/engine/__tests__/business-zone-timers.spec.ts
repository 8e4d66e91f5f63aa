/**
 * Cron cycles and dates without an offset read on the business clock (TZ_BUSINESS). Camunda 7 and
 * Flowable evaluate a Quartz cron `timeCycle` and read a `timeDate` without an offset in the server's
 * zone (Camunda's CronExpression and DateTimeUtil use the JVM default zone), so in a Chinese deployment
 * `0 0 9 * * ?` is 09:00 Asia/Shanghai, not 09:00 UTC. The host hands its zone to the compiler
 * (CompileOptions.timeZone); summer time is checked with Europe/Berlin (2027: CEST from 28 March 01:00
 * UTC to 31 October 01:00 UTC).
 */
import { compileDefinition } from '../definition/compile';
import { nextCronTime } from '../definition/cron';
import { firstDueDate, parseCycle, parseDateTime } from '../definition/iso8601';
import { nextTimerStart, type TimerStartState } from '../definition/timer-start';
import { document } from './bpmn';
import { Driver } from './helpers';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';

/** The first `n` due times of a timer start event's schedule, from `anchor` on. */
function firings(value: string, anchor: string, zone: string, n: number): string[] {
  const out: string[] = [];
  let state: TimerStartState = { anchor: new Date(anchor), fired: 0, previousDue: null };
  for (let i = 0; i < n; i++) {
    const due = nextTimerStart('timeCycle', value, state, zone);
    out.push(due!.toISOString());
    state = { ...state, fired: state.fired + 1, previousDue: due };
  }
  return out;
}

/** What a wall clock in `zone` shows at `iso`: `yyyy-MM-dd HH:mm:ss`. */
function wall(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(iso));
}

describe('a cron timeCycle read in the business zone', () => {
  it.each([
    // 20:00 in Shanghai on Saturday 5 December: tomorrow 09:00 there, 01:00 UTC
    ['0 0 9 * * ?', '2026-12-05T12:00:00Z', SHANGHAI, '2026-12-06T01:00:00.000Z'],
    // 08:30 in Shanghai (00:30 UTC): today, half an hour later, not at 09:00 UTC
    ['0 0 9 * * ?', '2026-12-05T00:30:00Z', SHANGHAI, '2026-12-05T01:00:00.000Z'],
    // Monday 07:00 in Shanghai is still Sunday in UTC
    ['0 0 7 ? * 2', '2026-12-06T12:00:00Z', SHANGHAI, '2026-12-06T23:00:00.000Z'],
    ['0 0 7 ? * MON', '2026-12-06T12:00:00Z', SHANGHAI, '2026-12-06T23:00:00.000Z'],
    // the 1st of the month at 01:00 in Shanghai is the last day of the month before in UTC
    ['0 0 1 1 * ?', '2026-12-05T12:00:00Z', SHANGHAI, '2026-12-31T17:00:00.000Z'],
    // the last day of February at 06:30 in Shanghai: 27 February in UTC
    ['0 30 6 L * ?', '2027-02-05T00:00:00Z', SHANGHAI, '2027-02-27T22:30:00.000Z'],
    // the third Friday, 08:00 in Shanghai: midnight UTC
    ['0 0 8 ? * 6#3', '2026-12-05T00:00:00Z', SHANGHAI, '2026-12-18T00:00:00.000Z'],
    // 09:00 in Berlin in winter (CET, +01:00) and in summer (CEST, +02:00)
    ['0 0 9 * * ?', '2027-01-10T12:00:00Z', BERLIN, '2027-01-11T08:00:00.000Z'],
    ['0 0 9 * * ?', '2027-07-10T12:00:00Z', BERLIN, '2027-07-11T07:00:00.000Z'],
  ])('%s after %s in %s is %s', (value, after, zone, due) => {
    expect(nextCronTime(value, new Date(after), zone).toISOString()).toBe(due);
    expect(
      nextTimerStart('timeCycle', value, { anchor: new Date(after), fired: 0, previousDue: null }, zone),
    ).toEqual(new Date(due));
    expect(firstDueDate('timeCycle', value, new Date(after), zone)).toEqual({
      dueAt: new Date(due),
      repeat: -1,
    });
  });

  it('a daily 09:00 stays 09:00 in Berlin across the spring change: 08:00 UTC, then 07:00 UTC', () => {
    expect(firings('0 0 9 * * ?', '2027-03-26T12:00:00Z', BERLIN, 3)).toEqual([
      '2027-03-27T08:00:00.000Z',
      '2027-03-28T07:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
    ]);
  });

  it('and across the autumn change: 07:00 UTC, then 08:00 UTC', () => {
    expect(firings('0 0 9 * * ?', '2027-10-29T12:00:00Z', BERLIN, 3)).toEqual([
      '2027-10-30T07:00:00.000Z',
      '2027-10-31T08:00:00.000Z',
      '2027-11-01T08:00:00.000Z',
    ]);
  });

  it('02:30 on the night the clock skips it fires at 03:30 (as a lenient Calendar reads it), then at 02:30', () => {
    expect(firings('0 30 2 * * ?', '2027-03-27T12:00:00Z', BERLIN, 2)).toEqual([
      '2027-03-28T01:30:00.000Z', // 03:30 CEST
      '2027-03-29T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('02:30 on the night the clock shows it twice fires once, the first time', () => {
    expect(firings('0 30 2 * * ?', '2027-10-30T12:00:00Z', BERLIN, 2)).toEqual([
      '2027-10-31T00:30:00.000Z', // 02:30 CEST
      '2027-11-01T01:30:00.000Z', // 02:30 CET
    ]);
  });

  it('UTC stays the reading when the host names no zone', () => {
    expect(nextCronTime('0 0 9 * * ?', new Date('2026-12-05T12:00:00Z')).toISOString()).toBe(
      '2026-12-06T09:00:00.000Z',
    );
  });
});

describe('a date without an offset read in the business zone', () => {
  it.each([
    ['2026-12-06T09:00:00', SHANGHAI, '2026-12-06T01:00:00.000Z'],
    ['2026-12-06 09:00:00', SHANGHAI, '2026-12-06T01:00:00.000Z'],
    ['2026-12-06', SHANGHAI, '2026-12-05T16:00:00.000Z'],
    ['2027-01-10T09:00:00', BERLIN, '2027-01-10T08:00:00.000Z'],
    ['2027-07-10T09:00:00', BERLIN, '2027-07-10T07:00:00.000Z'],
    // a time the clock skips: on by the gap (java.time's reading); one it shows twice: the earlier
    ['2027-03-28T02:30:00', BERLIN, '2027-03-28T01:30:00.000Z'],
    ['2027-10-31T02:30:00', BERLIN, '2027-10-31T00:30:00.000Z'],
    // an offset, or Z, is kept as written
    ['2026-12-06T09:00:00Z', SHANGHAI, '2026-12-06T09:00:00.000Z'],
    ['2026-12-06T09:00:00+01:00', SHANGHAI, '2026-12-06T08:00:00.000Z'],
  ])('%s in %s is %s', (text, zone, instant) => {
    expect(parseDateTime(text, zone).toISOString()).toBe(instant);
    expect(firstDueDate('timeDate', text, new Date(0), zone).dueAt.toISOString()).toBe(instant);
    expect(
      nextTimerStart('timeDate', text, { anchor: new Date(0), fired: 0, previousDue: null }, zone),
    ).toEqual(new Date(instant));
  });

  it('the start of a repeating interval too', () => {
    expect(parseCycle('R3/2026-12-06T09:00:00/P1D', SHANGHAI).start?.toISOString()).toBe(
      '2026-12-06T01:00:00.000Z',
    );
    expect(
      nextTimerStart(
        'timeCycle',
        'R3/2026-12-06T09:00:00/P1D',
        { anchor: new Date('2026-12-05T12:00:00Z'), fired: 0, previousDue: null },
        SHANGHAI,
      ),
    ).toEqual(new Date('2026-12-06T01:00:00.000Z'));
  });
});

describe('timers of a definition compiled for a business zone', () => {
  const within = (value: string) =>
    document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
      <userTask id="t" /><sequenceFlow id="f2" sourceRef="t" targetRef="e" /><endEvent id="e" />
      <boundaryEvent id="b" attachedToRef="t" cancelActivity="false">${value}</boundaryEvent>
      <sequenceFlow id="f3" sourceRef="b" targetRef="n" /><task id="n" />
      <sequenceFlow id="f4" sourceRef="n" targetRef="e2" /><endEvent id="e2" />`);
  const cycle = (value: string) =>
    `<timerEventDefinition><timeCycle>${value}</timeCycle></timerEventDefinition>`;
  const date = (value: string) =>
    `<timerEventDefinition><timeDate>${value}</timeDate></timerEventDefinition>`;
  const dueOf = (d: Driver, elementId: string) =>
    d.snapshot.timers.find((t) => t.elementId === elementId)!.dueAt;

  it.each([SHANGHAI, BERLIN])(
    'a boundary cron 0 0 9 * * ? is due at 09:00 in %s, within a day',
    async (zone) => {
      const d = await Driver.start(await compileDefinition(within(cycle('0 0 9 * * ?')), { timeZone: zone }));
      const due = dueOf(d, 'b');
      expect(wall(due, zone)).toMatch(/ 09:00:00$/);
      expect(Date.parse(due) - Date.now()).toBeLessThanOrEqual(86_400_000);
      // the next repetition too
      await d.fire('b');
      expect(wall(dueOf(d, 'b'), zone)).toMatch(/ 09:00:00$/);
      expect(Date.parse(dueOf(d, 'b')) - Date.parse(due)).toBe(86_400_000);
    },
  );

  it('an intermediate catch cron and a computed one (${…}) likewise', async () => {
    const xml = document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="w" />
      <intermediateCatchEvent id="w">${cycle('${at}')}</intermediateCatchEvent>
      <sequenceFlow id="f2" sourceRef="w" targetRef="e" /><endEvent id="e" />`);
    const d = await Driver.start(await compileDefinition(xml, { timeZone: SHANGHAI }), {
      variables: { at: '0 0 9 * * ?' },
    });
    expect(wall(dueOf(d, 'w'), SHANGHAI)).toMatch(/ 09:00:00$/);
  });

  it('a timeDate without an offset, literal or computed, is that time in the zone', async () => {
    const literal = await Driver.start(
      await compileDefinition(within(date('2099-12-06T09:00:00')), { timeZone: SHANGHAI }),
    );
    expect(dueOf(literal, 'b')).toBe('2099-12-06T01:00:00.000Z');
    const computed = await Driver.start(
      await compileDefinition(within(date('${when}')), { timeZone: SHANGHAI }),
      { variables: { when: '2099-12-06 09:00:00' } },
    );
    expect(dueOf(computed, 'b')).toBe('2099-12-06T01:00:00.000Z');
  });

  it("a task's dueDate without an offset, literal or computed, likewise", async () => {
    const xml = document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
      <userTask id="t" camunda:dueDate="2099-12-06T09:00:00" camunda:followUpDate="\${later}" />
      <sequenceFlow id="f2" sourceRef="t" targetRef="e" /><endEvent id="e" />`);
    const d = await Driver.start(await compileDefinition(xml, { timeZone: SHANGHAI }), {
      variables: { later: '2099-12-07 09:00:00' },
    });
    expect(d.wait('t')).toMatchObject({
      dueDate: '2099-12-06T01:00:00.000Z',
      followUpDate: '2099-12-07T01:00:00.000Z',
    });
  });

  it('a timer event sub-process with a cron start is due at 09:00 in the zone', async () => {
    const xml = document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
      <userTask id="t" /><sequenceFlow id="f2" sourceRef="t" targetRef="e" /><endEvent id="e" />
      <subProcess id="esp" triggeredByEvent="true">
        <startEvent id="es" isInterrupting="false">${cycle('0 0 9 * * ?')}</startEvent>
        <sequenceFlow id="ef1" sourceRef="es" targetRef="ee" /><endEvent id="ee" />
      </subProcess>`);
    const d = await Driver.start(await compileDefinition(xml, { timeZone: BERLIN }));
    expect(wall(dueOf(d, 'es'), BERLIN)).toMatch(/ 09:00:00$/);
  });
});
