import { Client } from 'pg';
import {
  createDepartment,
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, fixtureXml, instance, ok } from '../workflow/workflow-helpers';

interface WorkOrder {
  id: string;
  status: string;
  instanceId: string | null;
  formData: Record<string, unknown>;
  closedAt?: string | null;
  openTasks: { id: string; elementId: string }[];
}

/**
 * One transaction per work-order command (issue 19): the workflow step and the work order's own write
 * commit together. A trigger in the test database fails the second half (the work-order row) on
 * purpose; afterwards nothing of the first half (task completion, engine step, process stop) is left.
 */
describe('work-order commands are one transaction each', () => {
  let stack: Stack;
  let ann: TestSession;
  let db: Client;
  let deptA: string;

  beforeAll(async () => {
    stack = await startStack({ label: 'wo_tx' });
    const admin = await loginAsAdmin(stack.http);
    deptA = await createDepartment(admin.http, 'TX19');
    const a = await createStaff(admin.http, {
      account: 'ann19tx',
      departmentId: deptA,
      roleIds: [await roleId(admin.http, 'staff')],
    });
    ann = await loginAs(stack.http, a.account, a.password);
    await deploy(admin.http, fixtureXml('single-task.bpmn'));
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    // The fault: any write of the work-order row that carries the marker fails (after the task step ran).
    await db.query(`CREATE FUNCTION workflow.injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected fault in the second half'; END $$`);
    await db.query(`CREATE TRIGGER injected_form_fault BEFORE UPDATE ON workflow.work_order FOR EACH ROW
      WHEN (NEW.form_data ? 'injectFault') EXECUTE FUNCTION workflow.injected_fault()`);
    await db.query(`CREATE TRIGGER injected_close_fault BEFORE UPDATE ON workflow.work_order FOR EACH ROW
      WHEN (NEW.close_reason = 'inject-fault') EXECUTE FUNCTION workflow.injected_fault()`);
  });
  afterAll(async () => {
    await db?.end();
    if (process.env.SHOW_LOGS) console.log(stack?.workflow.logs().slice(-6000));
    await stack?.stop();
  });

  const create = async () =>
    ok<WorkOrder>(
      await ann.http.post('/api/v1/work-orders', {
        title: 'tx',
        systemId: 's',
        definitionKey: 'singleTask',
        formData: { pool: `dept:${deptA}` },
      }),
      'create',
    );
  const get = async (id: string) => ok<WorkOrder>(await ann.http.get(`/api/v1/work-orders/${id}`), 'get');
  /** What the database holds about the order's process: task rows, history rows, instance version. */
  const footprint = async (order: WorkOrder) => {
    // one client: its queries one after the other
    const tasks = await db.query(`SELECT id, status FROM workflow.task WHERE instance_id = $1 ORDER BY id`, [
      order.instanceId,
    ]);
    const history = await db.query(
      `SELECT count(*)::int AS n FROM workflow.activity_history WHERE instance_id = $1`,
      [order.instanceId],
    );
    const inst = await db.query(`SELECT status, version FROM workflow.process_instance WHERE id = $1`, [
      order.instanceId,
    ]);
    const comments = await db.query(
      `SELECT count(*)::int AS n FROM workflow.comment WHERE instance_id = $1`,
      [order.instanceId],
    );
    return {
      tasks: tasks.rows,
      history: history.rows[0].n,
      instance: inst.rows[0],
      comments: comments.rows[0].n,
    };
  };
  const failsInSecondHalf = (res: { status: number; body: EnvelopeBody<unknown> }) => {
    // the workflow app answers a failed database statement as 5003 (503)
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.body.code).toBeGreaterThanOrEqual(500);
  };

  it('handle: a failure writing the form data leaves the task open and the engine where it was', async () => {
    const order = await create();
    const before = await footprint(order);
    const res = await ann.http.post<EnvelopeBody<unknown>>(`/api/v1/work-orders/${order.id}/handle`, {
      taskId: order.openTasks[0].id,
      data: { injectFault: true, note: 'x' },
      comment: 'done',
    });
    failsInSecondHalf(res);
    expect(await footprint(order)).toEqual(before);
    const after = await get(order.id);
    expect(after.openTasks.map((t) => t.id)).toEqual([order.openTasks[0].id]);
    expect(after.formData).not.toHaveProperty('note');
    // without the fault the same command goes through, once
    const done = ok<WorkOrder>(
      await ann.http.post(`/api/v1/work-orders/${order.id}/handle`, {
        taskId: order.openTasks[0].id,
        data: { note: 'x' },
      }),
      'handle',
    );
    expect(done.openTasks.map((t) => t.elementId)).toEqual(['second']);
    expect(done.formData).toMatchObject({ note: 'x' });
  });

  it('audit: a failure writing the form data leaves the audit task open', async () => {
    const order = await create();
    const before = await footprint(order);
    const res = await ann.http.post<EnvelopeBody<unknown>>(`/api/v1/work-orders/${order.id}/audit`, {
      data: { injectFault: true },
      comment: 'ok',
    });
    failsInSecondHalf(res);
    expect(await footprint(order)).toEqual(before);
    expect((await get(order.id)).openTasks.map((t) => t.elementId)).toEqual(['approve']);
  });

  it('close: a failure closing the record leaves the process running, tasks open', async () => {
    const order = await create();
    const before = await footprint(order);
    const res = await ann.http.post<EnvelopeBody<unknown>>(`/api/v1/work-orders/${order.id}/close`, {
      reason: 'inject-fault',
    });
    failsInSecondHalf(res);
    expect(await footprint(order)).toEqual(before);
    expect((await instance(ann.http, order.instanceId!)).status).toBe('running');
    expect((await get(order.id)).closedAt ?? null).toBeNull();
    const closed = ok<WorkOrder>(
      await ann.http.post(`/api/v1/work-orders/${order.id}/close`, { reason: 'cancelled' }),
      'close',
    );
    expect(closed.status).toBe('discarded');
    expect((await instance(ann.http, order.instanceId!)).status).toBe('stopped');
  });
});
