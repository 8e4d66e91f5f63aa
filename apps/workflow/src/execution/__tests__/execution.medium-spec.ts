import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  Actor,
  Command,
  CompleteTaskCommand,
  DeployDefinitionCommand,
  GetInstanceCommand,
  StartInstanceCommand,
} from '@app/contracts';
import { AfterCommit, createDataSource, TaskEntity, WORKFLOW_SCHEMA } from '@app/database';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { WorkflowEnv } from '../../config/workflow.env';
import { DefinitionRegistry } from '../../definitions/definition.registry';
import { DefinitionsRepository } from '../../definitions/definitions.repository';
import { DefinitionsService } from '../../definitions/definitions.service';
import { InstanceCommandsService } from '../../instances/commands/instance-commands.service';
import { InstanceQueriesService } from '../../instances/queries/instance-queries.service';
import { TaskCommandsService } from '../../tasks/commands/task-commands.service';
import { TaskSteps } from '../../tasks/commands/task-steps.service';
import { IncidentsRepository } from '../../incidents/incidents.repository';
import { ExternalTaskSyncService } from '../../external-tasks/external-task-sync.service';
import { ExternalTasksRepository } from '../../external-tasks/external-tasks.repository';
import { EventsRepository } from '../../events/events.repository';
import { OutboxSignal } from '../../events/outbox-signal';
import { SlaLadderService } from '../../sla/sla-ladder.service';
import { SlaRepository } from '../../sla/sla.repository';
import { TimerStartScheduleService } from '../../timer-starts/timer-start-schedule.service';
import { TimerStartsRepository } from '../../timer-starts/timer-starts.repository';
import { ExecutionRepository } from '../execution.repository';
import { HotEngines } from '../hot-engines';
import { JobWakeups } from '../job-wakeups';
import { ExecutionService } from '../execution.service';
import { IdempotencyRepository } from '../idempotency.repository';
import { IdempotencyService } from '../idempotency.service';
import { MovePlanner } from '../move-planner.service';
import { FormsRepository } from '../../forms/forms.repository';
import { FormsService } from '../../forms/forms.service';
import { InstancesRepository } from '../../instances/instances.repository';
import { RevokeRule } from '../../instances/revoke-rule';
import { UrgeRule } from '../../instances/urge-rule';
import { TasksRepository } from '../../tasks/tasks.repository';

const corpus = (name: string) =>
  readFileSync(join(__dirname, '../../engine/__tests__/fixtures/corpus', name), 'utf8');
const actor = (id: string, extra: Partial<Actor> = {}) =>
  Object.assign(new Actor(), {
    id,
    kind: 'staff',
    groupIds: [],
    roles: [],
    permissions: [],
    dataScope: 'own',
    departmentIds: [],
    ...extra,
  });
const admin = actor('1', { permissions: ['*'], dataScope: 'all' });

function make<T extends Command>(Cls: new () => T, data: object): T {
  return (Cls as unknown as { create(d: object): T }).create(data);
}

describe('durable execution core (services on a real database)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let definitions: DefinitionsService;
  let instances: InstanceCommandsService;
  let queries: InstanceQueriesService;
  let tasks: TaskCommandsService;

  beforeAll(async () => {
    db = await createTestDatabase('execution');
    dataSource = createDataSource(WORKFLOW_SCHEMA, { url: db.url, poolSize: 10 });
    await dataSource.initialize();
    const config = Object.assign(new WorkflowEnv(), { TZ_BUSINESS: 'Asia/Shanghai' });
    const definitionRows = new DefinitionsRepository(dataSource);
    const registry = new DefinitionRegistry(definitionRows, config);
    const executionRows = new ExecutionRepository();
    const incidents = new IncidentsRepository(dataSource);
    const afterCommit = new AfterCommit(dataSource);
    const execution = new ExecutionService(
      dataSource,
      registry,
      config,
      incidents,
      executionRows,
      new EventsRepository(dataSource, new OutboxSignal(afterCommit)),
      new SlaLadderService(new SlaRepository()),
      new ExternalTaskSyncService(new ExternalTasksRepository(dataSource), incidents),
      new HotEngines(config),
      new JobWakeups(afterCommit),
    );
    definitions = new DefinitionsService(
      registry,
      definitionRows,
      new TimerStartScheduleService(new TimerStartsRepository()),
    );
    const planner = new MovePlanner(execution, executionRows);
    const idempotency = new IdempotencyService(new IdempotencyRepository());
    const instanceRows = new InstancesRepository(dataSource);
    const formRows = new FormsRepository(dataSource);
    const taskRows = new TasksRepository(dataSource);
    const revokeRule = new RevokeRule(instanceRows, planner);
    const urgeRule = new UrgeRule(instanceRows, config);
    queries = new InstanceQueriesService(
      instanceRows,
      formRows,
      registry,
      revokeRule,
      urgeRule,
      execution,
      config,
    );
    instances = new InstanceCommandsService(
      instanceRows,
      formRows,
      queries,
      execution,
      registry,
      planner,
      revokeRule,
      urgeRule,
      idempotency,
    );
    const forms = new FormsService(formRows, registry, queries);
    const steps = new TaskSteps(taskRows, instanceRows, execution, idempotency);
    tasks = new TaskCommandsService(steps, taskRows, execution, planner, forms);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('runs the parallel leave process (rvp-leave3) to its end with tasks, history and events', async () => {
    const definition = await definitions.deploy(
      make(DeployDefinitionCommand, { xml: corpus('rvp-leave3-parallel.bpmn'), actor: admin }),
    );
    expect(definition.version).toBe(1);
    const started = await instances.start(
      make(StartInstanceCommand, { definitionId: definition.id, actor: admin }),
    );
    expect(started.serialNo).toMatch(/^\w+_\d{6}_0001$/);
    expect(started.tasks.map((t) => t.name)).toEqual(['申请人']);

    const afterApply = await tasks.complete(
      make(CompleteTaskCommand, { taskId: started.tasks[0].id, actor: admin }),
    );
    expect(afterApply.createdTasks.map((t) => t.name).sort()).toEqual(['科研部门', '综合部门'].sort());

    for (const task of afterApply.createdTasks) {
      const by = task.assigneeId === '1' ? admin : actor('3');
      await tasks.complete(make(CompleteTaskCommand, { taskId: task.id, actor: by.id === '3' ? admin : by }));
    }
    const open = await dataSource
      .getRepository(TaskEntity)
      .findBy({ instanceId: started.id, status: 'open' });
    expect(open.map((t) => t.name)).toEqual(['总经理']);
    const last = await tasks.complete(
      make(CompleteTaskCommand, { taskId: open[0].id, actor: admin, comment: 'ok' }),
    );
    expect(last.instanceStatus).toBe('completed');

    const detail = await queries.get(make(GetInstanceCommand, { id: started.id, actor: admin }));
    expect(detail.status).toBe('completed');
    expect(
      detail.history.filter((h) => h.elementType === 'bpmn:UserTask' || h.elementType === 'userTask').length,
    ).toBeGreaterThanOrEqual(4);
    expect(detail.history.every((h) => h.leftAt !== null)).toBe(true);
    expect(detail.comments).toEqual([expect.objectContaining({ type: 'normal', message: 'ok' })]);
    const topics = await dataSource.query(
      `SELECT topic, count(*)::int AS n FROM workflow.outbox_event WHERE instance_id = $1 GROUP BY topic ORDER BY topic`,
      [started.id],
    );
    expect(topics).toEqual(
      expect.arrayContaining([
        { topic: 'instance.ended', n: 1 },
        { topic: 'instance.started', n: 1 },
        { topic: 'task.completed', n: 4 },
        { topic: 'task.created', n: 4 },
      ]),
    );
  });

  it('a process that ends inside its start step sends instance.started and instance.ended with its serial number', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t">
  <process id="endsAtOnce" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;
    const definition = await definitions.deploy(make(DeployDefinitionCommand, { xml, actor: admin }));
    const started = await instances.start(
      make(StartInstanceCommand, { definitionId: definition.id, actor: admin }),
    );
    expect(started.status).toBe('completed');
    expect(started.serialNo).toMatch(/^\w+_\d{6}_\d{4,}$/);
    const events = (await dataSource.query(
      `SELECT topic, payload->>'serialNo' AS "serialNo" FROM workflow.outbox_event WHERE instance_id = $1 ORDER BY topic`,
      [started.id],
    )) as { topic: string; serialNo: string }[];
    expect(events).toEqual([
      { topic: 'instance.ended', serialNo: started.serialNo },
      { topic: 'instance.started', serialNo: started.serialNo },
    ]);
  });
});
