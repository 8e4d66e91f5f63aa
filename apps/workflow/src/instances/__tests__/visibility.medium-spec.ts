import {
  type Actor,
  CompleteTaskCommand,
  GetInstanceCommand,
  GetTaskCommand,
  ListInstancesCommand,
  WorkflowPattern,
} from '@app/contracts';
import { makeActor } from '@app/testing';
import { startWorkflowMedium, type WorkflowMedium } from '../../__tests__/workflow-medium';

// Who sees an instance (DESIGN §3): initiator, participants (holder, candidate, past handler),
// copied users, the initiator's departments by data scope, admins. Everyone else: 404 and absent from lists.
describe('instance visibility (medium)', () => {
  let m: WorkflowMedium;
  let instanceId: string;
  let firstTask: string;
  const initiator = makeActor({ id: '10', departmentId: '77' });
  const clerk = makeActor({ id: '11', roles: ['clerk'] });
  const copied = makeActor({ id: '12' });
  const deptViewer = makeActor({ id: '13', dataScope: 'department', departmentIds: ['77'] });
  const otherDept = makeActor({ id: '14', dataScope: 'department', departmentIds: ['78'] });
  const stranger = makeActor({ id: '15' });

  const sees = async (actor: Actor) => {
    const list = await m.call(
      WorkflowPattern.InstanceList,
      ListInstancesCommand.create({ scope: 'all', pageNum: 1, pageSize: 100, actor }),
    );
    const listed = list.rows.some((r) => r.id === instanceId);
    const got = await m
      .call(WorkflowPattern.InstanceGet, GetInstanceCommand.create({ id: instanceId, actor }))
      .then(
        () => true,
        (error: { code?: number }) => (error.code === 404 ? false : Promise.reject(error)),
      );
    expect(listed).toBe(got); // the list and the detail answer from one rule
    return got;
  };

  beforeAll(async () => {
    m = await startWorkflowMedium('visibility');
    const definition = await m.workflow.definition([
      { id: 'first', candidateGroups: 'clerk' },
      { id: 'second', candidateGroups: 'clerk' },
    ]);
    const started = await m.workflow.instance(definition.key, initiator);
    instanceId = started.id;
    firstTask = started.tasks[0]!.id;
  });
  afterAll(() => m?.stop());

  it('the initiator, a candidate, the initiator department by scope and admins see it; others get 404', async () => {
    expect(await sees(initiator)).toBe(true);
    expect(await sees(clerk)).toBe(true);
    expect(await sees(deptViewer)).toBe(true);
    expect(await sees(m.workflow.admin)).toBe(true);
    expect(await sees(makeActor({ id: '16', dataScope: 'all' }))).toBe(true);
    expect(await sees(otherDept)).toBe(false);
    expect(await sees(stranger)).toBe(false);
    expect(await sees(copied)).toBe(false);
    await expect(
      m.call(WorkflowPattern.TaskGet, GetTaskCommand.create({ taskId: firstTask, actor: stranger })),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('copy-to and past handling make it visible: a past handler keeps seeing it after the role is gone', async () => {
    await m.call(
      WorkflowPattern.TaskComplete,
      CompleteTaskCommand.create({ taskId: firstTask, copyTo: [copied.id], actor: clerk }),
    );
    expect(await sees(copied)).toBe(true);
    const formerClerk = makeActor({ id: clerk.id }); // same person, role revoked
    expect(await sees(formerClerk)).toBe(true);
    expect(await sees(stranger)).toBe(false);
  });
});
