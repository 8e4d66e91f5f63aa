import { compileDefinition } from '../definition/compile';
import { DEFAULT_DEFINITION_LIMITS } from '../definition/limits';
import { DefinitionError, EngineError } from '../errors';
import { startInstance } from '../runtime/runtime';
import { document, linear } from './bpmn';

async function refusal(xml: string, limits = {}): Promise<DefinitionError> {
  const err = await compileDefinition(xml, { limits }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DefinitionError);
  return err as DefinitionError;
}

/** A user task with a non-interrupting boundary timer cycle `cycle`. */
const withCycle = (cycle: string) =>
  linear('<userTask id="t" />', {
    extra: `<boundaryEvent id="remind" attachedToRef="t" cancelActivity="false">
      <timerEventDefinition><timeCycle>${cycle}</timeCycle></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="f3" sourceRef="remind" targetRef="n" /><task id="n" />
    <sequenceFlow id="f4" sourceRef="n" targetRef="e2" /><endEvent id="e2" />`,
  });

/** A user task inside `levels` embedded sub-processes, each with its own start and end. */
function nested(levels: number): string {
  const inner = (i: number, first: string) =>
    `<startEvent id="s${i}" /><sequenceFlow id="a${i}" sourceRef="s${i}" targetRef="${first}" />`;
  let body = `${inner(levels + 1, 'deep')}<userTask id="deep" /><sequenceFlow id="b${levels + 1}" sourceRef="deep" targetRef="e${levels + 1}" /><endEvent id="e${levels + 1}" />`;
  for (let i = levels; i >= 1; i--) {
    const child = `<subProcess id="sp${i}">${body}</subProcess>`;
    body =
      i === 1
        ? child
        : `${inner(i, `sp${i}`)}${child}<sequenceFlow id="b${i}" sourceRef="sp${i}" targetRef="e${i}" /><endEvent id="e${i}" />`;
  }
  return document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sp1" />${body}
    <sequenceFlow id="f2" sourceRef="sp1" targetRef="e" /><endEvent id="e" />`);
}

/** CPU milliseconds `run` used (wall time depends on the machine's load; CPU time much less). */
async function cpuOf(run: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

describe('uploaded BPMN is bounded (issue 19)', () => {
  it.each(['R/PT0S', 'R5/PT0.001S', 'R/PT0.5S', 'R/2026-01-01T00:00:00Z/PT1S', 'R/PT59S'])(
    'refuses the timer cycle %s at deploy, naming the event',
    async (cycle) => {
      const err = await refusal(withCycle(cycle));
      expect(err.issues).toEqual([
        expect.objectContaining({
          elementId: 'remind',
          reason: expect.stringMatching(/shortest allowed interval is 60000 ms/),
        }),
      ]);
    },
  );

  it('accepts a cycle at the minimum, and the minimum is configurable', async () => {
    await expect(compileDefinition(withCycle('R/PT1M'))).resolves.toBeDefined();
    await expect(
      compileDefinition(withCycle('R3/PT10S'), { limits: { minTimerCycleMs: 10_000 } }),
    ).resolves.toBeDefined();
    expect((await refusal(withCycle('R/PT1M'), { minTimerCycleMs: 3_600_000 })).issues[0].elementId).toBe(
      'remind',
    );
  });

  it('refuses a computed cycle below the minimum when it is evaluated, instead of spinning', async () => {
    const definition = await compileDefinition(withCycle('${cycle}'));
    const cpu = await cpuOf(async () => {
      const err = await startInstance({ definition, variables: { cycle: 'R/PT0S' } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).message).toMatch(/shortest allowed interval/);
    });
    expect(cpu).toBeLessThan(DEFAULT_DEFINITION_LIMITS.maxEngineSliceMs * 3);
    const fine = await startInstance({ definition, variables: { cycle: 'R/PT1H' } });
    expect(fine.waits.map((w) => w.elementId)).toEqual(['t']);
  });

  // A duration past the calendar (P300000Y overflows JavaScript dates) deployed and then cancelled
  // every instance at the timer without a word: refuse it like any other bad timer value.
  const waitFor = (value: string) =>
    linear(
      '<intermediateCatchEvent id="t"><timerEventDefinition><timeDuration>' +
        value +
        '</timeDuration></timerEventDefinition></intermediateCatchEvent>',
    );

  it.each(['P300000Y', 'P99999999Y', 'P10000Y', 'PT99999999999999H'])(
    'refuses the timer duration %s, beyond 9999-12-31, at deploy',
    async (value) => {
      const err = await refusal(waitFor(value));
      expect(err.issues).toEqual([
        expect.objectContaining({ elementId: 't', reason: expect.stringMatching(/9999-12-31/) }),
      ]);
    },
  );

  it.each([
    [
      'a process timer start',
      'st',
      document(`<startEvent id="st"><timerEventDefinition><timeDuration>P300000Y</timeDuration></timerEventDefinition></startEvent>
        <sequenceFlow id="f1" sourceRef="st" targetRef="e" /><endEvent id="e" />`),
    ],
    [
      'an event sub-process timer start',
      'ss',
      linear('<userTask id="t" />', {
        extra: `<subProcess id="sp" triggeredByEvent="true"><startEvent id="ss" isInterrupting="false">
          <timerEventDefinition><timeDuration>P300000Y</timeDuration></timerEventDefinition></startEvent>
          <sequenceFlow id="sf" sourceRef="ss" targetRef="se" /><endEvent id="se" /></subProcess>`,
      }),
    ],
    [
      'a boundary timer',
      'b',
      linear('<userTask id="t" />', {
        extra: `<boundaryEvent id="b" attachedToRef="t"><timerEventDefinition><timeDuration>P300000Y</timeDuration>
          </timerEventDefinition></boundaryEvent><sequenceFlow id="bf" sourceRef="b" targetRef="be" /><endEvent id="be" />`,
      }),
    ],
  ])('refuses %s due beyond 9999-12-31 at deploy', async (_what, elementId, xml) => {
    const err = await compileDefinition(xml, { eventStarts: ['timer'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DefinitionError);
    expect((err as DefinitionError).issues).toEqual([
      expect.objectContaining({ elementId, reason: expect.stringMatching(/9999-12-31/) }),
    ]);
  });

  it('refuses a task due date beyond 9999-12-31 at deploy', async () => {
    const err = await refusal(linear('<userTask id="t" camunda:dueDate="P300000Y" />'));
    expect(err.issues).toEqual([
      expect.objectContaining({ elementId: 't', reason: expect.stringMatching(/dueDate: .*9999-12-31/) }),
    ]);
  });

  it.each(['P300000Y', 'garbage', 'R/garbage', '2026-99-99'])(
    'refuses a computed timer value %s when it is evaluated, instead of cancelling the instance',
    async (value) => {
      const definition = await compileDefinition(waitFor('${d}'));
      const err = await startInstance({ definition, variables: { d: value } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).elementId).toBe('t');
    },
  );

  it('runs a computed timer value that is a valid duration or date', async () => {
    const duration = await compileDefinition(waitFor('${d}'));
    const date = await compileDefinition(waitFor('${d}').replace(/timeDuration/g, 'timeDate'));
    for (const [definition, d] of [
      [duration, 'PT1H'],
      [duration, 'P1000Y'],
      [date, '2030-01-01T00:00:00Z'],
    ] as const) {
      const started = await startInstance({ definition, variables: { d } });
      expect([started.status, started.timers.map((t) => t.elementId)]).toEqual(['running', ['t']]);
    }
  });

  it('refuses nesting the engine cannot run (a user task inside 65 sub-processes) instead of skipping it', async () => {
    const err = await refusal(nested(65));
    expect(err.issues).toEqual([
      expect.objectContaining({
        elementId: `sp${DEFAULT_DEFINITION_LIMITS.maxNesting + 1}`,
        reason: expect.stringMatching(/nested more than/),
      }),
    ]);
    const ok = await compileDefinition(nested(DEFAULT_DEFINITION_LIMITS.maxNesting));
    const started = await startInstance({ definition: ok });
    expect(started.waits.map((w) => w.elementId)).toEqual(['deep']);
  });

  it('refuses a document with too many elements before analysing it', async () => {
    const tasks = Array.from(
      { length: 1100 },
      (_, i) => `<task id="t${i}" /><sequenceFlow id="q${i}" sourceRef="t${i}" targetRef="t${i + 1}" />`,
    ).join('');
    const err = await refusal(document(`<startEvent id="s" />${tasks}<endEvent id="t1100" />`));
    expect(err.issues).toEqual([
      expect.objectContaining({ reason: 'the document has more than 2000 elements' }),
    ]);
  });

  it('refuses a literal multi-instance cardinality beyond the limit, naming the task', async () => {
    const xml = linear(
      '<userTask id="t"><multiInstanceLoopCharacteristics isSequential="false"><loopCardinality>5000</loopCardinality></multiInstanceLoopCharacteristics></userTask>',
    );
    const err = await refusal(xml);
    expect(err.issues).toEqual([
      expect.objectContaining({ elementId: 't', reason: expect.stringMatching(/5000 is more than 1000/) }),
    ]);
  });

  it('stops an endless loop of non-waiting elements within the slice budget, without blocking the app', async () => {
    const definition = await compileDefinition(
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="a" />
        <task id="a" /><sequenceFlow id="f2" sourceRef="a" targetRef="g" />
        <exclusiveGateway id="g" default="f3" /><sequenceFlow id="f3" sourceRef="g" targetRef="a" />`),
    );
    let failure: unknown;
    const cpu = await cpuOf(async () => {
      failure = await startInstance({ definition }).then(
        () => undefined,
        (e: unknown) => e,
      );
    });
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as EngineError).code).toBe('BUDGET_EXCEEDED');
    expect((failure as EngineError).message).toMatch(/without a wait/);
    // unbounded, this loop burns CPU until the stack overflows (6 s here); the budget stops it early
    expect(cpu).toBeLessThan(DEFAULT_DEFINITION_LIMITS.maxEngineSliceMs * 3);
  });

  it('does not take a short command over the CPU budget for an endless loop (cold JIT and GC count in cpuUsage)', async () => {
    const loop = document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="a" />
        <task id="a" /><sequenceFlow id="f2" sourceRef="a" targetRef="g" />
        <exclusiveGateway id="g" default="f3" /><sequenceFlow id="f3" sourceRef="g" targetRef="a" />`);
    // a budget of 0 ms: every slice is over it, so only the steps decide
    const limits = { maxEngineSliceMs: 0 };
    const short = await startInstance({ definition: await compileDefinition(nested(3), { limits }) });
    expect(short.waits.map((w) => w.elementId)).toEqual(['deep']);
    const failure = await startInstance({ definition: await compileDefinition(loop, { limits }) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((failure as EngineError).code).toBe('BUDGET_EXCEEDED');
    expect((failure as EngineError).message).toMatch(/more than 0 ms of CPU without a wait/);
  });

  it('reads the CPU clock only for a command past the steps a slice budget waits for', async () => {
    // process.cpuUsage() is a system call: a start that settles in a few steps should not make one per stretch
    const cpuUsage = jest.spyOn(process, 'cpuUsage');
    try {
      const short = await startInstance({ definition: await compileDefinition(nested(3)) });
      expect(short.waits.map((w) => w.elementId)).toEqual(['deep']);
      expect(cpuUsage).not.toHaveBeenCalled();
    } finally {
      cpuUsage.mockRestore();
    }
  });

  it('stops the same loop at the step budget when that comes first (both budgets are configurable)', async () => {
    const definition = await compileDefinition(
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="a" />
        <task id="a" /><sequenceFlow id="f2" sourceRef="a" targetRef="g" />
        <exclusiveGateway id="g" default="f3" /><sequenceFlow id="f3" sourceRef="g" targetRef="a" />`),
      { limits: { maxStepsPerCommand: 50, maxEngineSliceMs: 60_000 } },
    );
    const failure = await startInstance({ definition }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((failure as EngineError).code).toBe('BUDGET_EXCEEDED');
    expect((failure as EngineError).message).toMatch(/more than 50 steps/);
  });
});
