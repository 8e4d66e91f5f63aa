import {
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { corpusXml, deploy, instance, ok, start, type TaskView, until } from './workflow-helpers';

/**
 * Issue 14, first acceptance line: every file of the conformance corpus
 * (/work/shared/bpmn-corpus/SOURCES.md, copied to apps/workflow/src/engine/__tests__/fixtures/corpus)
 * deployed through the gateway and driven along the path its upstream Java test expects, or refused
 * at deploy naming the element. The same paths as the engine fixtures (conformance*.spec.ts), here
 * through HTTP: every step is a command that recovers the instance from PostgreSQL. The stack's stop
 * checks that no ended instance keeps an open history row.
 */
describe('BPMN conformance corpus through the HTTP API', () => {
  let stack: Stack;
  let admin: TestSession;
  /** Takes over tasks assigned to people the files name but this directory does not hold (kermit, "2"). */
  let clerk: TestSession;
  /** flowable-timer-start-cycles-cron, deployed in beforeAll: a plain start's status, its suspension at +17 s. */
  let cyclesPlainStart: number;
  let cyclesSuspended: Promise<void>;

  beforeAll(async () => {
    // the timer-start file's Java test schedules every 5 s: an operator lowers the minimum cycle
    stack = await startStack({
      label: 'bpmn_corpus',
      workflowEnv: { BPMN_MIN_TIMER_CYCLE_MS: '1000' },
    });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    const created = await createStaff(admin.http, { account: 'corpus_clerk', roleIds: [staff] });
    clerk = await loginAs(stack.http, created.account, created.password);
    // The timer-start file's schedules must run for 17 s before its test reads them: deployed here and
    // suspended by a timer at +17 s; that test is the file's last, so the others run in the meantime.
    const deployedAt = Date.now();
    const cycles = await deploy(admin.http, corpusXml('flowable-timer-start-cycles-cron.bpmn'));
    cyclesPlainStart = (
      await admin.http.post('/api/v1/workflow/instances', { definitionKey: 'multipleTimerStartEvents' })
    ).status;
    cyclesSuspended = new Promise((r) => setTimeout(r, Math.max(0, deployedAt + 17_000 - Date.now()))).then(
      async () => {
        const answer = await admin.http.patch(`/api/v1/workflow/definitions/${cycles.id}`, {
          suspended: true,
        });
        ok(answer, 'suspend');
      },
    );
    cyclesSuspended.catch(() => undefined); // its test awaits it and reports a failure
  });
  afterAll(() => stack?.stop());

  const open = async (id: string): Promise<TaskView[]> =>
    (await instance(admin.http, id)).tasks
      .filter((t) => t.status === 'open')
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const names = async (id: string) => (await open(id)).map((t) => t.name);
  const status = async (id: string) => (await instance(admin.http, id)).status;
  const entered = async (id: string, elementId: string) =>
    (await instance(admin.http, id)).history!.filter((h) => h.elementId === elementId).length;
  const active = async (id: string) =>
    ok<{ activeActivityIds: string[] }>(await admin.http.get(`/api/v1/workflow/instances/${id}/diagram`))
      .activeActivityIds;

  /** Completes a task as the administrator, or hands it to the clerk (an admin may transfer any task). */
  async function finish(task: TaskView, variables?: Record<string, unknown>): Promise<void> {
    const path = `/api/v1/workflow/tasks/${task.id}/complete`;
    let answer = await admin.http.post(path, variables ? { variables } : {});
    if (answer.status === 403) {
      ok(
        await admin.http.post(`/api/v1/workflow/tasks/${task.id}/transfer`, { userId: clerk.staffId }),
        'transfer',
      );
      answer = await clerk.http.post(path, variables ? { variables } : {});
    }
    ok(answer, `complete ${task.name}`);
  }

  /** Completes the one open task called `name` of the instance. */
  async function completeNamed(id: string, name: string, variables?: Record<string, unknown>) {
    const matching = (await open(id)).filter((t) => t.name === name);
    if (matching.length === 0) throw new Error(`no open task '${name}' among [${(await names(id)).join()}]`);
    await finish(matching[0]!, variables);
  }

  async function refused(file: string): Promise<{ fields: string[]; msg: string }> {
    const res = await admin.http.post<EnvelopeBody>('/api/v1/workflow/deployments', { xml: corpusXml(file) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 4101, reason: 'INVALID_DEFINITION' });
    return { fields: (res.body.errors ?? []).map((e) => e.field), msg: res.body.msg };
  }

  async function runJob(instanceId: string, elementId: string): Promise<void> {
    const jobs = ok<{ id: string; elementId: string }[]>(
      await admin.http.get(`/api/v1/workflow/jobs?instanceId=${instanceId}&status=pending`),
    );
    const job = jobs.find((j) => j.elementId === elementId);
    if (!job) throw new Error(`no pending job on ${elementId}: ${JSON.stringify(jobs)}`);
    ok(await admin.http.post(`/api/v1/workflow/jobs/${job.id}/execute`), 'execute job');
    await until(
      async () => {
        const left = ok<{ id: string }[]>(
          await admin.http.get(`/api/v1/workflow/jobs?instanceId=${instanceId}&status=pending`),
        );
        return left.some((j) => j.id === job.id) ? undefined : true;
      },
      15_000,
      `job ${elementId}`,
    );
  }

  async function message(id: string, name: string, variables?: Record<string, unknown>) {
    ok(
      await admin.http.post(`/api/v1/workflow/instances/${id}/messages`, {
        kind: 'message',
        name,
        ...(variables && { variables }),
      }),
      `message ${name}`,
    );
  }

  describe('first set: approval flows, gateways, multi-instance, timers, call activities', () => {
    it('rvp-leave2: conditional flow out of a user task with default= (leaveDays 5 and 1)', async () => {
      await deploy(admin.http, corpusXml('rvp-leave2-exclusive-conditional-flow.bpmn'));
      const long = await start(admin.http, { definitionKey: 'leave2' });
      expect(await names(long.id)).toEqual(['申请人']);
      await completeNamed(long.id, '申请人');
      await completeNamed(long.id, '组长', { entity: { leaveDays: 5 } });
      expect(await names(long.id)).toEqual(['总经理']);
      await completeNamed(long.id, '总经理');
      expect(await status(long.id)).toBe('completed');
      expect(await entered(long.id, 'Activity_0iw78d3')).toBe(0);

      const short = await start(admin.http, { definitionKey: 'leave2' });
      await completeNamed(short.id, '申请人');
      await completeNamed(short.id, '组长', { entity: { leaveDays: 1 } });
      const [leader] = await open(short.id);
      expect(leader).toMatchObject({ name: '部门领导', assigneeId: null });
      expect(leader!.candidates).toEqual(['group:1', 'group:2', 'group:3', 'group:4']);
      await finish(leader!);
      expect(await status(short.id)).toBe('completed');
      expect(await entered(short.id, 'Activity_1ex621m')).toBe(0);
    });

    it.each([
      ['科研部门', '综合部门'],
      ['综合部门', '科研部门'],
    ])('rvp-leave3: parallel fork, %s then %s, join', async (first, second) => {
      await deploy(admin.http, corpusXml('rvp-leave3-parallel.bpmn'));
      const run = await start(admin.http, { definitionKey: 'leave3' });
      await completeNamed(run.id, '申请人');
      expect(await names(run.id)).toEqual(['科研部门', '综合部门'].sort((a, b) => a.localeCompare(b)));
      await completeNamed(run.id, first);
      expect(await names(run.id)).toEqual([second]);
      await completeNamed(run.id, second);
      expect(await names(run.id)).toEqual(['总经理']);
      await completeNamed(run.id, '总经理');
      expect(await status(run.id)).toBe('completed');
    });

    it('rvp-leave4: inclusive split and join (leaveDays 1: one branch; 3: both)', async () => {
      await deploy(admin.http, corpusXml('rvp-leave4-inclusive.bpmn'));
      const one = await start(admin.http, { definitionKey: 'leave4' });
      await completeNamed(one.id, '申请人', { entity: { leaveDays: 1 } });
      expect(await names(one.id)).toEqual(['科研部门']);
      await completeNamed(one.id, '科研部门');
      expect(await names(one.id)).toEqual(['总经理']);
      await completeNamed(one.id, '总经理');
      expect(await status(one.id)).toBe('completed');

      const both = await start(admin.http, { definitionKey: 'leave4' });
      await completeNamed(both.id, '申请人', { entity: { leaveDays: 3 } });
      expect((await names(both.id)).sort()).toEqual(['科研部门', '综合部门'].sort());
      await completeNamed(both.id, '综合部门');
      expect(await names(both.id)).toEqual(['科研部门']);
      await completeNamed(both.id, '科研部门');
      await completeNamed(both.id, '总经理');
      expect(await status(both.id)).toBe('completed');
    });

    it('rvp-leave5: sequential then parallel countersign, every instance completes', async () => {
      await deploy(admin.http, corpusXml('rvp-leave5-countersign-mi.bpmn'));
      const run = await start(admin.http, {
        definitionKey: 'leave5',
        variables: { userList: ['1', '2'], userList2: ['3', '4'] },
      });
      await completeNamed(run.id, '申请人');
      expect((await open(run.id)).map((t) => t.assigneeId)).toEqual(['1']);
      await completeNamed(run.id, '串行会签');
      expect((await open(run.id)).map((t) => t.assigneeId)).toEqual(['2']);
      await completeNamed(run.id, '串行会签');
      const parallel = await open(run.id);
      expect(parallel.map((t) => [t.name, t.assigneeId]).sort()).toEqual([
        ['并行会签', '3'],
        ['并行会签', '4'],
      ]);
      await finish(parallel.find((t) => t.assigneeId === '4')!);
      expect((await open(run.id)).map((t) => t.assigneeId)).toEqual(['3']);
      await completeNamed(run.id, '并行会签');
      expect(await names(run.id)).toEqual(['总经理']);
      await completeNamed(run.id, '总经理');
      expect(await status(run.id)).toBe('completed');
    });

    it('rvp-leave6: embedded sub-process 申请人 → 组长 → 部门副经理 → 部门经理 → 总经理', async () => {
      await deploy(admin.http, corpusXml('rvp-leave6-embedded-subprocess.bpmn'));
      const run = await start(admin.http, { definitionKey: 'leave6' });
      for (const name of ['申请人', '组长', '部门副经理', '部门经理', '总经理']) {
        expect(await names(run.id)).toEqual([name]);
        await completeNamed(run.id, name);
      }
      expect(await status(run.id)).toBe('completed');
    });

    it('camunda-mi-parallel-collection-completion: 3 of 5 end the node; an empty list ends at once', async () => {
      await deploy(admin.http, corpusXml('camunda-mi-parallel-collection-completion.bpmn'));
      const assigneeList = ['kermit', 'gonzo', 'mispiggy', 'fozzie', 'bubba'];
      const run = await start(admin.http, {
        definitionKey: 'miParallelUserTasksBasedOnCollection',
        variables: { assigneeList },
      });
      const tasks = await open(run.id);
      expect(tasks.map((t) => t.assigneeId).sort()).toEqual([...assigneeList].sort());
      expect(tasks.map((t) => t.name)).toEqual([
        'My Task 0',
        'My Task 1',
        'My Task 2',
        'My Task 3',
        'My Task 4',
      ]);
      for (const who of ['fozzie', 'kermit']) await finish(tasks.find((t) => t.assigneeId === who)!);
      expect(await open(run.id)).toHaveLength(3);
      await finish(tasks.find((t) => t.assigneeId === 'bubba')!);
      expect(await status(run.id)).toBe('completed');
      expect(await open(run.id)).toEqual([]);

      const empty = await start(admin.http, {
        definitionKey: 'miParallelUserTasksBasedOnCollection',
        variables: { assigneeList: [] },
      });
      expect(empty.status).toBe('completed');
    });

    it('camunda-parallel-nested-fork-join: Join_B, then Join_AB, then Task C', async () => {
      await deploy(admin.http, corpusXml('camunda-parallel-nested-fork-join.bpmn'));
      const run = await start(admin.http, { definitionKey: 'nestedForkJoin' });
      await completeNamed(run.id, 'Task 0');
      expect(await names(run.id)).toEqual(['Task A', 'Task B']);
      await completeNamed(run.id, 'Task A');
      expect(await names(run.id)).toEqual(['Task B']);
      await completeNamed(run.id, 'Task B');
      expect(await names(run.id)).toEqual(['Task B1', 'Task B2']);
      await completeNamed(run.id, 'Task B1');
      await completeNamed(run.id, 'Task B2');
      expect(await names(run.id)).toEqual(['Task C']);
      await completeNamed(run.id, 'Task C');
      expect(await status(run.id)).toBe('completed');
    });

    it('camunda-inclusive-split-merge: input=1 → Task 1 and 2, then one Task 3; input=2 → Task 2 only', async () => {
      await deploy(admin.http, corpusXml('camunda-inclusive-split-merge.bpmn'));
      const one = await start(admin.http, {
        definitionKey: 'inclusiveGwSplitAndMerge',
        variables: { input: 1 },
      });
      expect(await names(one.id)).toEqual(['Task 1', 'Task 2']);
      await completeNamed(one.id, 'Task 1');
      expect(await names(one.id)).toEqual(['Task 2']);
      await completeNamed(one.id, 'Task 2');
      expect(await names(one.id)).toEqual(['Task 3']);
      await completeNamed(one.id, 'Task 3');
      expect(await status(one.id)).toBe('completed');
      expect(await entered(one.id, 'theTask3')).toBe(1);

      const two = await start(admin.http, {
        definitionKey: 'inclusiveGwSplitAndMerge',
        variables: { input: 2 },
      });
      expect(await names(two.id)).toEqual(['Task 2']);
      await completeNamed(two.id, 'Task 2');
      await completeNamed(two.id, 'Task 3');
      expect(await status(two.id)).toBe('completed');
      expect(await entered(two.id, 'theTask1')).toBe(0);
    });

    it('camunda-boundary-timer-escalation: the timer job escalates; completing first cancels it', async () => {
      await deploy(admin.http, corpusXml('camunda-boundary-timer-escalation.bpmn'));
      const late = await start(admin.http, { definitionKey: 'escalationExample' });
      expect((await open(late.id)).map((t) => [t.name, t.assigneeId])).toEqual([
        ['First line support', 'kermit'],
      ]);
      await runJob(late.id, 'escalationTimer');
      const [escalated] = await open(late.id);
      expect(escalated).toMatchObject({ name: 'Handle escalated issue', candidates: ['group:management'] });
      await finish(escalated!);
      expect(await status(late.id)).toBe('completed');
      expect(await entered(late.id, 'escalatedEnd')).toBe(1);
      expect(await entered(late.id, 'normalEnd')).toBe(0);

      const onTime = await start(admin.http, { definitionKey: 'escalationExample' });
      await completeNamed(onTime.id, 'First line support');
      expect(await status(onTime.id)).toBe('completed');
      const jobs = ok<{ status: string }[]>(
        await admin.http.get(`/api/v1/workflow/jobs?instanceId=${onTime.id}`),
      );
      expect(jobs.map((j) => j.status)).toEqual(['cancelled']);
      expect(await entered(onTime.id, 'handleEscalation')).toBe(0);
    });

    it('flowable-boundary-and-intermediate-timers: reminder, intermediate timer, then PT4H ends it', async () => {
      await deploy(admin.http, corpusXml('flowable-boundary-and-intermediate-timers.bpmn'));
      const run = await start(admin.http, { definitionKey: 'threeTimersProcess' });
      expect((await instance(admin.http, run.id)).variables).toMatchObject({ initiator: admin.staffId });
      expect(await names(run.id)).toEqual(['First Task']);
      await runJob(run.id, 'reminderTimer');
      expect(await names(run.id)).toEqual(['First Task', 'Reminder Task']);
      await completeNamed(run.id, 'Reminder Task');
      await runJob(run.id, 'afterReminderTimer');
      expect(await status(run.id)).toBe('running');
      expect(await names(run.id)).toEqual(['First Task']);
      await runJob(run.id, 'fireExecution');
      expect(await status(run.id)).toBe('completed');
      const first = (await instance(admin.http, run.id)).history!.find((h) => h.elementId === 'firstTask');
      expect(first).toMatchObject({ outcome: 'cancelled' });
    });

    it('camunda-callactivity-in-out (+ simple sub-process): variables in and out of two children', async () => {
      await deploy(admin.http, corpusXml('camunda-callactivity-simple-subprocess.bpmn'));
      await deploy(admin.http, corpusXml('camunda-callactivity-in-out.bpmn'));
      const parent = await start(admin.http, {
        definitionKey: 'subProcessDataInputOutput',
        variables: { superVariable: 'Hello from the super process.' },
      });
      const child = async () => {
        const rows = ok<{ rows: { id: string; parentInstanceId: string; status: string }[] }>(
          await admin.http.get(
            '/api/v1/workflow/instances?scope=started&definitionKey=simpleSubProcess&pageSize=200',
          ),
        ).rows;
        return rows.find((r) => r.parentInstanceId === parent.id && r.status === 'running')!;
      };
      const first = await child();
      expect((await instance(admin.http, first.id)).variables).toMatchObject({
        subVariable: 'Hello from the super process.',
      });
      await completeNamed(first.id, 'Task in subprocess', { subVariable: 'Hello from sub process.' });
      expect((await instance(admin.http, parent.id)).variables).toMatchObject({
        superVariable: 'Hello from sub process.',
      });
      await completeNamed(parent.id, 'Task in super process', { x: 5 });
      const second = await child();
      expect((await instance(admin.http, second.id)).variables).toMatchObject({ y: 10 });
      await completeNamed(second.id, 'Task in subprocess');
      expect((await instance(admin.http, parent.id)).variables).toMatchObject({ z: 15 });
      await completeNamed(parent.id, 'Task in super process');
      expect(await status(parent.id)).toBe('completed');
    });

    it.each([
      ['REFUSE-camunda-groovy-script-mi.bpmn', 'miScriptTask'],
      ['REFUSE-camunda-examples-javascript-script.bpmn', 'ScriptTask_1'],
      ['REFUSE-camunda-examples-java-class-service.bpmn', 'ServiceTask_1'],
    ])('%s is refused at deploy naming %s', async (file, elementId) => {
      const { fields, msg } = await refused(file);
      expect(fields).toContain(`xml#${elementId}`);
      expect(msg).toContain(elementId);
    });
  });

  describe('second set: events, event sub-processes, timers, external workers', () => {
    it('camunda-error-event-subprocess-code-precedence: the specific code and the event sub-process win', async () => {
      await deploy(admin.http, corpusXml('camunda-error-event-subprocess-code-precedence.bpmn'));
      const run = await start(admin.http, { definitionKey: 'CatchErrorInEmbeddedSubProcess' });
      const tasks = await open(run.id);
      expect(tasks.map((t) => [t.elementId, t.name])).toEqual([['taskAfterErrorCatch2', 'Escalated Task']]);
      await finish(tasks[0]!);
      expect(await status(run.id)).toBe('completed');
      expect(await entered(run.id, 'taskAfterErrorCatch')).toBe(0);
    });

    it('camunda-timer-event-subprocess-error-boundary: the R/PT10S job fires, its error leaves the sub-process to the boundary', async () => {
      await deploy(admin.http, corpusXml('camunda-timer-event-subprocess-error-boundary.bpmn'));
      const pendingJobs = async (id: string) =>
        ok<{ id: string; elementId: string }[]>(
          await admin.http.get(`/api/v1/workflow/jobs?instanceId=${id}&status=pending`),
        );
      const run = await start(admin.http, { definitionKey: 'eventSubProcess' });
      expect(await names(run.id)).toEqual(['inside subprocess']);
      // the timer is a job row of the running sub-process (the poller would fire it after 10 s)
      const jobs = await pendingJobs(run.id);
      expect(jobs.map((j) => j.elementId)).toEqual(['StartEvent_eventsub']);
      const fire = await admin.http.post(`/api/v1/workflow/jobs/${jobs[0]!.id}/execute`);
      expect([200, 409]).toContain(fire.status); // 409: the poller fired it first
      await until(
        async () => ((await names(run.id)).join() === 'after catch' ? true : undefined),
        15_000,
        'after catch',
      );
      // the boundary interrupted the sub-process: the inside task is cancelled, the cycle not rescheduled
      expect(await pendingJobs(run.id)).toEqual([]);
      const inside = (await instance(admin.http, run.id)).history!.find(
        (h) => h.elementId === 'UserTask_inside',
      );
      expect(inside).toMatchObject({ outcome: 'cancelled' });
      await completeNamed(run.id, 'after catch');
      expect(await status(run.id)).toBe('completed');
      expect(await entered(run.id, 'EndEvent_afterCatch')).toBe(1);

      // normal path: the inside task is completed before the timer (due 10 s after the start)
      const normal = await start(admin.http, { definitionKey: 'eventSubProcess' });
      await completeNamed(normal.id, 'inside subprocess');
      expect(await status(normal.id)).toBe('completed');
      expect(await pendingJobs(normal.id)).toEqual([]);
      expect(await entered(normal.id, 'EndEvent_1')).toBe(1);
      expect(await entered(normal.id, 'SubProcess_event')).toBe(0);
    });

    it('flowable-message-event-subprocess-non-interrupting: messages add tasks at both levels', async () => {
      await deploy(admin.http, corpusXml('flowable-message-event-subprocess-non-interrupting.bpmn'));
      const run = await start(admin.http, { definitionKey: 'startingAdditionalTasks' });
      // $INITIATOR (Flowable modeler placeholder) is the starter
      expect((await open(run.id)).map((t) => [t.name, t.assigneeId])).toEqual([['Task 1', admin.staffId]]);
      await completeNamed(run.id, 'Task 1');
      expect(await names(run.id)).toEqual(['Sub task 1']);
      await message(run.id, 'Start another sub task');
      expect(await names(run.id)).toEqual(['Additional sub task', 'Sub task 1']);
      await message(run.id, 'Start another task');
      expect(await names(run.id)).toEqual(['Additional sub task', 'Additional task', 'Sub task 1']);
      await completeNamed(run.id, 'Additional task');
      expect(await open(run.id)).toHaveLength(2);
      await completeNamed(run.id, 'Sub task 1');
      expect(await names(run.id)).toEqual(['Additional sub task']);
      await completeNamed(run.id, 'Additional sub task');
      expect(await names(run.id)).toEqual(['Task 2']);
      await completeNamed(run.id, 'Task 2');
      expect(await status(run.id)).toBe('completed');

      const quiet = await start(admin.http, { definitionKey: 'startingAdditionalTasks' });
      for (const name of ['Task 1', 'Sub task 1', 'Task 2']) {
        expect(await names(quiet.id)).toEqual([name]);
        await completeNamed(quiet.id, name);
      }
      expect(await status(quiet.id)).toBe('completed');

      // testStartingAdditionalTasksWithNestedEventSubProcess: each message a run, side by side
      const twice = await start(admin.http, { definitionKey: 'startingAdditionalTasks' });
      await message(twice.id, 'Start another task');
      await message(twice.id, 'Start another task');
      expect(await names(twice.id)).toEqual(['Additional task', 'Additional task', 'Task 1']);
      for (const name of ['Task 1', 'Sub task 1', 'Task 2']) await completeNamed(twice.id, name);
      expect(await names(twice.id)).toEqual(['Additional task', 'Additional task']);
      expect(await status(twice.id)).toBe('running');
      await completeNamed(twice.id, 'Additional task');
      await completeNamed(twice.id, 'Additional task');
      expect(await status(twice.id)).toBe('completed');
    });

    it('flowable-message-event-subprocess-interrupting: the sub message cancels subTask1; the main one cancels all', async () => {
      await deploy(admin.http, corpusXml('flowable-message-event-subprocess-interrupting.bpmn'));
      const run = await start(admin.http, { definitionKey: 'startingAdditionalTasks' });
      await completeNamed(run.id, 'Task 1');
      await message(run.id, 'Start another sub task');
      expect(await names(run.id)).toEqual(['Additional sub task']);
      const sub = (await instance(admin.http, run.id)).history!.find((h) => h.elementId === 'subTask1');
      expect(sub).toMatchObject({ outcome: 'cancelled' });
      await completeNamed(run.id, 'Additional sub task');
      expect(await names(run.id)).toEqual(['Task 2']);
      await completeNamed(run.id, 'Task 2');
      expect(await status(run.id)).toBe('completed');

      const main = await start(admin.http, { definitionKey: 'startingAdditionalTasks' });
      await completeNamed(main.id, 'Task 1');
      await message(main.id, 'Start another sub task');
      await message(main.id, 'Start another task');
      expect(await names(main.id)).toEqual(['Additional task']);
      await completeNamed(main.id, 'Additional task');
      expect(await status(main.id)).toBe('completed');
      expect(await entered(main.id, 'task2')).toBe(0);
    });

    it('flowable-signal-start-throw-boundary is refused naming a second process of the document', async () => {
      const { fields, msg } = await refused('flowable-signal-start-throw-boundary.bpmn');
      expect(fields).toContain('xml#processWithSignalStart2');
      expect(msg).toMatch(/only one executable process per document/);
    });

    it.each([
      ['an ISO instant', () => new Date(Date.now() - 1000).toISOString()],
      ['a local date-time without zone', () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 19)],
    ])(
      'camunda-timer-date-expression: #{dueDate} as %s is due at once and the instance ends',
      async (_, due) => {
        await deploy(admin.http, corpusXml('camunda-timer-date-expression.bpmn'));
        const run = await start(admin.http, {
          definitionKey: 'intermediateTimerEventExample',
          variables: { dueDate: due() },
        });
        await until(async () => ((await status(run.id)) === 'completed' ? true : undefined), 15_000, 'timer');
        expect(await entered(run.id, 'theEnd')).toBe(1);
        const jobs = ok<{ status: string }[]>(
          await admin.http.get(`/api/v1/workflow/jobs?instanceId=${run.id}&status=pending`),
        );
        expect(jobs).toEqual([]);
      },
    );

    it('camunda-message-start-and-none-start: a plain start takes the none start, a message the message start', async () => {
      await deploy(admin.http, corpusXml('camunda-message-start-and-none-start.bpmn'));
      const plain = await start(admin.http, { definitionKey: 'testProcess' });
      expect((await open(plain.id)).map((t) => t.elementId)).toEqual(['taskAfterNoneStart']);
      await completeNamed(plain.id, 'Task');
      expect(await status(plain.id)).toBe('completed');
      expect(await entered(plain.id, 'messageStart')).toBe(0);

      const started = ok<{ instanceId: string; started: boolean }>(
        await admin.http.post('/api/v1/workflow/messages', { name: 'newInvoiceMessage' }),
      );
      expect(started.started).toBe(true);
      expect((await open(started.instanceId)).map((t) => t.elementId)).toEqual(['taskAfterMessageStart']);
      await completeNamed(started.instanceId, 'Task');
      expect(await status(started.instanceId)).toBe('completed');
      expect(await entered(started.instanceId, 'noneStart')).toBe(0);
    });

    it.each([
      ['task in subprocess', 'task after catched escalation'],
      ['task after catched escalation', 'task in subprocess'],
    ])('camunda-escalation-end-boundary: both tasks open; %s then %s', async (first, second) => {
      await deploy(admin.http, corpusXml('camunda-escalation-end-boundary.bpmn'));
      const run = await start(admin.http, { definitionKey: 'escalationProcess' });
      expect(await names(run.id)).toEqual(['task after catched escalation', 'task in subprocess']);
      await completeNamed(run.id, first);
      expect(await names(run.id)).toEqual([second]);
      expect(await status(run.id)).toBe('running');
      await completeNamed(run.id, second);
      expect(await status(run.id)).toBe('completed');
      expect(await entered(run.id, 'theEnd')).toBe(2);
    });

    it('camunda-link-events: link pairs by name; receive tasks without a message are triggered', async () => {
      await deploy(admin.http, corpusXml('camunda-link-events.bpmn'));
      const run = await start(admin.http, { definitionKey: 'linkEventValid' });
      expect(await open(run.id)).toEqual([]);
      expect(await active(run.id)).toContain('waitAfterLink1');
      const trigger = (elementId: string) =>
        admin.http.post<EnvelopeBody<{ status: string }>>(`/api/v1/workflow/instances/${run.id}/trigger`, {
          elementId,
        });
      // only the receive task that waits can be triggered
      expect((await trigger('waitAfterLink2')).body).toMatchObject({ code: 4090 });
      expect(ok<{ status: string }>(await trigger('waitAfterLink1')).status).toBe('running');
      expect(await active(run.id)).toContain('waitAfterLink2');
      expect(await active(run.id)).not.toContain('waitAfterLink1');
      expect(ok<{ status: string }>(await trigger('waitAfterLink2')).status).toBe('completed');
      expect(await entered(run.id, 'EndEvent_1')).toBe(1);
    });

    it.each([
      [2, ['A', 'B', 'C']],
      [20, ['B', 'C']],
      [200, ['C']],
    ])(
      'flowable-conditions-without-gateway: input=%s takes every true condition → %j',
      async (input, expected) => {
        await deploy(admin.http, corpusXml('flowable-conditions-without-gateway.bpmn'));
        const run = await start(admin.http, { definitionKey: 'testConditions', variables: { input } });
        await finish((await open(run.id))[0]!);
        expect(await names(run.id)).toEqual(expected);
        for (const name of expected) await completeNamed(run.id, name);
        expect(await status(run.id)).toBe('completed');
      },
    );

    // both fire by their job (PT0S is due at once: the job runner takes it on its next poll), as
    // Camunda's job executor; the message-first path of the Java test is conformance-events.spec's
    it.each(['PT0S', 'PT1S'])(
      'camunda-event-gateway-message-signal-timer: %s wins, the other two are gone',
      async (duration) => {
        await deploy(
          admin.http,
          corpusXml('camunda-event-gateway-message-signal-timer.bpmn').replace('PT0S', duration),
        );
        const run = await start(admin.http, { definitionKey: 'catchSignal' });
        const tasks = await until(
          async () => {
            const now = await open(run.id);
            return now.length ? now : undefined;
          },
          15_000,
          `the ${duration} timer`,
        );
        const history = (await instance(admin.http, run.id)).history!;
        expect(history.filter((h) => h.leftAt === null).map((h) => h.elementId)).toEqual(['task1']);
        expect(history.find((h) => h.elementId === 'timerEvent')?.outcome).toBe('completed');
        expect(tasks.map((t) => [t.name, t.assigneeId])).toEqual([['afterTimer', 'kermit']]);
        const late = await admin.http.post(`/api/v1/workflow/instances/${run.id}/messages`, {
          kind: 'message',
          name: 'newInvoice',
        });
        expect(late.status).not.toBe(200);
        ok(await admin.http.post('/api/v1/workflow/signals', { name: 'alert' }));
        expect(await names(run.id)).toEqual(['afterTimer']);
        await finish(tasks[0]!);
        expect(await status(run.id)).toBe('completed');
        expect(await entered(run.id, 'task2')).toBe(0);
        expect(await entered(run.id, 'task3')).toBe(0);
      },
    );

    /** A worker (here the administrator, who holds every permission) fetches and locks one topic. */
    async function fetchOne(workerId: string, topicName: string, instanceId: string, lockDuration = 60_000) {
      const locked = ok<{ id: string; instanceId: string; elementId: string }[]>(
        await admin.http.post('/api/v1/workflow/external-tasks/fetch-and-lock', {
          workerId,
          maxTasks: 4,
          topics: [{ topicName, lockDuration }],
        }),
        'fetch-and-lock',
      );
      return locked.filter((t) => t.instanceId === instanceId);
    }
    const worker = (id: string, action: string, body: object) =>
      admin.http.post(`/api/v1/workflow/external-tasks/${id}/${action}`, body);

    it('camunda-external-task-error-event-subprocess: a worker BPMN error after its lock expired runs the error event sub-process', async () => {
      await deploy(admin.http, corpusXml('camunda-external-task-error-event-subprocess.bpmn'));
      const run = await start(admin.http, { definitionKey: 'oneExternalTaskProcess' });
      expect(await open(run.id)).toEqual([]);
      const [task] = await fetchOne('aWorkerId', 'externalTaskTopic', run.id, 200);
      expect(task).toMatchObject({ elementId: 'externalTask_1' });
      await new Promise((r) => setTimeout(r, 400)); // the lock expires; nobody else took it
      ok(
        await worker(task!.id, 'bpmn-error', {
          workerId: 'aWorkerId',
          errorCode: 'ERROR-SPEC-10',
          errorMessage: 'Some meaningful message',
        }),
        'bpmn-error',
      );
      expect(await fetchOne('aWorkerId', 'externalTaskTopic', run.id)).toEqual([]);
      expect((await open(run.id)).map((t) => t.elementId)).toEqual(['afterBpmnError']);
      expect((await instance(admin.http, run.id)).variables).toEqual({
        errorMessageVariable: 'Some meaningful message',
      });
      await completeNamed(run.id, (await open(run.id))[0]!.name);
      expect(await status(run.id)).toBe('completed');
      expect(await entered(run.id, 'EndEvent_2')).toBe(1);

      const plain = await start(admin.http, { definitionKey: 'oneExternalTaskProcess' });
      const [other] = await fetchOne('aWorkerId', 'externalTaskTopic', plain.id);
      ok(await worker(other!.id, 'complete', { workerId: 'aWorkerId' }), 'complete');
      expect(await status(plain.id)).toBe('completed');
      expect(await entered(plain.id, 'EndEvent_1')).toBe(1);
      expect(await entered(plain.id, 'afterBpmnError')).toBe(0);
    });

    it('flowable-external-worker-bpmn-error: worker BPMN error errorOne with name=gonzo → taskAfterError; complete → taskAfter', async () => {
      await deploy(admin.http, corpusXml('flowable-external-worker-bpmn-error.bpmn'));
      const run = await start(admin.http, {
        definitionKey: 'simpleExternalWorkerWithError',
        variables: { name: 'kermit' },
      });
      expect(await open(run.id)).toEqual([]);
      const [job] = await fetchOne('testWorker', 'simple', run.id, 30 * 60_000);
      expect(job).toMatchObject({ elementId: 'externalWorkerTask' });
      ok(
        await worker(job!.id, 'bpmn-error', {
          workerId: 'testWorker',
          errorCode: 'errorOne',
          variables: { name: 'gonzo' },
        }),
        'bpmn-error',
      );
      expect((await open(run.id)).map((t) => t.elementId)).toEqual(['taskAfterError']);
      expect((await instance(admin.http, run.id)).variables).toEqual({ name: 'gonzo' });
      await finish((await open(run.id))[0]!);
      expect(await status(run.id)).toBe('completed');
      expect(await entered(run.id, 'taskAfter')).toBe(0);

      const plain = await start(admin.http, {
        definitionKey: 'simpleExternalWorkerWithError',
        variables: { name: 'kermit' },
      });
      const [next] = await fetchOne('testWorker', 'simple', plain.id);
      ok(await worker(next!.id, 'complete', { workerId: 'testWorker' }), 'complete');
      expect((await open(plain.id)).map((t) => t.elementId)).toEqual(['taskAfter']);
      await finish((await open(plain.id))[0]!);
      expect(await status(plain.id)).toBe('completed');
      expect(await entered(plain.id, 'taskAfterError')).toBe(0);
    });

    it('flowable-skip-expression-user-tasks is refused naming each user task', async () => {
      const { fields } = await refused('flowable-skip-expression-user-tasks.bpmn');
      expect(fields).toEqual(['xml#userTask1', 'xml#userTask2', 'xml#userTask3']);
    });

    it('REFUSE-camunda-compensation-subprocess is refused naming the compensation events', async () => {
      const { fields } = await refused('REFUSE-camunda-compensation-subprocess.bpmn');
      expect(fields).toEqual(expect.arrayContaining(['xml#compensateScopeTask', 'xml#throwCompensate']));
    });

    it('flowable-timer-start-cycles-cron: four schedules, each firing starts one instance at its own start event', async () => {
      // R2/PT10S → A, R3/PT5S → B, R1/PT15S → C, cron 0/20 * * * * ? → D; a plain start has no none start
      expect(cyclesPlainStart).toBe(400);
      await cyclesSuspended; // 17 s after the deployment (beforeAll)
      const rows = ok<{ rows: { id: string }[] }>(
        await admin.http.get(
          '/api/v1/workflow/instances?scope=all&definitionKey=multipleTimerStartEvents&pageSize=200',
        ),
      ).rows;
      const counts: Record<string, number> = {};
      for (const row of rows) for (const name of await names(row.id)) counts[name] = (counts[name] ?? 0) + 1;
      // by +17 s: A at +10; B at +5, +10, +15; C at +15; D at the wall clock's :00/:20/:40 (zero or one)
      expect(counts['Task A']).toBe(1);
      expect(counts['Task B']).toBe(3);
      expect(counts['Task C']).toBe(1);
      expect(counts['Task D'] ?? 0).toBeLessThanOrEqual(1);
      expect(rows).toHaveLength(5 + (counts['Task D'] ?? 0));
      // an instance goes on to Task E through the gateway ($INITIATOR: a timer-started instance has no starter)
      const first = rows[0]!;
      await completeNamed(first.id, (await names(first.id))[0]!);
      expect(await names(first.id)).toEqual(['Task E']);
      await completeNamed(first.id, 'Task E');
      expect(await status(first.id)).toBe('completed');
    });
  });
});
