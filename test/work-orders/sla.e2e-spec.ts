import { Client } from 'pg';
import {
  createDepartment,
  createStaff,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestMember,
  type TestSession,
} from '@app/testing';
import {
  complete,
  deploy,
  fixtureXml,
  ok,
  openTasks,
  start,
  type TaskView,
  until,
} from '../workflow/workflow-helpers';

const LADDER = ['sla.reminded', 'sla.urged', 'sla.escalated'];
/** Due 3 s after creation: remind at 2.4 s, urge at 3 s, escalate at 4.5 s (sla-ladder.service.ts). */
const DUE = 'PT3S';

describe('SLA ladder: remind → urge → escalate to the manager, re-armed on re-entry', () => {
  let stack: Stack;
  let admin: TestSession;
  let db: Client;
  let reviewer: TestMember;
  let approver: TestMember;
  let head: TestMember;

  /** SLA events of one task in the order the workflow app emitted them. */
  const stepsOf = async (taskId: string): Promise<string[]> => {
    const { rows } = await db.query<{ topic: string }>(
      `SELECT topic FROM workflow.outbox_event WHERE topic LIKE 'sla.%' AND payload->>'taskId' = $1
        ORDER BY created_at, topic`,
      [taskId],
    );
    return rows.map((r) => r.topic);
  };
  const taskOf = async (http: TestSession, taskId: string) =>
    ok<TaskView & { assigneeId: string | null }>(await http.http.get(`/api/v1/workflow/tasks/${taskId}`));

  beforeAll(async () => {
    // the SLA runner's events answer the gateway's held fetch when they commit: no fast poll needed
    stack = await startStack({ label: 'sla' });
    admin = await loginAsAdmin(stack.http);
    const branch = await createDepartment(admin.http, 'SLA branch');
    const team = await createDepartment(admin.http, 'SLA team', branch);
    reviewer = await createStaff(admin.http, { account: 'sla-reviewer', departmentId: team });
    approver = await createStaff(admin.http, { account: 'sla-approver', departmentId: team });
    head = await createStaff(admin.http, { account: 'sla-head', departmentId: branch });
    // The team has no manager: escalation walks up to the branch's.
    ok(await admin.http.patch(`/api/v1/departments/${branch}`, { managerId: head.id }), 'set manager');
    await deploy(admin.http, fixtureXml('sla-review.bpmn'));
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('fires each step once, in order, escalates to the manager and re-arms after a return', async () => {
    const vars = { reviewer: reviewer.id, approver: approver.id, due: DUE };
    const late = await start(admin.http, { definitionKey: 'slaReview', variables: vars });
    // Handled well before its first step (9.6 s: no machine load makes it late), so each armed step
    // is cancelled when it comes due instead of firing.
    const prompt = await start(admin.http, {
      definitionKey: 'slaReview',
      variables: { ...vars, due: 'PT12S' },
    });
    const [first] = await openTasks(admin.http, late.id);
    const [quick] = await openTasks(admin.http, prompt.id);
    const asReviewer = await loginAs(stack.http, reviewer.account, reviewer.password);
    await complete(asReviewer.http, quick.id);

    // Round 1: the ladder of the first review task.
    await until(
      async () => ((await taskOf(admin, first.id)).assigneeId === head.id ? true : undefined),
      20_000,
    );
    expect(await stepsOf(first.id)).toEqual(LADDER);
    const inbox = ok<{ rows: { title: string; taskId: string | null }[] }>(
      await asReviewer.http.get('/api/v1/inbox?pageSize=100'),
    );
    const mine = inbox.rows.filter((n) => n.taskId === first.id).map((n) => n.title);
    expect(mine.some((t) => t.startsWith('到期提醒: '))).toBe(true);
    expect(mine.some((t) => t.startsWith('超时催办: '))).toBe(true);

    // The manager finishes the review; the approver returns it, so review is entered again.
    const asHead = await loginAs(stack.http, head.account, head.password);
    await complete(asHead.http, first.id);
    const [approve] = await openTasks(admin.http, late.id);
    expect(approve.elementId).toBe('approve');
    const asApprover = await loginAs(stack.http, approver.account, approver.password);
    ok(
      await asApprover.http.post(`/api/v1/workflow/tasks/${approve.id}/return`, {
        targetElementId: 'review',
      }),
      'return',
    );
    const [second] = await openTasks(admin.http, late.id);
    expect(second.elementId).toBe('review');
    expect(second.id).not.toBe(first.id);
    expect((await taskOf(admin, second.id)).assigneeId).toBe(reviewer.id);

    // Round 2: a fresh ladder for the new task, again escalated once.
    await until(
      async () => ((await taskOf(admin, second.id)).assigneeId === head.id ? true : undefined),
      20_000,
    );
    expect(await stepsOf(second.id)).toEqual(LADDER);

    // Nothing fires twice, and the promptly handled task's steps were cancelled, never emitted.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await stepsOf(first.id)).toEqual(LADDER);
    expect(await stepsOf(second.id)).toEqual(LADDER);
    expect(await stepsOf(quick.id)).toEqual([]);
    const quickJobs = async () =>
      (
        await db.query<{ status: string; n: string }>(
          `SELECT status, count(*)::text AS n FROM workflow.job WHERE kind LIKE 'sla.%' AND timer_id LIKE $1
            GROUP BY status`,
          [`%:${quick.id}`],
        )
      ).rows;
    const jobs = await until(
      async () => ((await quickJobs()).some((r) => r.status === 'pending') ? undefined : quickJobs()),
      30_000,
      'the prompt task to reach its steps',
    );
    expect(jobs).toEqual([{ status: 'cancelled', n: '3' }]);
    expect(await stepsOf(quick.id)).toEqual([]);
    const transfers = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM workflow.comment WHERE task_id = ANY($1::bigint[]) AND type = 'transfer'`,
      [[first.id, second.id]],
    );
    expect(transfers.rows[0].n).toBe('2');
  });
});
