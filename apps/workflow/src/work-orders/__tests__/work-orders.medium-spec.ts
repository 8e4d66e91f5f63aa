import {
  CloseWorkOrderCommand,
  CreateWorkOrderCommand,
  EvaluateWorkOrderCommand,
  InterveneWorkOrderCommand,
  ListWorkOrdersCommand,
  WorkflowPattern,
  WorkOrderRefCommand,
} from '@app/contracts';
import { makeActor } from '@app/testing';
import { startWorkflowMedium, type WorkflowMedium } from '../../__tests__/workflow-medium';

// Work-order rules (seed 004): a work order starts its process in the same transaction, reads the
// run's status, and is visible to its creator, the run's participants and admins only.
describe('work orders (medium)', () => {
  let m: WorkflowMedium;
  let key: string;
  const creator = makeActor({ id: '20', departmentId: '90' });
  const handler = makeActor({ id: '21', roles: ['handler'] });
  const stranger = makeActor({ id: '22' });

  beforeAll(async () => {
    m = await startWorkflowMedium('work_orders');
    key = (await m.workflow.definition([{ id: 'handle', candidateGroups: 'handler' }])).key;
  });
  afterAll(() => m?.stop());

  const listed = async (actor = creator) =>
    (
      await m.call(
        WorkflowPattern.WorkOrderList,
        ListWorkOrdersCommand.create({ scope: 'all', pageNum: 1, pageSize: 100, actor }),
      )
    ).rows.map((r) => r.id);

  it('creation starts the bound process; the order reads the run status', async () => {
    const order = await m.workflow.workOrder(key, creator, { title: 'printer broken' });
    expect(order).toMatchObject({ title: 'printer broken', status: 'running' });
    expect(order.instanceId).toMatch(/^\d+$/);
  });

  it('creator, participants and admins see an order; a stranger gets 404 and does not find it in lists', async () => {
    const order = await m.workflow.workOrder(key, creator);
    const get = (actor = creator) =>
      m.call(WorkflowPattern.WorkOrderGet, WorkOrderRefCommand.create({ id: order.id, actor }));
    await expect(get(creator)).resolves.toMatchObject({ id: order.id });
    await expect(get(handler)).resolves.toMatchObject({ id: order.id });
    await expect(get(m.workflow.admin)).resolves.toMatchObject({ id: order.id });
    await expect(get(stranger)).rejects.toMatchObject({ code: 404 });
    expect(await listed(creator)).toContain(order.id);
    expect(await listed(handler)).toContain(order.id);
    expect(await listed(stranger)).not.toContain(order.id);
  });

  it('refuses an order without a process to bind (4101 naming definitionKey) and an unknown type (4101 typeId)', async () => {
    await expect(
      m.call(
        WorkflowPattern.WorkOrderCreate,
        CreateWorkOrderCommand.create({ title: 'x', systemId: 's', actor: creator }),
      ),
    ).rejects.toMatchObject({ code: 4101, errors: [{ field: 'definitionKey' }] });
    await expect(
      m.call(
        WorkflowPattern.WorkOrderCreate,
        CreateWorkOrderCommand.create({ title: 'x', systemId: 's', typeId: '987654', actor: creator }),
      ),
    ).rejects.toMatchObject({ code: 4101, errors: [{ field: 'typeId' }] });
  });

  it('close: the creator stops the run (a handler may not: 4001); a second close is 4090', async () => {
    const order = await m.workflow.workOrder(key, creator);
    const close = (actor = creator) =>
      m.call(
        WorkflowPattern.WorkOrderClose,
        CloseWorkOrderCommand.create({ id: order.id, reason: 'dup', actor }),
      );
    await expect(close(handler)).rejects.toMatchObject({ code: 4001 });
    await expect(close(stranger)).rejects.toMatchObject({ code: 404 });
    const closed = await close();
    expect(closed.closedAt).toEqual(expect.any(String));
    expect(closed.status).toBe('discarded'); // seed 004 has no "stopped": a stopped run reads discarded
    await expect(close()).rejects.toMatchObject({ code: 4090, reason: 'ALREADY_CLOSED' });
  });

  it('evaluate: by the creator, once, after the run ended (4090 before and after; 4001 for others)', async () => {
    const order = await m.workflow.workOrder(key, creator);
    const evaluate = (actor = creator) =>
      m.call(
        WorkflowPattern.WorkOrderEvaluate,
        EvaluateWorkOrderCommand.create({ id: order.id, score: 4, comment: 'fine', actor }),
      );
    await expect(evaluate()).rejects.toMatchObject({ code: 4090, reason: 'NOT_FINISHED' });
    await m.call(
      WorkflowPattern.WorkOrderClose,
      CloseWorkOrderCommand.create({ id: order.id, reason: 'done elsewhere', actor: creator }),
    );
    await expect(evaluate(handler)).rejects.toMatchObject({ code: 4001 });
    await expect(evaluate()).resolves.toMatchObject({ evaluationScore: 4 });
    await expect(evaluate()).rejects.toMatchObject({ code: 4090, reason: 'ALREADY_EVALUATED' });
  });

  it('intervene: work-order admins only (4001 for the creator, 404 for a stranger); terminate discards the run', async () => {
    const order = await m.workflow.workOrder(key, creator);
    const intervene = (actor: typeof creator) =>
      m.call(
        WorkflowPattern.WorkOrderIntervene,
        InterveneWorkOrderCommand.create({ id: order.id, action: 'terminate', actor }),
      );
    await expect(intervene(stranger)).rejects.toMatchObject({ code: 404 });
    await expect(intervene(creator)).rejects.toMatchObject({ code: 4001 });
    const orderAdmin = makeActor({ id: '23', permissions: ['workorder:admin'] });
    await expect(intervene(orderAdmin)).resolves.toMatchObject({ status: 'discarded' });
  });

  it('binding a running instance: only its initiator, and only once (4090 INSTANCE_BOUND)', async () => {
    const started = await m.workflow.instance(key, creator);
    const bind = (actor = creator) =>
      m.call(
        WorkflowPattern.WorkOrderCreate,
        CreateWorkOrderCommand.create({ title: 'bound', systemId: 's', instanceId: started.id, actor }),
      );
    await expect(bind(handler)).rejects.toMatchObject({ code: 404 });
    await expect(bind()).resolves.toMatchObject({ instanceId: started.id, number: started.serialNo });
    await expect(bind()).rejects.toMatchObject({ code: 4090, reason: 'INSTANCE_BOUND' });
  });
});
