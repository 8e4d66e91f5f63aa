import { compileDefinition } from '../definition/compile';
import { explainReturn, planMove, returnTargets, type MoveFacts } from '../planner/move-planner';
import type { Snapshot } from '../runtime/types';
import { document } from './bpmn';
import { deploy, Driver } from './helpers';

const LINEAR = document(`    <startEvent id="s" />
    <sequenceFlow id="f1" sourceRef="s" targetRef="a" />
    <userTask id="a" />
    <sequenceFlow id="f2" sourceRef="a" targetRef="b" />
    <userTask id="b" />
    <boundaryEvent id="bTimer" attachedToRef="b" cancelActivity="false">
      <timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="f3" sourceRef="b" targetRef="c" />
    <userTask id="c" camunda:assignee="\${signer}">
      <multiInstanceLoopCharacteristics isSequential="false" camunda:collection="signers" camunda:elementVariable="signer" />
    </userTask>
    <sequenceFlow id="f4" sourceRef="c" targetRef="e" />
    <endEvent id="e" />`);

const PARALLEL = 'corpus/rvp-leave3-parallel.bpmn';
// 申请人 → fork → (科研部门 | 综合部门) → join → 总经理 → end
const APPLICANT = 'Activity_0uscrk3';
const RESEARCH = 'Activity_0ped7fd';
const GENERAL = 'Activity_0xun74h';
const CEO = 'Activity_1e8dxc6';

function facts(d: Driver): MoveFacts {
  const s: Snapshot = d.snapshot;
  return {
    definition: d.definition,
    activeElements: s.activeElements,
    completedElements: s.completedElements,
    joinArrivals: s.joinArrivals,
  };
}

async function move(d: Driver, targetId: string, leaveAll = false): Promise<Snapshot> {
  const result = planMove(facts(d), targetId, { leaveAllTokens: leaveAll });
  if (!result.ok) throw new Error(result.reason);
  return d.apply({
    type: 'move',
    fromElementIds: result.plan.leaveElementIds,
    toElementId: targetId,
    resetJoins: result.plan.resetJoins,
  });
}

describe('move (return / jump) in the engine', () => {
  it('returns from a linear node to an earlier one; the timer of the node left is re-armed on re-entry', async () => {
    const d = await Driver.start(await compileDefinition(LINEAR), { variables: { signers: ['x', 'y'] } });
    await d.complete('a');
    expect(d.snapshot.timers.map((t) => t.elementId)).toEqual(['bTimer']);
    const firstTimer = d.snapshot.timers[0]!.timerId;
    expect(returnTargets(facts(d), 'b').map((t) => t.elementId)).toEqual(['a']);
    const snapshot = await move(d, 'a');
    expect(snapshot.waits.map((w) => w.elementId)).toEqual(['a']);
    expect(snapshot.timers).toEqual([]);
    const left = snapshot.history.filter((h) => h.event === 'leave' && h.elementId === 'b');
    expect(left.map((h) => h.outcome)).toEqual(['cancelled']);
    await d.complete('a');
    expect(d.snapshot.timers.map((t) => t.elementId)).toEqual(['bTimer']);
    expect(d.snapshot.timers[0]!.timerId).not.toBe(firstTimer);
    await d.complete('b');
    expect(d.waits.map((w) => w.elementId)).toEqual(['c', 'c']);
    await d.complete('c', undefined, (w) => w.multiInstance?.index === 0);
    // a multi-instance node returns as a whole and restarts with every signer
    expect(
      returnTargets(facts(d), 'c')
        .map((t) => t.elementId)
        .sort(),
    ).toEqual(['a', 'b']);
    await move(d, 'b');
    expect(d.waits.map((w) => w.elementId)).toEqual(['b']);
    await d.complete('b');
    expect(d.waits.map((w) => w.elementId)).toEqual(['c', 'c']);
    await d.complete('c', undefined, (w) => w.multiInstance?.index === 0);
    await d.complete('c');
    expect(d.status).toBe('completed');
  });

  it('returns inside one parallel branch without touching the other', async () => {
    const d = await Driver.start(await deploy(PARALLEL));
    await d.complete('申请人');
    // nothing completed in either branch yet: only 申请人 is a target, and it takes both branches
    expect(returnTargets(facts(d), RESEARCH).map((t) => t.elementId)).toEqual([APPLICANT]);
    const plan = planMove(facts(d), APPLICANT);
    expect(plan.ok && [...plan.plan.leaveElementIds].sort()).toEqual([RESEARCH, GENERAL].sort());
    await move(d, APPLICANT);
    expect(d.waitNames).toEqual(['申请人']);
    await d.complete('申请人');
    expect(d.waitNames).toEqual(['科研部门', '综合部门']);
    await d.complete('科研部门');
    await d.complete('综合部门');
    await d.complete('总经理');
    expect(d.status).toBe('completed');
  });

  it('a return before the fork takes the branch already waiting at the join back with it', async () => {
    const d = await Driver.start(await deploy(PARALLEL));
    await d.complete('申请人');
    await d.complete('综合部门'); // arrived at the join
    expect(d.snapshot.joinArrivals).toEqual([{ elementId: 'Gateway_05y03rn', flowIds: ['Flow_1j0t4se'] }]);
    expect(returnTargets(facts(d), RESEARCH).map((t) => t.elementId)).toEqual([APPLICANT]);
    const plan = planMove(facts(d), APPLICANT);
    expect(plan.ok && plan.plan.resetJoins).toEqual([
      { elementId: 'Gateway_05y03rn', flowIds: ['Flow_1j0t4se'] },
    ]);
    await move(d, APPLICANT);
    expect(d.snapshot.joinArrivals).toEqual([]);
    await d.complete('申请人');
    await d.complete('科研部门');
    expect(d.waitNames).toEqual(['综合部门']); // the join waits for the branch that runs again
    await d.complete('综合部门');
    expect(d.waitNames).toEqual(['总经理']);
    await d.complete('总经理');
    expect(d.status).toBe('completed');
  });

  it('refuses a return into one branch after the join fired (the other branch is gone), and the instance still ends', async () => {
    const d = await Driver.start(await deploy(PARALLEL));
    await d.complete('申请人');
    await d.complete('综合部门');
    await d.complete('科研部门');
    const refused = explainReturn(facts(d), CEO, GENERAL);
    expect(refused).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/join <Gateway_05y03rn> would wait/),
    });
    expect(returnTargets(facts(d), CEO).map((t) => t.elementId)).toEqual([APPLICANT]);
    await move(d, APPLICANT);
    expect(d.waitNames).toEqual(['申请人']);
    await d.complete('申请人');
    await d.complete('综合部门');
    await d.complete('科研部门');
    expect(d.waitNames).toEqual(['总经理']);
    await d.complete('总经理');
    expect(d.status).toBe('completed');
  });

  it('an inclusive split with one branch taken: the discarded branch re-arrives after a return', async () => {
    const d = await Driver.start(await deploy('corpus/rvp-leave4-inclusive.bpmn'), {
      variables: { entity: { leaveDays: 1 } },
    });
    await d.complete('申请人');
    expect(d.waitNames).toEqual(['科研部门']);
    expect(returnTargets(facts(d), RESEARCH).map((t) => t.elementId)).toEqual([APPLICANT]);
    await move(d, APPLICANT);
    await d.complete('申请人', { entity: { leaveDays: 5 } });
    expect(d.waitNames).toEqual(['科研部门', '综合部门']);
    await d.complete('科研部门');
    expect(d.waitNames).toEqual(['综合部门']);
    await d.complete('综合部门');
    await d.complete('总经理');
    expect(d.status).toBe('completed');
  });

  it('jumps (admin) to any user task when every token moves', async () => {
    const d = await Driver.start(await deploy(PARALLEL));
    await d.complete('申请人');
    await move(d, CEO, true);
    expect(d.waitNames).toEqual(['总经理']);
    await d.complete('总经理');
    expect(d.status).toBe('completed');
  });

  describe('countersign', () => {
    const ALL_SIGN = document(`    <startEvent id="s" />
    <sequenceFlow id="f1" sourceRef="s" targetRef="sign" />
    <userTask id="sign" camunda:assignee="\${signer}">
      <multiInstanceLoopCharacteristics isSequential="false" camunda:collection="signers" camunda:elementVariable="signer">
        <completionCondition>\${nrOfCompletedInstances / nrOfInstances &gt;= 1}</completionCondition>
      </multiInstanceLoopCharacteristics>
    </userTask>
    <sequenceFlow id="f2" sourceRef="sign" targetRef="after" />
    <userTask id="after" />
    <sequenceFlow id="f3" sourceRef="after" targetRef="e" />
    <endEvent id="e" />`);
    const assignees = (d: Driver) =>
      d.waits
        .filter((w) => w.elementId === 'sign')
        .map((w) => w.assignee)
        .sort();

    it('an added signer must sign too; nrOfInstances follows', async () => {
      const d = await Driver.start(await compileDefinition(ALL_SIGN), { variables: { signers: ['a', 'b'] } });
      await d.apply({ type: 'add-signer', elementId: 'sign', signer: 'c' });
      expect(d.snapshot.variables['signers']).toEqual(['a', 'b', 'c']);
      await d.complete('sign', undefined, (w) => w.assignee === 'a');
      await d.complete('sign', undefined, (w) => w.assignee === 'b');
      expect(assignees(d)).toEqual(['c']);
      await d.complete('sign');
      expect(d.waits.map((w) => w.elementId)).toEqual(['after']);
    });

    it('a removed signer is no longer needed', async () => {
      const d = await Driver.start(await compileDefinition(ALL_SIGN), {
        variables: { signers: ['a', 'b', 'c'] },
      });
      await d.complete('sign', undefined, (w) => w.assignee === 'a');
      await d.apply({ type: 'remove-signer', elementId: 'sign', signer: 'b' });
      expect(assignees(d)).toEqual(['c']);
      await d.complete('sign');
      expect(d.waits.map((w) => w.elementId)).toEqual(['after']);
      await d.complete('after');
      expect(d.status).toBe('completed');
    });

    it('removing the last open signer completes the node', async () => {
      const d = await Driver.start(await compileDefinition(ALL_SIGN), { variables: { signers: ['a', 'b'] } });
      await d.complete('sign', undefined, (w) => w.assignee === 'a');
      await d.apply({ type: 'remove-signer', elementId: 'sign', signer: 'b' });
      expect(d.waits.map((w) => w.elementId)).toEqual(['after']);
    });

    it('refuses unknown signers, duplicates and nodes that do not run', async () => {
      const d = await Driver.start(await compileDefinition(ALL_SIGN), { variables: { signers: ['a', 'b'] } });
      await expect(d.apply({ type: 'add-signer', elementId: 'sign', signer: 'a' })).rejects.toThrow(
        /already/,
      );
      await expect(d.apply({ type: 'remove-signer', elementId: 'sign', signer: 'z' })).rejects.toThrow(
        /does not sign/,
      );
      await expect(d.apply({ type: 'add-signer', elementId: 'after', signer: 'z' })).rejects.toThrow(
        /not a multi-instance/,
      );
    });
  });

  describe('planner shapes', () => {
    const NESTED = document(`    <startEvent id="s" />
    <sequenceFlow id="f1" sourceRef="s" targetRef="apply" />
    <userTask id="apply" />
    <sequenceFlow id="f2" sourceRef="apply" targetRef="sub" />
    <subProcess id="sub">
      <startEvent id="subStart" />
      <sequenceFlow id="g1" sourceRef="subStart" targetRef="s1" />
      <userTask id="s1" />
      <sequenceFlow id="g2" sourceRef="s1" targetRef="s2" />
      <userTask id="s2" />
      <sequenceFlow id="g3" sourceRef="s2" targetRef="subEnd" />
      <endEvent id="subEnd" />
    </subProcess>
    <sequenceFlow id="f3" sourceRef="sub" targetRef="done" />
    <userTask id="done" />
    <sequenceFlow id="f4" sourceRef="done" targetRef="e" />
    <endEvent id="e" />`);

    it('returns inside an embedded sub-process, and from after it back before it', async () => {
      const d = await Driver.start(await compileDefinition(NESTED));
      await d.complete('apply');
      await d.complete('s1');
      // only targets of the same scope are offered
      expect(returnTargets(facts(d), 's2').map((t) => t.elementId)).toEqual(['s1']);
      expect(explainReturn(facts(d), 's2', 'apply')).toMatchObject({ ok: false });
      await move(d, 's1');
      expect(d.waitNames).toEqual(['s1']);
      await d.complete('s1');
      await d.complete('s2');
      expect(d.waitNames).toEqual(['done']);
      // from after the sub-process: the sub-process's inner nodes are not targets, apply is
      expect(returnTargets(facts(d), 'done').map((t) => t.elementId)).toEqual(['apply']);
      await move(d, 'apply');
      expect(d.waitNames).toEqual(['apply']);
      await d.complete('apply');
      await d.complete('s1');
      await d.complete('s2');
      await d.complete('done');
      expect(d.status).toBe('completed');
    });

    it('moves a token out of a running sub-process as a whole', async () => {
      const d = await Driver.start(await compileDefinition(NESTED));
      await d.complete('apply');
      const plan = planMove(facts(d), 'apply');
      expect(plan).toEqual({
        ok: true,
        plan: { targetElementId: 'apply', leaveElementIds: ['sub'], resetJoins: [] },
      });
      await move(d, 'apply');
      expect(d.waitNames).toEqual(['apply']);
      await d.complete('apply');
      expect(d.waitNames).toEqual(['s1']);
    });

    it('refuses non-user-task targets, unknown nodes and the node that is active', async () => {
      const d = await Driver.start(await compileDefinition(NESTED));
      expect(planMove(facts(d), 'nowhere')).toMatchObject({ ok: false });
      expect(planMove(facts(d), 'e')).toMatchObject({ ok: false });
      expect(planMove(facts(d), 'apply')).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/active/),
      });
    });
  });
});
