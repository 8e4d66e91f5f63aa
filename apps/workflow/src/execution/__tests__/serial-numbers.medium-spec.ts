import { Client } from 'pg';
import { DeployDefinitionCommand, StartInstanceCommand, WorkflowPattern } from '@app/contracts';
import { dbQueriesTotal } from '@app/observability';
import { makeActor } from '@app/testing';
import { startWorkflowMedium, type WorkflowMedium } from '../../__tests__/workflow-medium';
import { DefinitionRegistry } from '../../definitions/definition.registry';
import { ExecutionService } from '../execution.service';

// Seed 002 / DESIGN §4: serial numbers `{code}_{yyyyMM}_{seq}` without gaps or duplicates under
// concurrency, taken in the start's transaction; issue 17: the rows every start of a definition
// bumps are locked only by the start's last message.
describe('serial numbers (medium)', () => {
  let m: WorkflowMedium;
  let other: Client;
  let watcher: Client;
  const starter = makeActor({ id: '900' });
  const pool = { pool: 'role:clerk' };
  const roundTrips = async () => (await dbQueriesTotal.get()).values[0]?.value ?? 0;
  const seqOf = (serialNo: string) => Number(serialNo.split('_').pop());

  beforeAll(async () => {
    m = await startWorkflowMedium('serial_numbers');
    other = new Client({ connectionString: m.database.db.url });
    watcher = new Client({ connectionString: m.database.db.url });
    await Promise.all([other.connect(), watcher.connect()]);
  });
  afterAll(async () => {
    await Promise.all([other?.end(), watcher?.end()]);
    await m?.stop();
  });

  /** The instance's serial number in its row and in its instance.started event. */
  const stored = async (id: string) => {
    const [row] = (await m.dataSource.query(
      `SELECT i.serial_no AS "row", e.payload->>'serialNo' AS "event"
         FROM workflow.process_instance i
         JOIN workflow.outbox_event e ON e.instance_id = i.id AND e.topic = 'instance.started'
        WHERE i.id = $1`,
      [id],
    )) as { row: string; event: string }[];
    return row;
  };

  it("while another transaction holds the definition's serial counter and day count, a start sends nothing after the statement that waits for them", async () => {
    const definition = await m.workflow.definition();
    const first = await m.workflow.instance(definition.key, starter, pool);
    await other.query('BEGIN');
    const counters = await other.query(
      `SELECT last_value FROM workflow.serial_counter WHERE code = $1 FOR UPDATE`,
      [definition.serialCode],
    );
    const counts = await other.query(
      `SELECT n FROM workflow.report_instance_day WHERE definition_key = $1 FOR UPDATE`,
      [definition.key],
    );
    expect(counters.rowCount).toBe(1);
    expect(counts.rowCount).toBeGreaterThan(0);

    const before = await roundTrips();
    const starting = m.workflow.instance(definition.key, starter, pool);
    // the start's backend waits for a row lock the other transaction holds
    for (;;) {
      const { rows } = await watcher.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
        [(other as unknown as { processID: number }).processID],
      );
      if (rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const sentBeforeRelease = (await roundTrips()) - before;
    await other.query('COMMIT');
    const second = await starting;

    // were the rows locked earlier, the task and the history, events and COMMIT would follow the wait
    expect((await roundTrips()) - before).toBe(sentBeforeRelease);
    expect(seqOf(second.serialNo)).toBe(seqOf(first.serialNo) + 1);
    expect(await stored(second.id)).toEqual({ row: second.serialNo, event: second.serialNo });
  });

  it('concurrent starts get distinct consecutive numbers, in their rows, replies and events; rolled-back starts give theirs back', async () => {
    const definition = await m.workflow.definition();
    const first = await m.workflow.instance(definition.key, starter, pool);
    const execution = m.app.get(ExecutionService);
    const registry = m.app.get(DefinitionRegistry);
    const rolledBack = (takeNumber: boolean) =>
      execution.transaction(async (manager) => {
        const step = await execution.start(manager, {
          definition: await registry.latestActive(definition.key, manager),
          actor: starter,
          variables: pool,
        });
        // the number taken before the end (a work order's) or left for the commit, then rolled back
        if (takeNumber) expect(await execution.serialNoOf(manager, step.instance)).toMatch(/_\d{4,}$/);
        throw new Error('rolled back');
      });
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0 ? rolledBack(i % 2 === 0) : m.workflow.instance(definition.key, starter, pool),
      ),
    ]);
    const started = outcomes.flatMap((o) => (o.status === 'fulfilled' && o.value ? [o.value] : []));
    const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : []));
    expect(failed).toEqual(Array.from({ length: 4 }, () => 'rolled back'));
    expect(started).toHaveLength(8);

    const seqs = started.map((s) => seqOf(s.serialNo)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 8 }, (_, i) => seqOf(first.serialNo) + 1 + i));
    for (const s of started) expect(await stored(s.id)).toEqual({ row: s.serialNo, event: s.serialNo });
    const next = await m.workflow.instance(definition.key, starter, pool);
    expect(seqOf(next.serialNo)).toBe(seqOf(first.serialNo) + 9);
  });

  it('a start replayed by its Idempotency-Key answers the number its first run stored', async () => {
    const definition = await m.workflow.definition();
    const command = () =>
      StartInstanceCommand.create({
        definitionKey: definition.key,
        variables: pool,
        actor: starter,
        idempotencyKey: `serial-${definition.key}`,
      });
    const once = await m.call(WorkflowPattern.InstanceStart, command());
    const again = await m.call(WorkflowPattern.InstanceStart, command());
    expect(again).toEqual(once);
    expect(once.serialNo).toMatch(/_0001$/);
    expect(await stored(once.id)).toEqual({ row: once.serialNo, event: once.serialNo });
  });

  it("a called process started in its caller's transaction gets its own number, in its row and events", async () => {
    const deploy = (xml: string) =>
      m.call(
        WorkflowPattern.DefinitionDeploy,
        DeployDefinitionCommand.create({ xml, actor: m.workflow.admin }),
      );
    const child = await deploy(`<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t">
  <process id="serialChild" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`);
    const parent = await deploy(`<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t">
  <process id="serialParent" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <callActivity id="call" calledElement="serialChild" />
    <sequenceFlow id="f2" sourceRef="call" targetRef="wait" />
    <userTask id="wait" />
    <sequenceFlow id="f3" sourceRef="wait" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`);
    const started = await m.workflow.instance(parent.key, starter);
    expect(started.serialNo).toBe(`${parent.serialCode}_${started.serialNo.split('_')[1]}_0001`);
    const [called] = (await m.dataSource.query(
      `SELECT id::text AS id, serial_no AS "serialNo", status FROM workflow.process_instance WHERE parent_instance_id = $1`,
      [started.id],
    )) as { id: string; serialNo: string; status: string }[];
    expect(called).toMatchObject({ status: 'completed', serialNo: expect.stringMatching(/_0001$/) });
    expect(called.serialNo.startsWith(`${child.serialCode}_`)).toBe(true);
    expect(await stored(called.id)).toEqual({ row: called.serialNo, event: called.serialNo });
    const [ended] = (await m.dataSource.query(
      `SELECT payload->>'serialNo' AS "serialNo" FROM workflow.outbox_event WHERE instance_id = $1 AND topic = 'instance.ended'`,
      [called.id],
    )) as { serialNo: string }[];
    expect(ended.serialNo).toBe(called.serialNo);
    expect(await stored(started.id)).toEqual({ row: started.serialNo, event: started.serialNo });
  });
});
