import { Client } from 'pg';
import {
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  metricSum,
  scrape,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, ok, until } from '../workflow/workflow-helpers';

interface DeadLetter {
  id: string;
  source: string;
  messageId: string;
  topic: string;
  payload: { id: string; payload: Record<string, unknown> };
  attempts: number;
  lastError: string;
  status: string;
}

const FAULTY = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="dl" targetNamespace="http://flowdesk.example/dl">
  <process id="faultyReview" name="Faulty review" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    <userTask id="t" name="Review" /><sequenceFlow id="f2" sourceRef="t" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;

const MAX_ATTEMPTS = 3;

/**
 * Event consumers never loop (issue 19): a workflow event whose handler fails is retried a bounded
 * number of times with backoff, then parked as a dead letter; an operator lists it and, once the fault
 * is removed, replays it through the API. The fault is a trigger in the test database that makes the
 * inbox handler's insert fail for this process only.
 */
describe('workflow events: bounded retries, dead letters, replay', () => {
  let stack: Stack;
  let admin: TestSession;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({
      label: 'dead_letters',
      gatewayEnv: {
        WORKFLOW_EVENTS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        WORKFLOW_EVENTS_RETRY_BASE_MS: '300',
        WORKFLOW_EVENTS_POLL_MS: '100',
      },
    });
    admin = await loginAsAdmin(stack.http);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    await db.query(`CREATE FUNCTION core.injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected handler fault'; END $$`);
    await db.query(`CREATE TRIGGER injected_inbox_fault BEFORE INSERT ON core.notification FOR EACH ROW
      WHEN (NEW.title LIKE '%Faulty review%') EXECUTE FUNCTION core.injected_fault()`);
    await deploy(admin.http, FAULTY);
  });
  afterAll(async () => {
    await db?.end();
    if (process.env.SHOW_LOGS) console.log(stack?.gateway.logs().slice(-6000));
    await stack?.stop();
  });

  const deadLetters = async (query = '') =>
    ok<{ rows: DeadLetter[]; total: number }>(
      await admin.http.get(`/api/v1/admin/dead-letters?source=workflow-events${query}`),
      'dead letters',
    ).rows;
  const inbox = async (taskId: string) =>
    (await db.query(`SELECT count(*)::int AS n FROM core.notification WHERE task_id = $1`, [taskId])).rows[0]
      .n as number;

  let parked: DeadLetter;
  let taskId: string;

  it('a failing handler is retried with backoff, then parked after the last attempt (no endless loop)', async () => {
    const started = ok<{ id: string; tasks: { id: string }[] }>(
      await admin.http.post('/api/v1/workflow/instances', { definitionKey: 'faultyReview' }),
    );
    taskId = started.tasks[0].id;
    parked = await until(
      async () =>
        (await deadLetters('&status=dead')).find(
          (d) => d.topic === 'task.created' && String(d.payload.payload.taskId) === taskId,
        ),
      20_000,
      'the task.created event parked',
    );
    expect(parked).toMatchObject({ source: 'workflow-events', attempts: MAX_ATTEMPTS, status: 'dead' });
    expect(parked.lastError).toMatch(/injected handler fault/);
    // the outbox row is settled: delivered (acknowledged once parked) after exactly MAX_ATTEMPTS tries
    const row = await db.query(`SELECT attempts, delivered_at FROM workflow.outbox_event WHERE id = $1`, [
      parked.messageId,
    ]);
    expect(row.rows[0].attempts).toBe(MAX_ATTEMPTS);
    expect(row.rows[0].delivered_at).not.toBeNull();
    // …and stays so: no further attempts
    await new Promise((r) => setTimeout(r, 1500));
    const later = await db.query(`SELECT attempts FROM workflow.outbox_event WHERE id = $1`, [
      parked.messageId,
    ]);
    expect(later.rows[0].attempts).toBe(MAX_ATTEMPTS);
    expect(await inbox(taskId)).toBe(0);
    // operators see it on the gateway's /metrics: the retries before parking, and the dead letter
    const metrics = await scrape(`${stack.gateway.origin}/metrics`);
    const topic = { topic: 'task.created' };
    expect(metricSum(metrics, 'flowdesk_workflow_event_retries_total', topic)).toBeGreaterThanOrEqual(
      MAX_ATTEMPTS - 1,
    );
    expect(metricSum(metrics, 'flowdesk_workflow_event_dead_letters_total', topic)).toBe(1);
    // other events went on being handled meanwhile (the instance.started event is not parked)
    expect((await deadLetters()).filter((d) => d.payload.id !== parked.messageId)).toEqual([]);
  });

  it('a replay while the fault is still there fails and keeps the dead letter, with the new error', async () => {
    const res = await admin.http.post<EnvelopeBody<unknown>>(
      `/api/v1/admin/dead-letters/${parked.id}/replay`,
      {},
    );
    expect([res.status, res.body.code, (res.body as { reason?: string }).reason]).toEqual([
      409,
      4090,
      'REPLAY_FAILED',
    ]);
    const again = ok<DeadLetter>(await admin.http.get(`/api/v1/admin/dead-letters/${parked.id}`));
    expect(again).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS + 1 });
  });

  it('after the fault is removed, a replay runs the handlers once and marks it replayed', async () => {
    await db.query(`DROP TRIGGER injected_inbox_fault ON core.notification`);
    const replayed = ok<DeadLetter & { replayedBy: string }>(
      await admin.http.post(`/api/v1/admin/dead-letters/${parked.id}/replay`, {}),
    );
    expect(replayed).toMatchObject({ status: 'replayed', replayedBy: admin.staffId });
    const metrics = await scrape(`${stack.gateway.origin}/metrics`);
    expect(metricSum(metrics, 'flowdesk_workflow_event_replays_total', { topic: 'task.created' })).toBe(1);
    expect(await inbox(taskId)).toBeGreaterThan(0);
    expect((await deadLetters('&status=dead')).map((d) => d.id)).not.toContain(parked.id);
    const twice = await admin.http.post<EnvelopeBody<unknown>>(
      `/api/v1/admin/dead-letters/${parked.id}/replay`,
      {},
    );
    expect([twice.status, (twice.body as { reason?: string }).reason]).toEqual([409, 'ALREADY_REPLAYED']);
  });

  it('listing and replaying need deadletter:admin; the routes are in the API document', async () => {
    const m = await createStaff(admin.http, { account: 'dlmember' });
    const member = await loginAs(stack.http, m.account, m.password);
    expect((await member.http.get('/api/v1/admin/dead-letters')).status).toBe(403);
    expect((await member.http.post(`/api/v1/admin/dead-letters/${parked.id}/replay`, {})).status).toBe(403);
    const doc = (await stack.http.get<{ paths: Record<string, unknown> }>('/docs-json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/admin/dead-letters', '/api/v1/admin/dead-letters/{id}/replay']),
    );
  });
});
