import { Client } from 'pg';
import {
  createRole,
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  roleId,
  sequentialProcessXml,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import {
  complete,
  corpusXml,
  deploy,
  fixtureXml,
  instance,
  ok,
  openTasks,
  start,
  type TaskView,
} from './workflow-helpers';

type Answer = { status: number; body: { code?: number; reason?: string } };
interface MoveView {
  dryRun: boolean;
  instanceStatus: string;
  cancelledTasks: TaskView[];
  createdNodes: { elementId: string; name: string | null }[];
  createdTasks: TaskView[];
}

const expectCode = (answer: Answer, status: number, code: number, reason?: string) => {
  expect({ status: answer.status, code: answer.body?.code }).toEqual({ status, code });
  if (reason) expect(answer.body.reason).toBe(reason);
};
const denied = (a: Answer) => expectCode(a, 403, 4001);
/** A caller who may not see the task learns nothing: 404, as a read (issue 19). */
const hidden = (a: Answer) => expectCode(a, 404, 404);
const conflict = (a: Answer, reason?: string) => expectCode(a, 409, 4090, reason);
const missing = (a: Answer) => expectCode(a, 404, 404);

describe('approval operations over HTTP', () => {
  let stack: Stack;
  let admin: TestSession;
  let u: Record<'ann' | 'lea' | 'max' | 'hui' | 'bo', TestSession>;
  let db: Client;
  const events = async (instanceId: string, topic: string) =>
    (
      await db.query<{ payload: Record<string, unknown> }>(
        `SELECT payload FROM workflow.outbox_event WHERE instance_id = $1 AND topic = $2 ORDER BY created_at`,
        [instanceId, topic],
      )
    ).rows.map((r) => r.payload);

  beforeAll(async () => {
    stack = await startStack({
      label: 'workflow_approval',
      workflowEnv: { WORKFLOW_JOB_POLL_MS: '0', WORKFLOW_URGE_INTERVAL_S: '600' },
    });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    const plain = await createRole(admin.http, { code: 'approver', permissions: [], dataScope: 'own' });
    const make = async (account: string) => {
      const member = await createStaff(admin.http, { account, roleIds: [staff, plain] });
      return loginAs(stack.http, member.account, member.password);
    };
    u = {
      ann: await make('ann'),
      lea: await make('lea'),
      max: await make('max'),
      hui: await make('hui'),
      bo: await make('bo'),
    };
    await deploy(admin.http, fixtureXml('approval-chain.bpmn'));
    await deploy(admin.http, fixtureXml('approval-parallel.bpmn'));
    await deploy(admin.http, fixtureXml('countersign.bpmn'));
    await deploy(admin.http, corpusXml('camunda-callactivity-simple-subprocess.bpmn'));
    await deploy(admin.http, corpusXml('camunda-callactivity-in-out.bpmn'));
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  /** ann starts the chain and completes "Apply": the Lead task waits for lea. */
  async function chainAtLead(): Promise<{ id: string; lead: TaskView }> {
    const started = await start(u.ann.http, {
      definitionKey: 'approvalChain',
      variables: { lead: u.lea.staffId, boss: u.max.staffId, day: 2 },
    });
    await complete(u.ann.http, started.tasks[0]!.id);
    const [lead] = await openTasks(u.ann.http, started.id);
    expect(lead).toMatchObject({ elementId: 'lead', assigneeId: u.lea.staffId });
    return { id: started.id, lead: lead! };
  }

  const post = <T = unknown>(s: TestSession, path: string, body: unknown = {}) =>
    s.http.post<EnvelopeBody<T>>(`/api/v1/workflow${path}`, body);

  it('reject (驳回) ends the instance as rejected; relaunch (重新发起) starts it again, linked', async () => {
    const { id, lead } = await chainAtLead();
    hidden(await post(u.bo, `/tasks/${lead.id}/reject`, { comment: 'no' }));
    const rejected = ok<{ instanceStatus: string }>(
      await post(u.lea, `/tasks/${lead.id}/reject`, { comment: '不同意' }),
    );
    expect(rejected.instanceStatus).toBe('rejected');
    conflict(await post(u.lea, `/tasks/${lead.id}/reject`, { comment: 'again' }));
    missing(await post(u.lea, '/tasks/999999999/reject'));
    const detail = await instance(u.ann.http, id);
    expect(detail.status).toBe('rejected');
    expect(detail.comments?.map((c) => [c.type, c.message])).toContainEqual(['reject', '不同意']);
    expect(detail.history?.every((h) => h.leftAt !== null)).toBe(true);

    denied(await post(u.lea, `/instances/${id}/relaunch`));
    const again = ok<{ id: string; relaunchedFromId: string; status: string; tasks: TaskView[] }>(
      await post(u.ann, `/instances/${id}/relaunch`, { variables: { day: 1 } }),
    );
    expect(again).toMatchObject({ relaunchedFromId: id, status: 'running' });
    expect((await instance(u.ann.http, again.id)).variables).toMatchObject({ day: 1, lead: u.lea.staffId });
    conflict(await post(u.ann, `/instances/${id}/relaunch`), 'ALREADY_DONE');
    // a rejected run may still be discarded (seed 002: any time), once
    expect(ok<{ status: string }>(await post(u.ann, `/instances/${id}/discard`)).status).toBe('discarded');
    conflict(await post(u.ann, `/instances/${id}/discard`));
    conflict(await post(u.ann, `/instances/${again.id}/relaunch`), 'NOT_RELAUNCHABLE');
    missing(await post(u.ann, '/instances/999999999/relaunch'));
  });

  it('return (退回) offers earlier tasks, dry run equals the real return, timers are re-armed', async () => {
    const { id, lead } = await chainAtLead();
    const jobsOf = async () =>
      ok<{ elementId: string; status: string; id: string }[]>(
        await admin.http.get(`/api/v1/workflow/jobs?instanceId=${id}`),
      );
    const firstTimer = (await jobsOf()).find((j) => j.status === 'pending');
    expect(firstTimer).toMatchObject({ elementId: 'leadReminder' });
    await complete(u.lea.http, lead.id);
    expect((await jobsOf()).filter((j) => j.status === 'pending')).toEqual([]);
    const [boss] = await openTasks(u.ann.http, id);

    const targets = ok<{ elementId: string }[]>(
      await u.max.http.get(`/api/v1/workflow/tasks/${boss!.id}/return-targets`),
    );
    expect(targets.map((t) => t.elementId).sort()).toEqual(['apply', 'lead']);
    // someone who cannot see the task gets 404, not a list
    missing(await u.bo.http.get(`/api/v1/workflow/tasks/${boss!.id}/return-targets`));
    hidden(await post(u.bo, `/tasks/${boss!.id}/return`, { targetElementId: 'lead' }));
    expectCode(await post(u.max, `/tasks/${boss!.id}/return`, { targetElementId: 'end' }), 400, 4101);

    const dry = ok<MoveView>(
      await post(u.max, `/tasks/${boss!.id}/return`, { targetElementId: 'lead', dryRun: true }),
    );
    expect(dry.dryRun).toBe(true);
    expect(await openTasks(u.ann.http, id)).toHaveLength(1); // nothing changed
    const real = ok<MoveView>(
      await post(u.max, `/tasks/${boss!.id}/return`, { targetElementId: 'lead', comment: '材料不全' }),
    );
    expect(real.cancelledTasks.map((t) => t.id).sort()).toEqual(dry.cancelledTasks.map((t) => t.id).sort());
    expect(real.createdNodes).toEqual(dry.createdNodes);
    expect([...new Set(real.createdTasks.map((t) => t.elementId))]).toEqual(
      dry.createdNodes.map((n) => n.elementId),
    );
    conflict(await post(u.max, `/tasks/${boss!.id}/return`, { targetElementId: 'lead' }));
    missing(await post(u.max, '/tasks/999999999/return', { targetElementId: 'lead' }));

    const pending = (await jobsOf()).filter((j) => j.status === 'pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]!.id).not.toBe(firstTimer!.id);
    const detail = await instance(u.ann.http, id);
    expect(detail.comments?.map((c) => c.type)).toContain('return');
    expect(detail.history?.filter((h) => h.elementId === 'lead')).toHaveLength(2);
    // the instance still reaches its end
    const [again] = await openTasks(u.ann.http, id);
    await complete(u.lea.http, again!.id);
    const [boss2] = await openTasks(u.ann.http, id);
    expect((await complete(u.max.http, boss2!.id)).instanceStatus).toBe('completed');
  });

  it('return across a parallel join: the sibling branch moves back consistently, a stranding target is refused, the instance ends', async () => {
    const started = await start(u.ann.http, {
      definitionKey: 'approvalParallel',
      variables: { userA: u.lea.staffId, userB: u.hui.staffId, boss: u.max.staffId },
    });
    const finishBranches = async () => {
      for (const t of await openTasks(u.ann.http, started.id))
        await complete(t.elementId === 'branchA' ? u.lea.http : u.hui.http, t.id);
    };
    await complete(u.ann.http, started.tasks[0]!.id);
    let tasks = await openTasks(u.ann.http, started.id);
    const a = tasks.find((t) => t.elementId === 'branchA')!;
    const b = tasks.find((t) => t.elementId === 'branchB')!;
    // before any branch arrived at the join, B going back to Apply takes A with it
    const dryBoth = ok<MoveView>(
      await post(u.hui, `/tasks/${b.id}/return`, { targetElementId: 'apply', dryRun: true }),
    );
    expect(dryBoth.cancelledTasks.map((t) => t.elementId).sort()).toEqual(['branchA', 'branchB']);

    // A waits at the join: B going back to Apply makes the join forget A (it runs again)
    await complete(u.lea.http, a.id);
    const targets = ok<{ elementId: string }[]>(
      await u.hui.http.get(`/api/v1/workflow/tasks/${b.id}/return-targets`),
    );
    expect(targets.map((t) => t.elementId)).toEqual(['apply']);
    const dry = ok<MoveView>(
      await post(u.hui, `/tasks/${b.id}/return`, { targetElementId: 'apply', dryRun: true }),
    );
    const real = ok<MoveView>(await post(u.hui, `/tasks/${b.id}/return`, { targetElementId: 'apply' }));
    expect(real.cancelledTasks.map((t) => t.id)).toEqual(dry.cancelledTasks.map((t) => t.id));
    expect(real.cancelledTasks.map((t) => t.elementId)).toEqual(['branchB']);
    expect(real.createdTasks.map((t) => t.elementId)).toEqual(dry.createdNodes.map((n) => n.elementId));
    await complete(u.ann.http, real.createdTasks[0]!.id);
    tasks = await openTasks(u.ann.http, started.id);
    expect(tasks.map((t) => t.elementId).sort()).toEqual(['branchA', 'branchB']); // both run again
    await finishBranches();

    // after the join: back into one branch would strand the join; refused with the join named
    const [final] = await openTasks(u.ann.http, started.id);
    expect(final!.elementId).toBe('final');
    const fromFinal = ok<{ elementId: string }[]>(
      await u.max.http.get(`/api/v1/workflow/tasks/${final!.id}/return-targets`),
    );
    expect(fromFinal.map((t) => t.elementId)).toEqual(['apply']);
    const refused = await post(u.max, `/tasks/${final!.id}/return`, { targetElementId: 'branchA' });
    expectCode(refused, 400, 4101, 'ILLEGAL_MOVE_TARGET');
    expect(JSON.stringify(refused.body)).toMatch(/join <join>/);
    const dry2 = ok<MoveView>(
      await post(u.max, `/tasks/${final!.id}/return`, { targetElementId: 'apply', dryRun: true }),
    );
    const real2 = ok<MoveView>(await post(u.max, `/tasks/${final!.id}/return`, { targetElementId: 'apply' }));
    expect(real2.cancelledTasks.map((t) => t.id)).toEqual(dry2.cancelledTasks.map((t) => t.id));
    expect(real2.createdTasks.map((t) => t.elementId)).toEqual(['apply']);

    await complete(u.ann.http, real2.createdTasks[0]!.id);
    await finishBranches();
    const [last] = await openTasks(u.ann.http, started.id);
    expect(last!.elementId).toBe('final');
    expect((await complete(u.max.http, last!.id)).instanceStatus).toBe('completed');
  });

  it('delegate (委派) / resolve: the delegate works it and hands it back; the owner completes', async () => {
    const { id, lead } = await chainAtLead();
    hidden(await post(u.bo, `/tasks/${lead.id}/delegate`, { userId: u.hui.staffId }));
    const delegated = ok<{ task: TaskView & { ownerId: string; delegationState: string } }>(
      await post(u.lea, `/tasks/${lead.id}/delegate`, { userId: u.hui.staffId, comment: '请帮忙看' }),
    );
    expect(delegated.task).toMatchObject({
      assigneeId: u.hui.staffId,
      ownerId: u.lea.staffId,
      delegationState: 'pending',
    });
    conflict(await post(u.lea, `/tasks/${lead.id}/delegate`, { userId: u.max.staffId }));
    missing(await post(u.lea, '/tasks/999999999/delegate', { userId: u.max.staffId }));

    // Flowable: a task in DelegationState.PENDING is resolved by its delegate, never rejected, returned,
    // passed on or delegated again by them; the task says so and the commands refuse with 4090
    const held = ok<{ actions: string[] }>(await u.hui.http.get(`/api/v1/workflow/tasks/${lead.id}`));
    expect(held.actions).toEqual(['resolve']);
    for (const [op, body] of [
      ['reject', {}],
      ['return', { targetElementId: 'apply' }],
      ['transfer', { userId: u.max.staffId }],
      ['delegate', { userId: u.max.staffId }],
    ] as const)
      conflict(await post(u.hui, `/tasks/${lead.id}/${op}`, body), 'DELEGATION_PENDING');

    hidden(await post(u.bo, `/tasks/${lead.id}/resolve`));
    const resolved = ok<{ task: TaskView & { delegationState: string } }>(
      await post(u.hui, `/tasks/${lead.id}/resolve`, { comment: '已核对' }),
    );
    expect(resolved.task).toMatchObject({ assigneeId: u.lea.staffId, delegationState: 'resolved' });
    conflict(await post(u.hui, `/tasks/${lead.id}/resolve`));
    missing(await post(u.hui, '/tasks/999999999/resolve'));

    await complete(u.lea.http, lead.id);
    const detail = await instance(u.ann.http, id);
    expect(detail.comments?.filter((c) => c.type === 'delegate')).toHaveLength(2);
    expect(detail.tasks.map((t) => t.elementId)).toEqual(['boss']);
  });

  it('complete by the delegate resolves the task back instead', async () => {
    const { lead } = await chainAtLead();
    ok(await post(u.lea, `/tasks/${lead.id}/delegate`, { userId: u.hui.staffId }));
    const answer = await complete(u.hui.http, lead.id);
    expect(answer.createdTasks).toEqual([]);
    const task = ok<TaskView & { delegationState: string }>(
      await u.lea.http.get(`/api/v1/workflow/tasks/${lead.id}`),
    );
    expect(task).toMatchObject({ status: 'open', assigneeId: u.lea.staffId, delegationState: 'resolved' });
  });

  it('transfer (转办) changes the assignee for good', async () => {
    const { id, lead } = await chainAtLead();
    // nobody by that id or account (or someone disabled): 4200 naming the field, and nothing moves
    for (const userId of ['987654321', 'no-such-account']) {
      const unknown = await post(u.lea, `/tasks/${lead.id}/transfer`, { userId });
      expectCode(unknown, 404, 4200);
      expect(unknown.body).toMatchObject({ errors: [{ field: 'userId' }] });
    }
    expectCode(
      await post(u.lea, `/tasks/${lead.id}/complete`, { copyTo: [u.bo.staffId, 'ghost'] }),
      404,
      4200,
    );
    expect((await instance(u.ann.http, id)).tasks.map((t) => t.assigneeId)).toEqual([u.lea.staffId]);
    hidden(await post(u.bo, `/tasks/${lead.id}/transfer`, { userId: u.hui.staffId }));
    const moved = ok<{ task: TaskView }>(
      await post(u.lea, `/tasks/${lead.id}/transfer`, { userId: u.hui.staffId }),
    );
    expect(moved.task.assigneeId).toBe(u.hui.staffId);
    conflict(await post(u.lea, `/tasks/${lead.id}/transfer`, { userId: u.max.staffId }));
    missing(await post(u.lea, '/tasks/999999999/transfer', { userId: u.max.staffId }));
    denied(await post(u.lea, `/tasks/${lead.id}/complete`));
    await complete(u.hui.http, lead.id);
    expect((await instance(u.ann.http, id)).comments?.map((c) => c.type)).toContain('transfer');
  });

  it('complete + jump in one step (A-47): admins only, the task done with its data, the run goes on at the target', async () => {
    const { id, lead } = await chainAtLead();
    denied(await post(u.lea, `/tasks/${lead.id}/complete`, { targetElementId: 'apply' })); // holder, not admin
    for (const targetElementId of ['lead', 'nowhere']) {
      const bad = await post(admin, `/tasks/${lead.id}/complete`, { targetElementId });
      expectCode(bad, 400, 4101);
      expect(bad.body).toMatchObject({ errors: [{ field: 'targetElementId' }] });
    }
    const done = ok<{ task: TaskView & { status: string; outcome: string }; createdTasks: TaskView[] }>(
      await post(admin, `/tasks/${lead.id}/complete`, {
        targetElementId: 'apply',
        variables: { leadOpinion: '补充材料' },
        comment: '退回申请人补充',
      }),
    );
    expect(done.task).toMatchObject({ id: lead.id, status: 'completed', outcome: 'approved' });
    expect(done.createdTasks.map((t) => [t.elementId, t.assigneeId])).toEqual([['apply', u.ann.staffId]]);
    const after = await instance(u.ann.http, id);
    expect(after.variables).toMatchObject({ leadOpinion: '补充材料' });
    expect(after.tasks.map((t) => t.elementId)).toEqual(['apply']);
    expect(after.comments?.map((c) => c.type)).toEqual(expect.arrayContaining(['normal', 'jump']));
    conflict(await post(admin, `/tasks/${lead.id}/complete`, { targetElementId: 'apply' }));
  });

  it('revoke (撤回) by the last handler while the next node is untouched', async () => {
    const { id, lead } = await chainAtLead();
    denied(await post(u.lea, `/instances/${id}/revoke`)); // sees it (holds Lead), but handled nothing
    const revoked = ok<MoveView>(await post(u.ann, `/instances/${id}/revoke`, { comment: '改一下' }));
    expect(revoked.cancelledTasks.map((t) => t.id)).toEqual([lead.id]);
    expect(revoked.createdTasks.map((t) => [t.elementId, t.assigneeId])).toEqual([['apply', u.ann.staffId]]);
    conflict(await post(u.ann, `/instances/${id}/revoke`), 'NOTHING_TO_REVOKE');
    missing(await post(u.ann, '/instances/999999999/revoke'));

    // once the next node has been handled, the previous handler cannot revoke any more
    await complete(u.ann.http, revoked.createdTasks[0]!.id);
    const [lead2] = await openTasks(u.ann.http, id);
    await complete(u.lea.http, lead2!.id);
    const [boss] = await openTasks(u.ann.http, id);
    ok(await post(u.max, `/tasks/${boss!.id}/delegate`, { userId: u.hui.staffId }));
    conflict(await post(u.lea, `/instances/${id}/revoke`), 'NEXT_NODE_ALREADY_HANDLED');
    expect((await instance(u.ann.http, id)).comments?.map((c) => c.type)).toContain('revoke');
  });

  it('revoke raced by the next approver: whoever loses learns the instance moved on (4090), not that they lack the right', async () => {
    await deploy(
      admin.http,
      sequentialProcessXml('revokeRace', [
        { id: 'first', assignee: u.lea.staffId },
        { id: 'second', assignee: u.max.staffId },
        { id: 'third', assignee: u.hui.staffId },
      ]),
    );
    // in turn: lea approved, max approved next, lea's revoke comes after
    const late = await start(u.ann.http, { definitionKey: 'revokeRace' });
    await complete(u.lea.http, late.tasks[0]!.id);
    const [second] = await openTasks(u.ann.http, late.id);
    await complete(u.max.http, second!.id);
    conflict(await post(u.lea, `/instances/${late.id}/revoke`), 'NEXT_NODE_ALREADY_HANDLED');
    // someone who never handled a task of it still has no right to
    hidden(await post(u.bo, `/instances/${late.id}/revoke`));
    // at once: one of the two wins, the other is a conflict; the run is where the winner left it
    for (let round = 0; round < 3; round++) {
      const run = await start(u.ann.http, { definitionKey: 'revokeRace' });
      await complete(u.lea.http, run.tasks[0]!.id);
      const [next] = await openTasks(u.ann.http, run.id);
      const [revoke, approve] = await Promise.all([
        post(u.lea, `/instances/${run.id}/revoke`),
        post(u.max, `/tasks/${next!.id}/complete`),
      ]);
      const codes = [revoke.body.code, approve.body.code];
      expect(codes.sort()).toEqual([200, 4090]);
      const open = (await openTasks(u.ann.http, run.id)).map((t) => t.elementId);
      expect(open).toEqual(revoke.body.code === 200 ? ['first'] : ['third']);
    }
  });

  it('stop (取消) and discard (废弃) by the initiator or an admin; delete (admin) of ended instances', async () => {
    const one = await chainAtLead();
    denied(await post(u.lea, `/instances/${one.id}/stop`));
    expect(
      ok<{ status: string }>(await post(u.ann, `/instances/${one.id}/stop`, { comment: '不需要了' })).status,
    ).toBe('stopped');
    conflict(await post(u.ann, `/instances/${one.id}/stop`));
    missing(await post(u.ann, '/instances/999999999/stop'));
    conflict(await post(u.ann, `/instances/${one.id}/relaunch`), 'NOT_RELAUNCHABLE'); // stopped, not rejected
    const stopped = await instance(u.ann.http, one.id);
    expect(stopped.tasks).toEqual([]);
    expect(stopped.comments?.map((c) => c.type)).toContain('stop');

    const two = await chainAtLead();
    denied(await post(u.lea, `/instances/${two.id}/discard`));
    expect(ok<{ status: string }>(await post(admin, `/instances/${two.id}/discard`)).status).toBe(
      'discarded',
    );
    conflict(await post(admin, `/instances/${two.id}/discard`));
    missing(await post(admin, '/instances/999999999/discard'));

    const running = await chainAtLead();
    conflict(await admin.http.delete(`/api/v1/workflow/instances/${running.id}`));
    denied(await u.ann.http.delete(`/api/v1/workflow/instances/${one.id}`));
    expect(ok(await admin.http.delete(`/api/v1/workflow/instances/${one.id}`))).toEqual({ deleted: true });
    missing(await admin.http.delete(`/api/v1/workflow/instances/${one.id}`));
    missing(await u.ann.http.get(`/api/v1/workflow/instances/${one.id}`));
  });

  it('urge (催办) notifies the current assignees, once per interval', async () => {
    const { id } = await chainAtLead();
    denied(await post(u.lea, `/instances/${id}/urge`));
    const urged = ok<{ notified: string[]; nextAllowedAt: string }>(
      await post(u.ann, `/instances/${id}/urge`, { comment: '急' }),
    );
    expect(urged.notified).toEqual([`user:${u.lea.staffId}`]);
    conflict(await post(u.ann, `/instances/${id}/urge`), 'URGE_TOO_SOON');
    missing(await post(u.ann, '/instances/999999999/urge'));
    expect((await instance(u.ann.http, id)).comments?.map((c) => c.type)).toEqual(['urge']);
    const [event] = await events(id, 'instance.urged');
    expect(event).toMatchObject({ urgedBy: u.ann.staffId, notify: [`user:${u.lea.staffId}`], message: '急' });
  });

  it('urge (催办) is offered in the instance actions only when the command takes it', async () => {
    const actions = async (who: TestSession, id: string) =>
      ok<{ actions: string[] }>(await who.http.get(`/api/v1/workflow/instances/${id}`)).actions;
    const { id } = await chainAtLead();
    expect(await actions(u.ann, id)).toContain('urge');
    expect(await actions(u.lea, id)).not.toContain('urge'); // she holds the task: the command says 403
    ok(await post(u.ann, `/instances/${id}/urge`));
    // rate-limited: the next urge would be 409 URGE_TOO_SOON, so it is not offered
    expect(await actions(u.ann, id)).not.toContain('urge');
    expect(await actions(admin, id)).not.toContain('urge');
    conflict(await post(admin, `/instances/${id}/urge`), 'URGE_TOO_SOON');

    // no node being approved (the run waits at a timer): nobody to urge, not offered, refused
    const timerKey = `urgeTimer${Date.now()}`;
    await deploy(
      admin.http,
      `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="urge">
  <process id="${timerKey}" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
    <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="wait" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`,
    );
    const waiting = await start(u.ann.http, { definitionKey: timerKey });
    expect(waiting.status).toBe('running');
    expect(await actions(u.ann, waiting.id)).toEqual(['stop']);
    conflict(await post(u.ann, `/instances/${waiting.id}/urge`), 'NOTHING_TO_URGE');
    expect((await instance(u.ann.http, waiting.id)).comments).toEqual([]);
    expect(await events(waiting.id, 'instance.urged')).toEqual([]);

    // a parent waiting at a call activity: the approval is its child's task, and the urge reaches it
    const parent = await start(u.ann.http, {
      definitionKey: 'subProcessDataInputOutput',
      variables: { superVariable: 'x' },
    });
    const children = ok<{ rows: { id: string; parentInstanceId: string }[] }>(
      await u.ann.http.get('/api/v1/workflow/instances?scope=started&definitionKey=simpleSubProcess'),
    );
    const child = children.rows.find((r) => r.parentInstanceId === parent.id)!;
    const [childTask] = await openTasks(u.ann.http, child.id);
    // it names nobody: it goes to the initiator (see docs/workflow.md)
    expect(childTask?.assigneeId).toBe(u.ann.staffId);
    expect(await actions(u.ann, parent.id)).toContain('urge');
    const urged = ok<{ notified: string[] }>(await post(u.ann, `/instances/${parent.id}/urge`));
    expect(urged.notified).toEqual([`user:${u.ann.staffId}`]);
    const [event] = await events(parent.id, 'instance.urged');
    expect(event).toMatchObject({ tasks: [expect.objectContaining({ taskId: childTask!.id })] });
  });

  it('stopping a parent stops its running call-activity children; both stay in history', async () => {
    const parent = await start(u.ann.http, {
      definitionKey: 'subProcessDataInputOutput',
      variables: { superVariable: 'x' },
    });
    const children = ok<{ rows: { id: string; parentInstanceId: string }[] }>(
      await u.ann.http.get('/api/v1/workflow/instances?scope=started&definitionKey=simpleSubProcess'),
    );
    const child = children.rows.find((r) => r.parentInstanceId === parent.id)!;
    expect(ok<{ status: string }>(await post(u.ann, `/instances/${parent.id}/stop`)).status).toBe('stopped');
    const stoppedChild = await instance(u.ann.http, child.id);
    expect(stoppedChild).toMatchObject({ status: 'stopped', tasks: [] });
    expect(stoppedChild.history?.every((h) => h.leftAt !== null)).toBe(true);
  });

  it('copy-to (抄送) on complete and "copied to me"; next-node assignees chosen on complete', async () => {
    const started = await start(u.ann.http, {
      definitionKey: 'approvalChain',
      variables: { lead: u.lea.staffId, boss: u.max.staffId },
    });
    const done = await complete(u.ann.http, started.tasks[0]!.id, {
      copyTo: [u.bo.staffId],
      nextAssignees: { lead: [u.hui.staffId] },
    });
    expect(done.createdTasks.map((t) => [t.elementId, t.assigneeId])).toEqual([['lead', u.hui.staffId]]);
    const copied = ok<{ rows: TaskView[] }>(await u.bo.http.get('/api/v1/workflow/tasks?scope=copied'));
    expect(copied.rows.map((t) => t.id)).toEqual([started.tasks[0]!.id]);
    expect((await instance(u.bo.http, started.id)).id).toBe(started.id); // a copied user may read it
    expect(
      ok<{ rows: TaskView[] }>(await u.lea.http.get('/api/v1/workflow/tasks?scope=copied')).rows,
    ).toEqual([]);
  });

  it('jump (admin, nextNodeSeq) moves to a named node with the return checks', async () => {
    const { id } = await chainAtLead();
    denied(await post(u.ann, `/instances/${id}/jump`, { targetElementId: 'boss' }));
    expectCode(await post(admin, `/instances/${id}/jump`, { targetElementId: 'nowhere' }), 400, 4101);
    const dry = ok<MoveView>(
      await post(admin, `/instances/${id}/jump`, { targetElementId: 'boss', dryRun: true }),
    );
    const jumped = ok<MoveView>(await post(admin, `/instances/${id}/jump`, { targetElementId: 'boss' }));
    expect(jumped.cancelledTasks.map((t) => t.id)).toEqual(dry.cancelledTasks.map((t) => t.id));
    expect(jumped.createdTasks.map((t) => t.elementId)).toEqual(['boss']);
    conflict(await post(admin, `/instances/${id}/jump`, { targetElementId: 'boss' }));
    missing(await post(admin, '/instances/999999999/jump', { targetElementId: 'boss' }));
    expect((await instance(u.ann.http, id)).comments?.map((c) => c.type)).toContain('jump');
  });

  describe('countersign (加签 / 减签)', () => {
    const signTasks = async (id: string) =>
      (await openTasks(admin.http, id)).filter((t) => t.elementId === 'allSign');
    const mine = (tasks: TaskView[], who: TestSession) => tasks.find((t) => t.assigneeId === who.staffId)!;

    it('an added signer of a running all-sign node must approve too', async () => {
      const started = await start(u.ann.http, {
        definitionKey: 'countersign',
        variables: { signers: [u.lea.staffId, u.hui.staffId], approvers: [u.bo.staffId] },
      });
      const body = { elementId: 'allSign', userId: u.max.staffId };
      denied(await post(u.ann, `/instances/${started.id}/signers`, body));
      ok(await post(u.lea, `/instances/${started.id}/signers`, body));
      conflict(await post(u.lea, `/instances/${started.id}/signers`, body), 'SIGNER_PRESENT');
      missing(await post(admin, '/instances/999999999/signers', body));
      let tasks = await signTasks(started.id);
      await complete(u.lea.http, mine(tasks, u.lea).id);
      await complete(u.hui.http, mine(tasks, u.hui).id);
      tasks = await signTasks(started.id);
      expect(tasks.map((t) => t.assigneeId)).toEqual([u.max.staffId]); // still needed
      await complete(u.max.http, tasks[0]!.id);
      expect((await openTasks(admin.http, started.id)).map((t) => t.elementId)).toEqual(['anySign']);
      expect((await instance(admin.http, started.id)).variables?.['signers']).toEqual([
        u.lea.staffId,
        u.hui.staffId,
        u.max.staffId,
      ]);
    });

    it('removing a signer lets the node complete without them', async () => {
      const started = await start(u.ann.http, {
        definitionKey: 'countersign',
        variables: { signers: [u.lea.staffId, u.hui.staffId, u.max.staffId], approvers: [u.bo.staffId] },
      });
      let tasks = await signTasks(started.id);
      await complete(u.lea.http, mine(tasks, u.lea).id);
      const body = { elementId: 'allSign', userId: u.hui.staffId };
      denied(await u.ann.http.delete(`/api/v1/workflow/instances/${started.id}/signers`, { body }));
      ok(await admin.http.delete(`/api/v1/workflow/instances/${started.id}/signers`, { body }));
      conflict(
        await admin.http.delete(`/api/v1/workflow/instances/${started.id}/signers`, { body }),
        'SIGNER_ABSENT',
      );
      tasks = await signTasks(started.id);
      expect(tasks.map((t) => t.assigneeId)).toEqual([u.max.staffId]);
      await complete(u.max.http, tasks[0]!.id);
      expect((await openTasks(admin.http, started.id)).map((t) => t.elementId)).toEqual(['anySign']);
    });
  });
});
