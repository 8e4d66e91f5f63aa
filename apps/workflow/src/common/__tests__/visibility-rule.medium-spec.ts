import {
  type Actor,
  CompleteTaskCommand,
  GetInstanceCommand,
  GetTaskCommand,
  InstanceReportCommand,
  ListInstancesCommand,
  ListWorkOrdersCommand,
  ReportRangeCommand,
  TaskRefCommand,
  WorkflowPattern,
  WorkOrderRefCommand,
} from '@app/contracts';
import { makeActor } from '@app/testing';
import { startWorkflowMedium, type WorkflowMedium } from '../../__tests__/workflow-medium';

// One visibility rule (docs/workflow.md "Who may do what", docs/monitoring-and-reports.md) asked
// through every surface that reads instances: list, detail, task detail, task command, work-order
// list and detail, and the statistics (which count by scope only: owner and departments).
describe('the visibility rule on every surface (medium)', () => {
  let m: WorkflowMedium;
  let key: string;
  let instanceId: string;
  let taskId: string;
  let orderId: string;
  let draftId: string;
  const initiator = makeActor({ id: '30', departmentId: '501' });
  const clerk = makeActor({ id: '31', roles: ['clerk30'] });
  const copied = makeActor({ id: '32' });
  const deptViewer = makeActor({ id: '33', dataScope: 'department', departmentIds: ['501'] });
  const otherDept = makeActor({ id: '34', dataScope: 'department', departmentIds: ['502'] });
  const stranger = makeActor({ id: '35' });
  const scopeAll = makeActor({ id: '36', dataScope: 'all' });
  const orderAdmin = makeActor({ id: '37', permissions: ['workorder:admin'] });

  const found = (p: Promise<unknown>) =>
    p.then(
      () => true,
      (error: { code?: number }) => (error.code === 404 ? false : Promise.reject(error)),
    );

  /** Every read surface for one viewer: they must agree with each other. */
  async function surfaces(actor: Actor) {
    const instanceListed = (
      await m.call(
        WorkflowPattern.InstanceList,
        ListInstancesCommand.create({ scope: 'all', definitionKey: key, pageNum: 1, pageSize: 100, actor }),
      )
    ).rows.some((r) => r.id === instanceId);
    const instanceGot = await found(
      m.call(WorkflowPattern.InstanceGet, GetInstanceCommand.create({ id: instanceId, actor })),
    );
    const taskGot = await found(m.call(WorkflowPattern.TaskGet, GetTaskCommand.create({ taskId, actor })));
    const orderListed = (
      await m.call(
        WorkflowPattern.WorkOrderList,
        ListWorkOrdersCommand.create({ scope: 'all', definitionKey: key, pageNum: 1, pageSize: 100, actor }),
      )
    ).rows.some((r) => r.id === orderId);
    const orderGot = await found(
      m.call(WorkflowPattern.WorkOrderGet, WorkOrderRefCommand.create({ id: orderId, actor })),
    );
    return { instanceListed, instanceGot, taskGot, orderListed, orderGot };
  }

  const everywhere = (seen: boolean) => ({
    instanceListed: seen,
    instanceGot: seen,
    taskGot: seen,
    orderListed: seen,
    orderGot: seen,
  });

  beforeAll(async () => {
    m = await startWorkflowMedium('visibility_rule');
    key = (
      await m.workflow.definition([
        { id: 'first', candidateGroups: 'role:clerk30' },
        { id: 'second', candidateGroups: 'role:clerk30' },
      ])
    ).key;
    const order = await m.workflow.workOrder(key, initiator);
    orderId = order.id;
    instanceId = order.instanceId!;
    taskId = order.openTasks[0]!.id;
    draftId = (await m.workflow.workOrder(key, initiator, { draft: true })).id;
  });
  afterAll(() => m?.stop());

  it('the initiator, a candidate, the initiator department by scope and admins see it everywhere', async () => {
    for (const viewer of [initiator, clerk, deptViewer, scopeAll, m.workflow.admin])
      expect(await surfaces(viewer)).toEqual(everywhere(true));
  });

  it('another department and a stranger see it nowhere, and a command tells them nothing (404)', async () => {
    for (const viewer of [otherDept, stranger]) {
      expect(await surfaces(viewer)).toEqual(everywhere(false));
      await expect(
        m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId, actor: viewer })),
      ).rejects.toMatchObject({ code: 404 });
    }
  });

  it('a work-order admin sees every work order, not every instance', async () => {
    expect(await surfaces(orderAdmin)).toEqual({
      instanceListed: false,
      instanceGot: false,
      taskGot: false,
      orderListed: true,
      orderGot: true,
    });
  });

  it('someone who may see the task but not act on it gets 4001, not 404', async () => {
    await expect(
      m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId, actor: deptViewer })),
    ).rejects.toMatchObject({ code: 4001 });
  });

  it('a draft work order (no process yet) is seen by its creator and the creator department only', async () => {
    const get = (actor: Actor) =>
      found(m.call(WorkflowPattern.WorkOrderGet, WorkOrderRefCommand.create({ id: draftId, actor })));
    expect(await get(initiator)).toBe(true);
    expect(await get(deptViewer)).toBe(true);
    expect(await get(orderAdmin)).toBe(true);
    expect(await get(clerk)).toBe(false);
    expect(await get(otherDept)).toBe(false);
  });

  it('copy-to and past handling make it visible; a past handler keeps it after the role is gone', async () => {
    expect(await surfaces(copied)).toEqual(everywhere(false));
    await m.call(
      WorkflowPattern.TaskComplete,
      CompleteTaskCommand.create({ taskId, copyTo: [copied.id], actor: clerk }),
    );
    // the completed task stays readable to the copied user through its instance
    expect(await surfaces(copied)).toEqual(everywhere(true));
    expect(await surfaces(makeActor({ id: clerk.id }))).toEqual(everywhere(true));
  });

  it('statistics count by scope: the initiator and the department count the run, a handler does not', async () => {
    const instancesCounted = async (actor: Actor) =>
      (
        await m.call(
          WorkflowPattern.ReportInstances,
          InstanceReportCommand.create({ processKey: key, period: 'month', actor }),
        )
      ).reduce((sum, row) => sum + row.count, 0);
    const ordersCounted = async (actor: Actor) =>
      (
        await m.call(WorkflowPattern.ReportWorkOrders, ReportRangeCommand.create({ processKey: key, actor }))
      ).reduce((sum, row) => sum + row.count, 0);
    // one run (the draft has none) and two work orders, the draft among them
    expect(await instancesCounted(initiator)).toBe(1);
    expect(await instancesCounted(deptViewer)).toBe(1);
    expect(await instancesCounted(m.workflow.admin)).toBe(1);
    expect(await instancesCounted(clerk)).toBe(0);
    expect(await instancesCounted(otherDept)).toBe(0);
    expect(await ordersCounted(initiator)).toBe(2);
    expect(await ordersCounted(deptViewer)).toBe(2);
    expect(await ordersCounted(clerk)).toBe(0);
    expect(await ordersCounted(stranger)).toBe(0);
  });
});
