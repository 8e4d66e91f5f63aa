import {
  ListWorkOrdersCommand,
  WorkflowPattern,
  WorkOrderRefCommand,
  CreateWorkOrderCommand,
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
});
