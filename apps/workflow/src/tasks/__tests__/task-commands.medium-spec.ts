import {
  CompleteTaskCommand,
  GetTaskCommand,
  HandOverTaskCommand,
  ListTasksCommand,
  ReturnTaskCommand,
  TaskCommentCommand,
  TaskRefCommand,
  WorkflowPattern,
} from '@app/contracts';
import { makeActor } from '@app/testing';
import { startWorkflowMedium, type WorkflowMedium } from '../../__tests__/workflow-medium';

// Task commands on the real module graph and PostgreSQL (DESIGN §4): who may claim, complete,
// delegate, transfer and return, and what concurrent callers get.
describe('task commands (medium)', () => {
  let m: WorkflowMedium;
  const pool = 'role:clerk';
  const clerk = (id: string) => makeActor({ id, roles: ['clerk'] });

  beforeAll(async () => {
    m = await startWorkflowMedium('task_commands');
  });
  afterAll(() => m?.stop());

  async function openTask(steps?: Parameters<WorkflowMedium['workflow']['definition']>[0]) {
    const definition = await m.workflow.definition(steps);
    const started = await m.workflow.instance(definition.key, makeActor({ id: '900' }), { pool });
    return { definition, started, task: started.tasks[0]! };
  }

  it('eight candidates claim one task at once: one wins, the others get 4090 and the task has one holder', async () => {
    const { task } = await openTask();
    const callers = Array.from({ length: 8 }, (_, i) => clerk(String(100 + i)));
    const results = await Promise.allSettled(
      callers.map((actor) =>
        m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId: task.id, actor })),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const r of refused) expect(r.reason).toMatchObject({ code: 4090, reason: 'TASK_CLAIMED_BY_OTHER' });
    const holder = (won[0] as PromiseFulfilledResult<{ task: { assigneeId: string } }>).value.task.assigneeId;
    const stored = await m.call(
      WorkflowPattern.TaskGet,
      GetTaskCommand.create({ taskId: task.id, actor: m.workflow.admin }),
    );
    expect(stored.assigneeId).toBe(holder);
    // claiming one's own task again is a no-op; a stranger is not a participant
    await expect(
      m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId: task.id, actor: clerk(holder) })),
    ).resolves.toMatchObject({ task: { assigneeId: holder } });
  });

  it('two completions of one task at once: one moves the process on, the other gets 4090', async () => {
    const { task } = await openTask([
      { id: 'first', candidateGroups: '${pool}' },
      { id: 'second', candidateGroups: '${pool}' },
    ]);
    const actor = clerk('200');
    const results = await Promise.allSettled(
      [0, 1].map(() =>
        m.call(WorkflowPattern.TaskComplete, CompleteTaskCommand.create({ taskId: task.id, actor })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { code: 4090, reason: 'TASK_ALREADY_HANDLED' },
    });
    const created = (
      results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{
        createdTasks: { elementId: string }[];
      }>
    ).value.createdTasks;
    expect(created.map((t) => t.elementId)).toEqual(['second']);
  });

  it('a stranger may neither claim nor complete, and learns nothing: 404 as for an unknown task', async () => {
    const { task } = await openTask();
    const stranger = makeActor({ id: '300' });
    await expect(
      m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId: task.id, actor: stranger })),
    ).rejects.toMatchObject({ code: 404 });
    await expect(
      m.call(WorkflowPattern.TaskComplete, CompleteTaskCommand.create({ taskId: task.id, actor: stranger })),
    ).rejects.toMatchObject({ code: 404 });
    await expect(
      m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId: '999999999', actor: stranger })),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('delegate: the delegate resolves back to the owner, who completes; a second delegate call is 4090', async () => {
    const { task } = await openTask();
    const owner = clerk('400');
    const delegate = makeActor({ id: '401' });
    await m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId: task.id, actor: owner }));
    const delegated = await m.call(
      WorkflowPattern.TaskDelegate,
      HandOverTaskCommand.create({ taskId: task.id, userId: delegate.id, actor: owner }),
    );
    expect(delegated.task).toMatchObject({
      assigneeId: delegate.id,
      ownerId: owner.id,
      delegationState: 'pending',
    });
    await expect(
      m.call(
        WorkflowPattern.TaskDelegate,
        HandOverTaskCommand.create({ taskId: task.id, userId: '402', actor: owner }),
      ),
    ).rejects.toMatchObject({ code: 4090 });
    // the delegate's "complete" resolves instead of finishing the task
    const resolved = await m.call(
      WorkflowPattern.TaskComplete,
      CompleteTaskCommand.create({ taskId: task.id, actor: delegate }),
    );
    expect(resolved.task).toMatchObject({
      status: 'open',
      assigneeId: owner.id,
      delegationState: 'resolved',
    });
    await expect(
      m.call(WorkflowPattern.TaskResolve, TaskCommentCommand.create({ taskId: task.id, actor: delegate })),
    ).rejects.toMatchObject({ code: 4090 });
    const done = await m.call(
      WorkflowPattern.TaskComplete,
      CompleteTaskCommand.create({ taskId: task.id, actor: owner }),
    );
    expect(done.instanceStatus).toBe('completed');
  });

  it('transfer: not to oneself (4101 on userId); the new holder completes; the old one no longer may', async () => {
    const { task } = await openTask();
    const holder = clerk('500');
    const next = makeActor({ id: '501' });
    await m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId: task.id, actor: holder }));
    await expect(
      m.call(
        WorkflowPattern.TaskTransfer,
        HandOverTaskCommand.create({ taskId: task.id, userId: holder.id, actor: holder }),
      ),
    ).rejects.toMatchObject({ code: 4101, errors: [{ field: 'userId' }] });
    const moved = await m.call(
      WorkflowPattern.TaskTransfer,
      HandOverTaskCommand.create({ taskId: task.id, userId: next.id, actor: holder }),
    );
    expect(moved.task.assigneeId).toBe(next.id);
    await expect(
      m.call(
        WorkflowPattern.TaskTransfer,
        HandOverTaskCommand.create({ taskId: task.id, userId: '502', actor: holder }),
      ),
    ).rejects.toMatchObject({ code: 4090 });
    await expect(
      m.call(WorkflowPattern.TaskComplete, CompleteTaskCommand.create({ taskId: task.id, actor: holder })),
    ).rejects.toMatchObject({ code: 4001 });
    const todo = await m.call(
      WorkflowPattern.TaskList,
      ListTasksCommand.create({ scope: 'todo', pageNum: 1, pageSize: 50, actor: next }),
    );
    expect(todo.rows.map((t) => t.id)).toContain(task.id);
  });

  it('return: only to an earlier completed step (4101 on targetElementId otherwise); a dry run changes nothing', async () => {
    const { task } = await openTask([
      { id: 'draft', candidateGroups: '${pool}' },
      { id: 'review', candidateGroups: '${pool}' },
    ]);
    const actor = clerk('600');
    const step = await m.call(
      WorkflowPattern.TaskComplete,
      CompleteTaskCommand.create({ taskId: task.id, actor }),
    );
    const review = step.createdTasks[0]!;
    await expect(
      m.call(
        WorkflowPattern.TaskReturn,
        ReturnTaskCommand.create({ taskId: review.id, targetElementId: 'review', actor }),
      ),
    ).rejects.toMatchObject({ code: 4101, errors: [{ field: 'targetElementId' }] });
    const preview = await m.call(
      WorkflowPattern.TaskReturn,
      ReturnTaskCommand.create({ taskId: review.id, targetElementId: 'draft', dryRun: true, actor }),
    );
    expect(preview.createdNodes.map((n) => n.elementId)).toEqual(['draft']);
    const stillOpen = await m.call(
      WorkflowPattern.TaskGet,
      GetTaskCommand.create({ taskId: review.id, actor }),
    );
    expect(stillOpen.status).toBe('open');
    const returned = await m.call(
      WorkflowPattern.TaskReturn,
      ReturnTaskCommand.create({ taskId: review.id, targetElementId: 'draft', actor }),
    );
    expect(returned.createdTasks.map((t) => t.elementId)).toEqual(['draft']);
    expect(returned.cancelledTasks.map((t) => t.id)).toContain(review.id);
  });

  it('claim and unclaim: the holder gives the task back to the candidates; others may not (4001)', async () => {
    const { task } = await openTask();
    const holder = clerk('500');
    const other = clerk('501');
    await m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId: task.id, actor: holder }));
    // a candidate who may see it, but does not hold it
    await expect(
      m.call(WorkflowPattern.TaskUnclaim, TaskRefCommand.create({ taskId: task.id, actor: other })),
    ).rejects.toMatchObject({ code: 4001 });
    const back = await m.call(
      WorkflowPattern.TaskUnclaim,
      TaskRefCommand.create({ taskId: task.id, actor: holder }),
    );
    expect(back.task).toMatchObject({ assigneeId: null, status: 'open' });
    await expect(
      m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId: task.id, actor: other })),
    ).resolves.toMatchObject({ task: { assigneeId: other.id } });
  });

  it('the initiator sees the task but is no candidate: claim and complete are 4001, not 404', async () => {
    const definition = await m.workflow.definition();
    const initiator = makeActor({ id: '510' });
    const started = await m.workflow.instance(definition.key, initiator, { pool });
    const taskId = started.tasks[0]!.id;
    await expect(
      m.call(WorkflowPattern.TaskGet, GetTaskCommand.create({ taskId, actor: initiator })),
    ).resolves.toMatchObject({ id: taskId });
    await expect(
      m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId, actor: initiator })),
    ).rejects.toMatchObject({ code: 4001 });
    await expect(
      m.call(WorkflowPattern.TaskComplete, CompleteTaskCommand.create({ taskId, actor: initiator })),
    ).rejects.toMatchObject({ code: 4001 });
  });

  it('a completed task answers 4090 to its handler and 404 stays for an unknown id', async () => {
    const { task } = await openTask();
    const actor = clerk('520');
    await m.call(WorkflowPattern.TaskComplete, CompleteTaskCommand.create({ taskId: task.id, actor }));
    await expect(
      m.call(WorkflowPattern.TaskComplete, CompleteTaskCommand.create({ taskId: task.id, actor })),
    ).rejects.toMatchObject({ code: 4090, reason: 'TASK_ALREADY_HANDLED' });
    await expect(
      m.call(WorkflowPattern.TaskClaim, TaskRefCommand.create({ taskId: task.id, actor })),
    ).rejects.toMatchObject({ code: 4090 });
    await expect(
      m.call(WorkflowPattern.TaskComplete, CompleteTaskCommand.create({ taskId: '888888888', actor })),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('reject ends the run as rejected; the task is then handled (4090 on a second reject)', async () => {
    const { task } = await openTask([
      { id: 'first', candidateGroups: '${pool}' },
      { id: 'second', candidateGroups: '${pool}' },
    ]);
    const actor = clerk('530');
    const rejected = await m.call(
      WorkflowPattern.TaskReject,
      TaskCommentCommand.create({ taskId: task.id, comment: 'no budget', actor }),
    );
    expect(rejected).toMatchObject({ instanceStatus: 'rejected', task: { status: 'completed' } });
    await expect(
      m.call(
        WorkflowPattern.TaskReject,
        TaskCommentCommand.create({ taskId: task.id, comment: 'again', actor }),
      ),
    ).rejects.toMatchObject({ code: 4090 });
  });
});
