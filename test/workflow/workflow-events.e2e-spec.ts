import { Client } from 'pg';
import { loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { complete, deploy, fixtureXml, start, until } from './workflow-helpers';

describe('workflow events reach the gateway at least once and are handled once', () => {
  let stack: Stack;
  let admin: TestSession;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({ label: 'workflow_events', gatewayEnv: { WORKFLOW_EVENTS_POLL_MS: '100' } });
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
    const started = await start(admin.http, { definitionKey: 'boundaryTimer', variables: { due: 'PT1S' } });
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
});
