import { CompleteTaskCommand, DeployDefinitionCommand, WorkflowPattern } from '@app/contracts';
import { dbQueriesTotal } from '@app/observability';
import { makeActor } from '@app/testing';
import { startWorkflowMedium, type WorkflowMedium } from '../../__tests__/workflow-medium';
import { SlaRunnerService } from '../sla-runner.service';

// The SLA ladder of a task with a due time (sla-ladder.service.ts): remind at 80 % of the time allowed,
// urge at the due time, escalate at due + 50 %; each step fires once, and a task no longer open has its
// steps cancelled, never emitted. Due times are moved into the past instead of waiting for them.
describe('SLA ladder (medium)', () => {
  let m: WorkflowMedium;
  let key: string;
  const reviewer = makeActor({ id: '31' });

  beforeAll(async () => {
    m = await startWorkflowMedium('sla_ladder');
    key = (await m.workflow.definition([{ id: 'review', assignee: '${reviewer}', dueDate: 'PT1H' }])).key;
  });
  afterAll(() => m?.stop());

  const openTask = async (instanceId: string) => {
    const [task] = await m.dataSource.query<{ id: string; created_at: Date }[]>(
      `SELECT id::text AS id, created_at FROM workflow.task WHERE instance_id = $1 AND status = 'open'`,
      [instanceId],
    );
    return task!;
  };
  const jobsOf = (taskId: string) =>
    m.dataSource.query<{ kind: string; status: string; due_at: Date }[]>(
      `SELECT kind, status, due_at FROM workflow.job WHERE kind LIKE 'sla.%' AND timer_id = kind || ':' || $1
        ORDER BY due_at`,
      [taskId],
    );
  const eventsOf = (taskId: string) =>
    m.dataSource.query<{ topic: string; instance_id: string; payload: Record<string, unknown> }[]>(
      `SELECT topic, instance_id::text AS instance_id, payload FROM workflow.outbox_event
        WHERE topic LIKE 'sla.%' AND payload->>'taskId' = $1 ORDER BY created_at`,
      [taskId],
    );

  it('arms three steps per task; an open task gets each once, in order; a finished one has them cancelled', async () => {
    const late = await m.workflow.instance(key, reviewer, { reviewer: reviewer.id });
    const prompt = await m.workflow.instance(key, reviewer, { reviewer: reviewer.id });
    const waiting = await openTask(late.id);
    const done = await openTask(prompt.id);

    // remind at 80 % of the hour allowed, urge at the due time, escalate at due + 50 % (minutes after creation)
    const created = new Date(waiting.created_at).getTime();
    const armed = await jobsOf(waiting.id);
    expect(armed.map((j) => [j.kind, j.status])).toEqual([
      ['sla.remind', 'pending'],
      ['sla.urge', 'pending'],
      ['sla.escalate', 'pending'],
    ]);
    const minutes = armed.map((j) => (new Date(j.due_at).getTime() - created) / 60_000);
    [48, 60, 90].forEach((expected, i) => expect(minutes[i]).toBeCloseTo(expected, 1));

    await m.call(
      WorkflowPattern.TaskComplete,
      CompleteTaskCommand.create({ taskId: done.id, variables: {}, actor: reviewer }),
    );
    await m.dataSource.query(
      `UPDATE workflow.job SET due_at = due_at - interval '2 hours' WHERE kind LIKE 'sla.%'`,
    );
    const runner = m.app.get(SlaRunnerService);
    expect(await runner.runOnce()).toBe(6);
    expect(await runner.runOnce()).toBe(0);

    const events = await eventsOf(waiting.id);
    expect(events.map((e) => e.topic)).toEqual(['sla.reminded', 'sla.urged', 'sla.escalated']);
    expect(events[2]).toMatchObject({
      instance_id: late.id,
      payload: {
        instanceId: late.id,
        taskId: waiting.id,
        elementId: 'review',
        assigneeId: reviewer.id,
        serialNo: late.serialNo,
        initiatorId: reviewer.id,
        step: 'sla.escalate',
      },
    });
    expect((await jobsOf(waiting.id)).map((j) => j.status)).toEqual(['done', 'done', 'done']);
    expect(await eventsOf(done.id)).toEqual([]);
    expect((await jobsOf(done.id)).map((j) => j.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('arms the ladders of all the tasks one step creates with one statement, task by task in ladder order', async () => {
    // three parallel reviewers: with a due time, the start writes the nine steps in one statement more
    const xml = (key: string, due: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d_${key}" targetNamespace="http://flowdesk.example/${key}">
  <process id="${key}" isExecutable="true">
    <startEvent id="start" />
    <userTask id="review" camunda:assignee="\${reviewer}"${due}>
      <multiInstanceLoopCharacteristics isSequential="false" camunda:collection="\${reviewers}" camunda:elementVariable="reviewer" />
    </userTask>
    <endEvent id="end" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </process>
</definitions>`;
    const deploy = (key: string, due: string) =>
      m.call(
        WorkflowPattern.DefinitionDeploy,
        DeployDefinitionCommand.create({ xml: xml(key, due), actor: m.workflow.admin }),
      );
    const reviewers = ['31', '32', '33'];
    const statementsOfStart = async (key: string) => {
      const before = (await dbQueriesTotal.get()).values[0]?.value ?? 0;
      const started = await m.workflow.instance(key, reviewer, { reviewers });
      return { started, statements: ((await dbQueriesTotal.get()).values[0]?.value ?? 0) - before };
    };
    await deploy('sla_batch_none', '');
    await deploy('sla_batch_due', ' camunda:dueDate="PT1H"');
    // warm both (compiled definitions, serial counters) so the two starts differ in the ladder alone
    await m.workflow.instance('sla_batch_none', reviewer, { reviewers });
    await m.workflow.instance('sla_batch_due', reviewer, { reviewers });

    const none = await statementsOfStart('sla_batch_none');
    const due = await statementsOfStart('sla_batch_due');
    expect(due.statements - none.statements).toBe(1);

    const rows = await m.dataSource.query<{ kind: string; timer_id: string }[]>(
      `SELECT kind, timer_id FROM workflow.job WHERE instance_id = $1 ORDER BY id`,
      [due.started.id],
    );
    const tasks = await m.dataSource.query<{ id: string }[]>(
      `SELECT id::text AS id FROM workflow.task WHERE instance_id = $1 ORDER BY id`,
      [due.started.id],
    );
    expect(tasks).toHaveLength(3);
    expect(rows).toEqual(
      tasks.flatMap((task) =>
        ['sla.remind', 'sla.urge', 'sla.escalate'].map((kind) => ({ kind, timer_id: `${kind}:${task.id}` })),
      ),
    );
  });
});
