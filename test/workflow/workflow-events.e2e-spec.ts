import { Client } from 'pg';
import { loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { complete, deploy, fixtureXml, start, until } from './workflow-helpers';

describe('workflow events reach the gateway at least once and are handled once', () => {
  let stack: Stack;
  let admin: TestSession;
  let db: Client;

  beforeAll(async () => {
    // the default poll: events committed by the workflow app answer the gateway's held fetch at once; the
    // redelivery below (rows changed in SQL) waits for the poll
    stack = await startStack({ label: 'workflow_events' });
    admin = await loginAsAdmin(stack.http);
    await deploy(admin.http, fixtureXml('single-task.bpmn'));
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const rows = async (sql: string) => (await db.query(sql)).rows;
  const allDelivered = async () =>
    (await rows(`SELECT count(*)::int AS n FROM workflow.outbox_event WHERE delivered_at IS NULL`))[0].n === 0
      ? true
      : undefined;

  it('delivers every outbox event and records each id once', async () => {
    const started = await start(admin.http, {
      definitionKey: 'singleTask',
      variables: { pool: 'role:super_admin' },
    });
    await complete(admin.http, started.tasks[0].id);
    await until(allDelivered, 10_000, 'delivery');
    const outbox = await rows(`SELECT id::text, topic FROM workflow.outbox_event ORDER BY created_at`);
    const processed = await rows(`SELECT event_id::text AS id, topic FROM core.processed_event`);
    expect(outbox.map((e) => e.topic)).toEqual(
      expect.arrayContaining(['instance.started', 'task.created', 'task.completed']),
    );
    expect(new Set(processed.map((p) => p.id))).toEqual(new Set(outbox.map((e) => e.id)));
  });

  it('a redelivered event (lease lost before the ack) is not handled twice', async () => {
    const before = (await rows(`SELECT count(*)::int AS n FROM core.processed_event`))[0].n;
    await db.query(`UPDATE workflow.outbox_event SET delivered_at = NULL, available_at = now()`); // as if no ack arrived
    await until(allDelivered, 10_000, 'redelivery');
    const attempts = await rows(`SELECT min(attempts)::int AS n FROM workflow.outbox_event`);
    expect(attempts[0].n).toBeGreaterThanOrEqual(2); // really handed out again
    expect((await rows(`SELECT count(*)::int AS n FROM core.processed_event`))[0].n).toBe(before);
  });

  it('events written while the gateway is down are delivered when it is back', async () => {
    await deploy(admin.http, fixtureXml('boundary-timer.bpmn'));
    // due well after the gateway has stopped: a timer fires when it falls due (its job wakes the runner)
    const started = await start(admin.http, { definitionKey: 'boundaryTimer', variables: { due: 'PT3S' } });
    await until(allDelivered, 10_000, 'delivery of the start');
    await stack.gateway.stop();
    // the timer fires in the workflow app alone: its events wait in the outbox
    await until(
      async () =>
        (
          await rows(
            `SELECT count(*)::int AS n FROM workflow.outbox_event WHERE instance_id = ${Number(started.id)} AND delivered_at IS NULL`,
          )
        )[0].n > 0
          ? true
          : undefined,
      15_000,
      'events while the gateway is down',
    );
    await stack.gateway.start();
    await until(allDelivered, 10_000, 'delivery after restart');
    const missing = await rows(
      `SELECT count(*)::int AS n FROM workflow.outbox_event o LEFT JOIN core.processed_event p ON p.event_id = o.id WHERE p.event_id IS NULL`,
    );
    expect(missing[0].n).toBe(0);
  });

  /** Outbox events written in one statement, so one fetch leases them all: one delivered batch. */
  const writeBatch = async (names: string[]) => {
    const admin = (await rows(`SELECT id::text AS id FROM core.staff WHERE account = 'admin'`))[0]
      .id as string;
    const written = await db.query(
      `INSERT INTO workflow.outbox_event (id, topic, payload, created_at)
       SELECT gen_random_uuid(), 'task.created',
              jsonb_build_object('taskId', (900000 + n)::text, 'name', name, 'assigneeId', $2::text),
              now() + n * interval '1 millisecond'
         FROM unnest($1::text[]) WITH ORDINALITY AS u(name, n)
       RETURNING id::text AS id, created_at`,
      [names, admin],
    );
    return (written.rows as { id: string; created_at: Date }[])
      .sort((x, y) => x.created_at.getTime() - y.created_at.getTime())
      .map((r) => r.id);
  };
  const handled = async (ids: string[]) =>
    rows(
      `SELECT p.event_id::text AS id, p.processed_at, n.id AS notification
         FROM core.processed_event p LEFT JOIN core.notification n ON n.event_id = p.event_id
        WHERE p.event_id = ANY('{${ids.join(',')}}'::uuid[]) ORDER BY n.id`,
    );

  it('a delivered batch is handled in one transaction, in order, each event once', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `Batch task ${i}`);
    const ids = await writeBatch(names);
    await until(allDelivered, 10_000, 'delivery of the batch');
    const done = await handled(ids);
    // one notification per event, numbered in the order of the events
    expect(done.map((r) => r.id)).toEqual(ids);
    // processed_at is the transaction's start: one value for the whole batch
    expect(new Set(done.map((r) => (r.processed_at as Date).toISOString())).size).toBe(1);

    await db.query(
      `UPDATE workflow.outbox_event SET delivered_at = NULL, available_at = now() WHERE id = ANY($1)`,
      [ids],
    );
    await until(allDelivered, 10_000, 'redelivery of the batch');
    expect(await handled(ids)).toEqual(done);
  });

  it('an event failing inside a batch costs the others nothing: they are handled, it alone comes back', async () => {
    await db.query(`CREATE FUNCTION core.batch_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected batch fault'; END $$`);
    await db.query(`CREATE TRIGGER batch_fault BEFORE INSERT ON core.notification FOR EACH ROW
      WHEN (NEW.title LIKE '%Faulty batch task%') EXECUTE FUNCTION core.batch_fault()`);
    try {
      const ids = await writeBatch([
        'Good batch task 0',
        'Good batch task 1',
        'Faulty batch task',
        'Good batch task 3',
      ]);
      const good = ids.filter((_, i) => i !== 2);
      await until(
        async () => ((await handled(good)).length === good.length ? true : undefined),
        10_000,
        'the good events of the batch',
      );
      expect((await handled(good)).every((r) => r.notification !== null)).toBe(true);
      expect(await handled([ids[2]])).toEqual([]);
    } finally {
      await db.query(`DROP TRIGGER batch_fault ON core.notification`);
      await db.query(`DROP FUNCTION core.batch_fault()`);
    }
    await until(allDelivered, 15_000, 'the failed event, retried after the fault is gone');
  });
});
