import { Client } from 'pg';
import { loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { complete, deploy, instance, openTasks, start, until } from './workflow-helpers';

/**
 * Cron cycles on boundary and intermediate timers, as Camunda and Flowable accept them in `timeCycle`
 * (`0 0/5 * * * ?`): a `job` row in PostgreSQL like every timer, so a cycle due while the workflow app
 * is down fires when it is back, and a non-interrupting one goes on firing while its task waits.
 * Every two seconds here (the operator lowers BPMN_MIN_TIMER_CYCLE_MS for it).
 */
const bpmn = (key: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="cron">
  <process id="${key}" isExecutable="true">${body}</process>
</definitions>`;

const reminder = (cycle: string) =>
  bpmn(
    'cronReminder',
    `<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="work" />
    <userTask id="work" name="Work" /><sequenceFlow id="f2" sourceRef="work" targetRef="e" /><endEvent id="e" />
    <boundaryEvent id="remind" attachedToRef="work" cancelActivity="false">
      <timerEventDefinition><timeCycle>${cycle}</timeCycle></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="f3" sourceRef="remind" targetRef="note" /><task id="note" />
    <sequenceFlow id="f4" sourceRef="note" targetRef="e2" /><endEvent id="e2" />`,
  );

describe('cron timer cycles (durable jobs)', () => {
  let stack: Stack;
  let admin: TestSession;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({
      label: 'cron_timers',
      workflowEnv: { BPMN_MIN_TIMER_CYCLE_MS: '1000' },
    });
    admin = await loginAsAdmin(stack.http);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const count = async (sql: string, params: unknown[]) => Number((await db.query(sql, params)).rows[0].n);
  const reminders = (id: string) =>
    count(
      `SELECT count(*) AS n FROM workflow.activity_history WHERE instance_id = $1 AND element_id = 'note'`,
      [id],
    );
  const pendingJobs = async (id: string) =>
    (
      await db.query<{ element_id: string; due_at: Date }>(
        `SELECT element_id, due_at FROM workflow.job WHERE instance_id = $1 AND status = 'pending'`,
        [id],
      )
    ).rows;

  it('a non-interrupting boundary cron fires at its instants while the task waits, also across a restart', async () => {
    await deploy(admin.http, reminder('0/2 * * * * ?'));
    const started = await start(admin.http, { definitionKey: 'cronReminder' });
    const [job] = await pendingJobs(started.id);
    expect(job!.element_id).toBe('remind');
    // due at the next even second
    expect(job!.due_at.getTime() % 2000).toBe(0);
    expect(job!.due_at.getTime() - Date.now()).toBeLessThanOrEqual(2000);

    await stack.workflow.kill();
    await new Promise((r) => setTimeout(r, 2500)); // due while nobody runs
    expect(await reminders(started.id)).toBe(0);
    await stack.workflow.start();
    await until(
      async () => ((await reminders(started.id)) >= 3 ? true : undefined),
      20_000,
      'three reminders',
    );
    // the task still waits, with the cycle's next job
    const [work] = await openTasks(admin.http, started.id);
    expect(work).toMatchObject({ elementId: 'work', status: 'open' });
    expect((await pendingJobs(started.id)).map((j) => j.element_id)).toEqual(['remind']);

    await complete(admin.http, work!.id);
    expect((await instance(admin.http, started.id)).status).toBe('completed');
    expect(await pendingJobs(started.id)).toEqual([]);
  });

  it('an intermediate catch with a cron cycle waits for its next instant, then goes on once', async () => {
    await deploy(
      admin.http,
      bpmn(
        'cronWait',
        `<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeCycle>0/2 * * * * ?</timeCycle></timerEventDefinition></intermediateCatchEvent>
        <sequenceFlow id="f2" sourceRef="wait" targetRef="after" /><userTask id="after" name="After" />
        <sequenceFlow id="f3" sourceRef="after" targetRef="e" /><endEvent id="e" />`,
      ),
    );
    const started = await start(admin.http, { definitionKey: 'cronWait' });
    expect(started.tasks).toEqual([]);
    await until(
      async () => ((await openTasks(admin.http, started.id)).length === 1 ? true : undefined),
      10_000,
      'the cron catch',
    );
    expect(await pendingJobs(started.id)).toEqual([]);
  });

  // Camunda reads cron in the server's zone: a designer's 9 o'clock is 09:00 business time (TZ_BUSINESS,
  // Asia/Shanghai by default), which is 01:00 UTC, not 09:00 UTC
  it('a daily 0 0 9 * * ? is due at 09:00 in the business zone, as the jobs list shows it', async () => {
    await deploy(admin.http, reminder('0 0 9 * * ?'));
    const started = await start(admin.http, { definitionKey: 'cronReminder' });
    const answer = await admin.http.get<{ code: number; data: { elementId: string; dueAt: string }[] }>(
      `/api/v1/workflow/jobs?instanceId=${started.id}&status=pending`,
    );
    expect(answer.body.data.map((j) => j.elementId)).toEqual(['remind']);
    const dueAt = answer.body.data[0]!.dueAt;
    const shanghai = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).format(new Date(dueAt));
    expect(shanghai).toBe('09:00:00');
    expect(new Date(dueAt).getUTCHours()).toBe(1);
    expect(Date.parse(dueAt) - Date.now()).toBeLessThanOrEqual(86_400_000);
  });

  it('a cron form this engine does not read is refused at deploy, naming the element and the expression', async () => {
    const answer = await admin.http.post<{ code: number; errors?: { field: string; reason: string }[] }>(
      '/api/v1/workflow/deployments',
      { xml: reminder('0 0 12 15W * ?') },
    );
    expect([answer.status, answer.body.code]).toEqual([400, 4101]);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ field: 'xml#remind', reason: expect.stringContaining("'0 0 12 15W * ?'") }),
    ]);
  });
});
