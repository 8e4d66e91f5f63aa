/**
 * Flowdesk's own leave-approval process (fixtures/flowdesk), drawn twice: once with camunda:
 * attributes and a `bpmn:` prefix, once with flowable: attributes in the default namespace and
 * bare-name collections. Both must behave the same.
 */
import { deploy, Driver } from './helpers';

const t0 = new Date('2024-05-06T01:00:00.000Z');
const variables = {
  day: 5,
  manager: 'bob',
  deputyManagers: ['mgr-a', 'mgr-b'],
  extraGroup: 'hr-lead',
  teamLead: 'tina',
  approvers: ['a1', 'a2', 'a3'],
  deputies: ['d1', 'd2'],
  vetoed: false,
};

describe.each(['camunda', 'flowable'])('leave approval (%s namespace)', (dialect) => {
  const definition = () => deploy(`flowdesk/leave-approval.${dialect}.bpmn`);

  it('reads assignment, form and initiator attributes into the model', async () => {
    const def = await definition();
    expect(def.model.vendors).toEqual([dialect]);
    const submit = def.elementsById.get('submit')!;
    expect(submit.userTask).toMatchObject({
      assignee: '${applicant}',
      formKey: 'form:leave-apply',
      dueDate: 'P1D',
    });
    expect(def.elementsById.get('start')).toMatchObject({
      initiator: 'applicant',
      formKey: 'form:leave-apply',
    });
    expect(def.elementsById.get('allSign')!.multiInstance).toMatchObject({
      isSequential: false,
      elementVariable: 'approver',
      collection: '${approvers}',
    });
    expect(def.elementsById.get('anySign')!.multiInstance).toMatchObject({
      elementVariable: 'deputy',
      collection: '${deputies}',
    });
  });

  it('long leave: ${day > 3} → parallel approval → 会签 (all) → 或签 (any) → end', async () => {
    const d = await Driver.start(await definition(), { initiator: 'alice', variables }, () => t0);
    const submit = d.wait('submit');
    expect(submit).toMatchObject({
      name: 'Submit leave (5 days)',
      assignee: 'alice',
      formKey: 'form:leave-apply',
      createdAt: t0.toISOString(),
    });
    expect(submit.dueDate).toBe('2024-05-07T01:00:00.000Z');

    await d.complete('submit');
    expect(d.waitNames).toEqual(['HR approval', 'Manager approval']);
    expect(d.wait('hrApproval').candidateGroups).toEqual(['hr', 'hr-lead']);
    expect(d.wait('managerApproval')).toMatchObject({ assignee: 'bob', candidateUsers: ['mgr-a', 'mgr-b'] });
    expect(d.entered('teamLead')).toBe(0);

    await d.complete('managerApproval');
    expect(d.waitNames).toEqual(['HR approval']);
    await d.complete('hrApproval');

    // 会签: one task per approver, all must sign (completion condition uses nrOfActiveInstances)
    expect(d.waits.map((w) => [w.name, w.assignee, w.multiInstance?.index])).toEqual([
      ['会签 a1', 'a1', 0],
      ['会签 a2', 'a2', 1],
      ['会签 a3', 'a3', 2],
    ]);
    await d.complete('allSign', {}, (w) => w.assignee === 'a2');
    await d.complete('allSign', {}, (w) => w.assignee === 'a3');
    expect(d.waits.map((w) => w.assignee)).toEqual(['a1']);
    await d.complete('allSign');

    // 或签: the first deputy to sign completes the node; the other task is cancelled
    expect(d.waits.map((w) => [w.elementId, w.assignee])).toEqual([
      ['anySign', 'd1'],
      ['anySign', 'd2'],
    ]);
    await d.complete('anySign', {}, (w) => w.assignee === 'd2');
    expect(d.status).toBe('completed');
    expect(d.waits).toEqual([]);
    expect(d.entered('end')).toBe(1);
    expect(d.snapshot.takenFlows).toEqual(
      expect.arrayContaining(['toFork', 'toAllSign', 'toAnySign', 'toEnd']),
    );
    expect(d.snapshot.takenFlows).not.toContain('toTeamLead');
  });

  it('a veto ends the 会签 early through its completion condition', async () => {
    const d = await Driver.start(await definition(), { initiator: 'alice', variables });
    await d.complete('submit');
    await d.complete('managerApproval');
    await d.complete('hrApproval');
    expect(d.waits).toHaveLength(3);
    await d.complete('allSign', { vetoed: true }, (w) => w.assignee === 'a1');
    expect(d.waits.map((w) => w.elementId)).toEqual(['anySign', 'anySign']);
  });

  it('short leave takes the default flow; the boundary timer escalates to the director', async () => {
    const d = await Driver.start(await definition(), {
      initiator: 'alice',
      variables: { ...variables, day: 2 },
    });
    await d.complete('submit');
    expect(d.waitNames).toEqual(['Team lead approval']);
    expect(d.wait('teamLead').assignee).toBe('tina');
    expect(d.snapshot.timers).toMatchObject([
      { elementId: 'teamLeadTimeout', attachedTo: 'teamLead', interrupting: true, value: 'PT24H' },
    ]);
    const due = Date.parse(d.snapshot.timers[0]!.dueAt) - Date.now();
    expect(due).toBeGreaterThan(23 * 3600_000);

    await d.fire('teamLeadTimeout');
    expect(d.waitNames).toEqual(['Director approval (escalated)']);
    expect(d.wait('escalate').candidateGroups).toEqual(['director']);
    await d.complete('escalate');
    expect(d.status).toBe('completed');
    expect(d.entered('shortEnd')).toBe(1);
    expect(d.entered('hrApproval')).toBe(0);
  });

  it('short leave approved in time: the timer is cancelled', async () => {
    const d = await Driver.start(await definition(), {
      initiator: 'alice',
      variables: { ...variables, day: 3 },
    });
    await d.complete('submit');
    await d.complete('teamLead');
    expect(d.status).toBe('completed');
    expect(d.snapshot.timers).toEqual([]);
    expect(d.entered('escalate')).toBe(0);
  });
});
