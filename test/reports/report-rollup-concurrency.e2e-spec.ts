import { Client } from 'pg';
import { loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { complete, deploy, mapLimit, start } from '../workflow/workflow-helpers';

// approve → archive → end, the initiator's tasks: every completion of approve moves the same aggregate
// rows (one process, one step, one assignee, one day; the buckets of their durations overlap)
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="rc" targetNamespace="http://flowdesk.example/test">
  <process id="rollupRace" name="Rollup race" isExecutable="true">
    <startEvent id="start" camunda:initiator="initiator" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <userTask id="approve" name="Approve" camunda:assignee="\${initiator}" />
    <sequenceFlow id="f2" sourceRef="approve" targetRef="archive" />
    <userTask id="archive" name="Archive" camunda:assignee="\${initiator}" />
    <sequenceFlow id="f3" sourceRef="archive" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

const INSTANCES = 300;

/**
 * The report aggregates are kept by triggers inside each command's transaction (migration
 * ReportRollupLevels). Completions of the same step by the same person touch the same aggregate rows in
 * every table; running side by side they must wait for each other, never deadlock. (PostgreSQL aborts
 * one side of a deadlock after deadlock_timeout; the workflow app retries it and logs the code 40P01,
 * and a command that deadlocks five times answers 4090 CONCURRENT_UPDATE.) bench/workflow found such deadlocks when the
 * triggers' upserts ran in no fixed order; this file did not reproduce them, so it guards the counts under
 * concurrency and the absence of retries, not the lock order itself.
 */
describe('report aggregates under concurrent completions', () => {
  let stack: Stack;
  let admin: TestSession;

  beforeAll(async () => {
    // Sixteen completions queue on the same aggregate rows by design; on a loaded machine the last of them
    // can wait past the link's default 5 s, which would fail a test about counts and deadlocks, not latency.
    stack = await startStack({ label: 'rollup_race', gatewayEnv: { WORKFLOW_TIMEOUT_MS: '60000' } });
    admin = await loginAsAdmin(stack.http);
    await deploy(admin.http, XML);
  });
  afterAll(() => stack?.stop());

  it('completions of one step by one person, sixteen at a time: each counted once, none retried for a deadlock', async () => {
    const started = await mapLimit(Array.from({ length: INSTANCES }), 8, () =>
      start(admin.http, { definitionKey: 'rollupRace' }),
    );
    const answers = await mapLimit(started, 16, (s) =>
      complete(admin.http, s.tasks[0].id, { comment: 'ok' }),
    );
    expect(answers.every((a) => a.instanceStatus === 'running')).toBe(true);
    expect(stack.workflow.logs()).not.toContain('40P01');

    // every completion counted once: the year rows of the node histogram against the records
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ level: string; n: number }>(
        `SELECT level, sum(n)::int AS n FROM workflow.report_duration_node
          WHERE definition_key = 'rollupRace' AND element_id = 'approve' AND metric = 't' GROUP BY level ORDER BY level`,
      );
      expect(rows).toEqual([
        { level: 'd', n: INSTANCES },
        { level: 'm', n: INSTANCES },
        { level: 'y', n: INSTANCES },
      ]);
    } finally {
      await db.end();
    }
  });

  it('a statement that moves nothing reported does not touch the aggregates (a claim, a step), a completion does', async () => {
    const { id: instanceId, tasks } = await start(admin.http, { definitionKey: 'rollupRace' });
    // a rebuild's or a reader's lock on one aggregate table: the triggers' ROW EXCLUSIVE lock waits for it
    const holder = new Client({ connectionString: stack.db.url });
    const writer = new Client({ connectionString: stack.db.url });
    await holder.connect();
    await writer.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE workflow.report_duration_node IN SHARE MODE');
      // lock_timeout turns "would wait" into an error instead of a hang
      await writer.query(`SET lock_timeout = '2s'`);
      await writer.query('BEGIN');
      await writer.query(`UPDATE workflow.task SET assignee_id = '1', claimed_at = now() WHERE id = $1`, [
        tasks[0].id,
      ]);
      await writer.query(`UPDATE workflow.process_instance SET updated_at = now() WHERE id = $1`, [
        instanceId,
      ]);
      await writer.query(
        `INSERT INTO workflow.task (instance_id, definition_id, definition_key, process_name, instance_started_at,
                                    initiator_id, element_id, execution_id, name)
         SELECT instance_id, definition_id, definition_key, process_name, instance_started_at, initiator_id,
                'archive', 'extra', 'Archive' FROM workflow.task WHERE id = $1`,
        [tasks[0].id],
      );
      await expect(
        writer.query(`UPDATE workflow.task SET status = 'completed', ended_at = now() WHERE id = $1`, [
          tasks[0].id,
        ]),
      ).rejects.toMatchObject({ code: '55P03' });
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      await holder.query('ROLLBACK').catch(() => undefined);
      await writer.end();
      await holder.end();
    }
  });
});
