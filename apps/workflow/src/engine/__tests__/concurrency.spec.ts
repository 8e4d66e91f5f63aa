/**
 * Two tokens at one element that is not a join. BPMN 2.0 §13 and Camunda / Flowable: each token runs the
 * element on its own — a user task reached by both branches of a parallel split is two tasks, and
 * each token arriving at an event-based gateway arms its own set of catch events (two message waits,
 * two timers; one winning its race withdraws only its own set). bpmn-engine runs an element once at a
 * time in a scope (the second token waited until the first left, and the step reported the waiting
 * sequence flow among the active elements; two tokens arriving together ran it once), so such models are
 * refused at deploy, naming the element where the branches meet.
 */
import { compileDefinition, validateDefinition } from '../definition/compile';
import { Driver } from './helpers';
import { document } from './bpmn';

const split = (merge: string, after: string) =>
  document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="fork" /><parallelGateway id="fork" />
    ${merge}${after}`);
const eventGateway = `<eventBasedGateway id="ebg" />
    <sequenceFlow id="e1" sourceRef="ebg" targetRef="msg" /><sequenceFlow id="e2" sourceRef="ebg" targetRef="tmr" />
    <intermediateCatchEvent id="msg"><messageEventDefinition messageRef="M" /></intermediateCatchEvent>
    <intermediateCatchEvent id="tmr"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="x1" sourceRef="msg" targetRef="t1" /><userTask id="t1" />
    <sequenceFlow id="x2" sourceRef="tmr" targetRef="t2" /><userTask id="t2" />`;
const viaTasks = (
  target: string,
) => `<sequenceFlow id="fa" sourceRef="fork" targetRef="ta" /><sequenceFlow id="fb" sourceRef="fork" targetRef="tb" />
    <userTask id="ta" /><userTask id="tb" />
    <sequenceFlow id="fa2" sourceRef="ta" targetRef="${target}" /><sequenceFlow id="fb2" sourceRef="tb" targetRef="${target}" />`;

async function refusal(xml: string): Promise<{ elementId: string; reason: string }[]> {
  const result = await validateDefinition(xml.replace('<process', '<message id="M" name="go" /><process'));
  return result.ok ? [] : result.issues.map(({ elementId, reason }) => ({ elementId, reason }));
}

/**
 * A rework loop inside one branch of a split (Camunda: the join waits for the branch's token, however
 * many rounds it takes). bpmn-engine passed the way not taken out of the loop's choice on as a discard
 * that the join counted as the branch's arrival: it went on after the first "again", without the branch,
 * and the branch's real arrival later waited at the join for ever. A loop whose every other way comes
 * back to its choice runs as Camunda does; the others are refused at the join.
 */
describe('a loop inside one branch of a split, before its join', () => {
  const rework = (join: 'parallelGateway' | 'inclusiveGateway', loop: string) =>
    split(
      `<sequenceFlow id="fa" sourceRef="fork" targetRef="ta" /><sequenceFlow id="fb" sourceRef="fork" targetRef="tb" />
       <userTask id="ta" /><userTask id="tb" />${loop}
       <sequenceFlow id="fb2" sourceRef="tb" targetRef="join" /><${join} id="join" />`,
      '<sequenceFlow id="fj" sourceRef="join" targetRef="e" /><endEvent id="e" />',
    );
  const xorLoop = `<sequenceFlow id="fa2" sourceRef="ta" targetRef="xor" />
    <exclusiveGateway id="xor" default="again" /><sequenceFlow id="again" sourceRef="xor" targetRef="ta" />
    <sequenceFlow id="on" sourceRef="xor" targetRef="join"><conditionExpression>\${ok}</conditionExpression></sequenceFlow>`;
  // RuoYi / Flowable style: conditional flows straight out of the task, the rework by the applicant
  const taskLoop = `<sequenceFlow id="again" sourceRef="ta" targetRef="ta2"><conditionExpression>\${!ok}</conditionExpression></sequenceFlow>
    <userTask id="ta2" /><sequenceFlow id="back" sourceRef="ta2" targetRef="ta" />
    <sequenceFlow id="on" sourceRef="ta" targetRef="join"><conditionExpression>\${ok}</conditionExpression></sequenceFlow>`;
  const timerLoop = `<sequenceFlow id="on" sourceRef="ta" targetRef="join" />
    <boundaryEvent id="late" attachedToRef="ta"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="again" sourceRef="late" targetRef="ta" />`;
  // a third way that ends the branch: the token is gone, not round again
  const xorLoopOrStop = `<sequenceFlow id="fa2" sourceRef="ta" targetRef="xor" />
    <exclusiveGateway id="xor" default="again" /><sequenceFlow id="again" sourceRef="xor" targetRef="ta" />
    <sequenceFlow id="stop" sourceRef="xor" targetRef="e2"><conditionExpression>\${stop}</conditionExpression></sequenceFlow><endEvent id="e2" />
    <sequenceFlow id="on" sourceRef="xor" targetRef="join"><conditionExpression>\${ok}</conditionExpression></sequenceFlow>`;
  // a choice on the way back (it may leave the loop there)
  const xorLoopChoosingBack = `<sequenceFlow id="fa2" sourceRef="ta" targetRef="xor" />
    <exclusiveGateway id="xor" default="again" /><sequenceFlow id="again" sourceRef="xor" targetRef="ta2" />
    <userTask id="ta2" /><sequenceFlow id="back" sourceRef="ta2" targetRef="ta"><conditionExpression>\${!quit}</conditionExpression></sequenceFlow>
    <sequenceFlow id="quit" sourceRef="ta2" targetRef="e2"><conditionExpression>\${quit}</conditionExpression></sequenceFlow><endEvent id="e2" />
    <sequenceFlow id="on" sourceRef="xor" targetRef="join"><conditionExpression>\${ok}</conditionExpression></sequenceFlow>`;

  it.each([
    ['an interrupting boundary timer back to its task', 'parallelGateway', timerLoop, 'ta'],
    ['an exclusive gateway that may also end the branch', 'parallelGateway', xorLoopOrStop, 'xor'],
    [
      'an exclusive gateway whose way back may leave the loop',
      'inclusiveGateway',
      xorLoopChoosingBack,
      'xor',
    ],
  ] as const)('%s is refused at the join, naming the loop', async (_, join, loop, choice) => {
    expect(await refusal(rework(join, loop))).toEqual([
      {
        elementId: 'join',
        reason: expect.stringMatching(new RegExp(`a loop through <${choice}> can go round again`)),
      },
    ]);
  });

  it('a branch whose choice ends it instead of looping deploys', async () => {
    const ending = `<sequenceFlow id="fa2" sourceRef="ta" targetRef="xor" />
      <exclusiveGateway id="xor" default="stop" /><sequenceFlow id="stop" sourceRef="xor" targetRef="e2" /><endEvent id="e2" />
      <sequenceFlow id="on" sourceRef="xor" targetRef="join"><conditionExpression>\${ok}</conditionExpression></sequenceFlow>`;
    expect(await refusal(rework('inclusiveGateway', ending))).toEqual([]);
  });

  // Camunda: rework twice, then approve; the other branch done first, between the rounds or last. The
  // join fires once, after both tokens arrived. Driver saves and recovers between every step.
  const loops = [
    ['an exclusive gateway back to the task', xorLoop],
    ['conditional flows out of the task', taskLoop],
  ] as const;
  const joins = ['parallelGateway', 'inclusiveGateway'] as const;
  const cases = loops.flatMap(([name, loop]) =>
    joins.flatMap((join) =>
      (['first', 'between', 'last'] as const).map((other) => [name, join, other, loop] as const),
    ),
  );

  it.each(cases)(
    '%s, %s: deploys and waits for the branch (other branch %s)',
    async (_, join, other, loop) => {
      expect(await refusal(rework(join, loop))).toEqual([]);
      const run = await Driver.start(await compileDefinition(rework(join, loop)));
      const rounds = [false, false, true];
      if (other === 'first') await run.complete('tb');
      for (const [round, ok] of rounds.entries()) {
        if (other === 'between' && round === 1) await run.complete('tb');
        await run.complete('ta', { ok });
        if (!ok && loop === taskLoop) await run.complete('ta2');
        if (ok) break;
        // the branch is still on its way: no join yet, whichever branch is done
        expect(run.entered('join')).toBe(0);
        expect(run.waitNames).toContain('ta');
      }
      if (other === 'last') {
        expect(run.entered('join')).toBe(0);
        expect(run.waitNames).toEqual(['tb']);
        await run.complete('tb');
      }
      expect(run.status).toBe('completed');
      expect(run.entered('ta')).toBe(3);
      expect(run.entered('tb')).toBe(1);
      expect(run.entered('join')).toBe(1);
      expect(run.entered('e')).toBe(1);
    },
  );

  it('a rework loop in each branch, its way out through a further task: the join waits for both', async () => {
    const xml = split(
      `<sequenceFlow id="fa" sourceRef="fork" targetRef="ta" /><sequenceFlow id="fb" sourceRef="fork" targetRef="tb" />
       <userTask id="ta" /><userTask id="tb" />${xorLoop.replace('targetRef="join"', 'targetRef="sign"')}
       <userTask id="sign" /><sequenceFlow id="fs" sourceRef="sign" targetRef="join" />
       <sequenceFlow id="fb2" sourceRef="tb" targetRef="xb" /><exclusiveGateway id="xb" default="againB" />
       <sequenceFlow id="againB" sourceRef="xb" targetRef="tb" />
       <sequenceFlow id="onB" sourceRef="xb" targetRef="join"><conditionExpression>\${okB}</conditionExpression></sequenceFlow>
       <parallelGateway id="join" />`,
      '<sequenceFlow id="fj" sourceRef="join" targetRef="e" /><endEvent id="e" />',
    );
    expect(await refusal(xml)).toEqual([]);
    const run = await Driver.start(await compileDefinition(xml));
    await run.complete('ta', { ok: false });
    await run.complete('tb', { okB: false });
    await run.complete('ta', { ok: true });
    await run.complete('tb', { okB: false });
    expect(run.waitNames).toEqual(['sign', 'tb']);
    await run.complete('sign');
    expect([run.entered('join'), run.waitNames]).toEqual([0, ['tb']]);
    await run.complete('tb', { okB: true });
    expect(run.status).toBe('completed');
    expect([run.entered('ta'), run.entered('tb'), run.entered('join'), run.entered('e')]).toEqual([
      2, 3, 1, 1,
    ]);
  });

  // the discard of the whole branch still reaches the join (bpmn-engine's dead-path rule)
  it.each(joins)('a branch the inclusive split does not take passes its loop to the %s', async (join) => {
    const xml = rework(join, xorLoop)
      .replace('<parallelGateway id="fork" />', '<inclusiveGateway id="fork" />')
      .replace(
        '<sequenceFlow id="fa" sourceRef="fork" targetRef="ta" />',
        '<sequenceFlow id="fa" sourceRef="fork" targetRef="ta"><conditionExpression>${goA}</conditionExpression></sequenceFlow>',
      );
    const run = await Driver.start(await compileDefinition(xml), { variables: { goA: false } });
    expect(run.waitNames).toEqual(['tb']);
    await run.complete('tb');
    expect(run.status).toBe('completed');
    expect([run.entered('ta'), run.entered('join'), run.entered('e')]).toEqual([0, 1, 1]);
  });

  it('a parallel region an exclusive gateway skips passes its loop, and runs when taken', async () => {
    const xml = document(`<startEvent id="s" /><sequenceFlow id="f0" sourceRef="s" targetRef="pick" />
      <exclusiveGateway id="pick" default="skip" />
      <sequenceFlow id="go" sourceRef="pick" targetRef="fork"><conditionExpression>\${both}</conditionExpression></sequenceFlow>
      <sequenceFlow id="skip" sourceRef="pick" targetRef="after" /><parallelGateway id="fork" />
      <sequenceFlow id="fa" sourceRef="fork" targetRef="ta" /><sequenceFlow id="fb" sourceRef="fork" targetRef="tb" />
      <userTask id="ta" /><userTask id="tb" />${xorLoop}
      <sequenceFlow id="fb2" sourceRef="tb" targetRef="join" /><parallelGateway id="join" />
      <sequenceFlow id="fj" sourceRef="join" targetRef="after" /><userTask id="after" />
      <sequenceFlow id="fe" sourceRef="after" targetRef="e" /><endEvent id="e" />`);
    const definition = await compileDefinition(xml);
    const skipped = await Driver.start(definition, { variables: { both: false } });
    expect(skipped.waitNames).toEqual(['after']);
    await skipped.complete('after');
    expect(skipped.status).toBe('completed');
    expect([skipped.entered('ta'), skipped.entered('after'), skipped.entered('e')]).toEqual([0, 1, 1]);

    const taken = await Driver.start(definition, { variables: { both: true } });
    await taken.complete('ta', { ok: false });
    await taken.complete('tb');
    expect(taken.waitNames).toEqual(['ta']);
    await taken.complete('ta', { ok: true });
    expect(taken.waitNames).toEqual(['after']);
    await taken.complete('after');
    expect(taken.status).toBe('completed');
    expect([taken.entered('ta'), taken.entered('join'), taken.entered('after')]).toEqual([2, 1, 1]);
  });
});

describe('tokens of two parallel branches meeting at an element that is not a join', () => {
  it.each([
    ['two user tasks, one after the other', viaTasks('ebg')],
    [
      'an exclusive gateway merging the split',
      `<sequenceFlow id="fa" sourceRef="fork" targetRef="merge" /><sequenceFlow id="fb" sourceRef="fork" targetRef="merge" />
       <exclusiveGateway id="merge" /><sequenceFlow id="fm" sourceRef="merge" targetRef="ebg" />`,
    ],
    [
      'both flows of the split',
      `<sequenceFlow id="fa" sourceRef="fork" targetRef="ebg" /><sequenceFlow id="fb" sourceRef="fork" targetRef="ebg" />`,
    ],
  ])('an event-based gateway reached through %s is refused, naming where they meet', async (_, merge) => {
    const issues = await refusal(split(merge, eventGateway));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.elementId).toMatch(/^(ebg|merge)$/);
    expect(issues[0]!.reason).toMatch(
      /two branches of <fork> can meet here without a parallel or inclusive join/,
    );
  });

  it('a user task reached by both branches is refused', async () => {
    const issues = await refusal(
      split(
        viaTasks('u'),
        '<userTask id="u" /><sequenceFlow id="fu" sourceRef="u" targetRef="e" /><endEvent id="e" />',
      ),
    );
    expect(issues.map((i) => i.elementId)).toEqual(['u']);
  });

  it('an inclusive split and a task with several outgoing flows are splits too', async () => {
    const inclusive =
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="or" /><inclusiveGateway id="or" />
      <sequenceFlow id="fa" sourceRef="or" targetRef="u" /><sequenceFlow id="fb" sourceRef="or" targetRef="x" /><userTask id="x" />
      <sequenceFlow id="fx" sourceRef="x" targetRef="u" /><userTask id="u" />`);
    expect((await refusal(inclusive)).map((i) => i.elementId)).toEqual(['u']);
    const task =
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" /><userTask id="t" />
      <sequenceFlow id="fa" sourceRef="t" targetRef="u" /><sequenceFlow id="fb" sourceRef="t" targetRef="x" /><userTask id="x" />
      <sequenceFlow id="fx" sourceRef="x" targetRef="u" /><userTask id="u" />`);
    expect((await refusal(task)).map((i) => i.elementId)).toEqual(['u']);
  });

  it("a non-interrupting boundary event's path meeting its activity's way on is refused there", async () => {
    const xml = (timer: string, merge: string) =>
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" /><userTask id="t" />
      <boundaryEvent id="b" attachedToRef="t" cancelActivity="false"><timerEventDefinition>${timer}</timerEventDefinition></boundaryEvent>
      <sequenceFlow id="fb" sourceRef="b" targetRef="esc" /><userTask id="esc" /><sequenceFlow id="fe" sourceRef="esc" targetRef="${merge}" />
      <sequenceFlow id="ft" sourceRef="t" targetRef="review" /><userTask id="review" /><sequenceFlow id="fr" sourceRef="review" targetRef="e" /><endEvent id="e" />`);
    // Camunda: an escalation done before <t> is one review task, <t> done makes a second
    const issues = await refusal(xml('<timeDuration>PT1H</timeDuration>', 'review'));
    expect(issues).toEqual([
      { elementId: 'review', reason: expect.stringMatching(/two branches of <t> can meet here/) },
    ]);
    expect(await refusal(xml('<timeDuration>PT1H</timeDuration>', 'e'))).toEqual([]);
  });

  it('conditional flows out of tasks choosing a way (approve on, reject back to the applicant) deploy', async () => {
    const cond = (id: string, from: string, to: string, expression: string) =>
      `<sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><conditionExpression>${expression}</conditionExpression></sequenceFlow>`;
    const rejectLoop = document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="apply" />
      <userTask id="apply" /><sequenceFlow id="f2" sourceRef="apply" targetRef="leader" /><userTask id="leader" />
      ${cond('ok1', 'leader', 'hr', '${pass}')}${cond('no1', 'leader', 'apply', '${!pass}')}<userTask id="hr" />
      ${cond('ok2', 'hr', 'e', '${pass}')}${cond('no2', 'hr', 'apply', '${!pass}')}<endEvent id="e" />`);
    expect(await refusal(rejectLoop)).toEqual([]);
  });

  it.each([
    [
      'branches joined before they merge',
      `${viaTasks('join')}<parallelGateway id="join" /><sequenceFlow id="fj" sourceRef="join" targetRef="merge" />
       <exclusiveGateway id="merge" /><sequenceFlow id="fm" sourceRef="merge" targetRef="ebg" />`,
      eventGateway,
    ],
    [
      'a rework loop around the whole split and join',
      `<sequenceFlow id="fa" sourceRef="fork" targetRef="ta" /><sequenceFlow id="fb" sourceRef="fork" targetRef="tb" />
       <userTask id="ta" /><userTask id="tb" /><sequenceFlow id="fa2" sourceRef="ta" targetRef="join" />
       <sequenceFlow id="fb2" sourceRef="tb" targetRef="join" /><parallelGateway id="join" />`,
      `<sequenceFlow id="fj" sourceRef="join" targetRef="xor" /><exclusiveGateway id="xor" default="again" />
       <sequenceFlow id="again" sourceRef="xor" targetRef="fork" />
       <sequenceFlow id="on" sourceRef="xor" targetRef="e"><conditionExpression>\${ok}</conditionExpression></sequenceFlow><endEvent id="e" />`,
    ],
    [
      'both branches ending at one end event',
      `<sequenceFlow id="fa" sourceRef="fork" targetRef="ta" /><sequenceFlow id="fb" sourceRef="fork" targetRef="tb" />
       <userTask id="ta" /><userTask id="tb" /><sequenceFlow id="fa2" sourceRef="ta" targetRef="e" /><sequenceFlow id="fb2" sourceRef="tb" targetRef="e" />`,
      '<endEvent id="e" />',
    ],
    [
      'an exclusive split merging again',
      `<sequenceFlow id="fa" sourceRef="fork" targetRef="xor" /><exclusiveGateway id="xor" default="x2" />
       <sequenceFlow id="x1" sourceRef="xor" targetRef="u"><conditionExpression>\${ok}</conditionExpression></sequenceFlow>
       <sequenceFlow id="x2" sourceRef="xor" targetRef="v" /><userTask id="v" /><sequenceFlow id="fv" sourceRef="v" targetRef="u" />`,
      '<userTask id="u" />',
    ],
  ])('%s deploys', async (_, merge, after) => {
    expect(await refusal(split(merge, after))).toEqual([]);
  });
});
