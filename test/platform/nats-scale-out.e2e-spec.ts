import { Client } from 'pg';
import {
  type AppProcess,
  freePort,
  type HttpClient,
  loginAsAdmin,
  metricSum,
  natsForTests,
  scrape,
  type Stack,
  startStack,
} from '@app/testing';
import { deploy, fixtureXml, start, until } from '../workflow/workflow-helpers';

const TIMEOUT_MS = 3000;
// Load runs until this many starts are acknowledged before the kill, and as many after it (bounded in time).
const ACKS_PER_PHASE = 20;
const PHASE_LIMIT_MS = 60_000;
const WORKERS = 4;
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** Starts and completions this replica handled, read from its own /metrics. */
async function commandsServed(replica: AppProcess): Promise<number> {
  const text = await scrape(`${replica.origin}/metrics`);
  return ['workflow.instance.start', 'workflow.task.complete']
    .map((pattern) => metricSum(text, 'flowdesk_workflow_command_duration_seconds_count', { pattern }))
    .reduce((a, b) => a + b, 0);
}

async function waitFor(condition: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

interface Started {
  instanceId: string;
  taskId: string;
  timer: boolean;
}

/**
 * The acceptance run on NATS: two gateways, three workflow replicas in one queue group, steady
 * load through both gateways, one replica killed with SIGKILL mid-load. Every acknowledged command must be
 * in the database once, none twice; the other replicas keep serving; timers still fire once.
 */
(natsForTests() ? describe : describe.skip)('workflow link on NATS: replicas share commands', () => {
  let stack: Stack;
  let replicas: AppProcess[];
  let gateways: HttpClient[];
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({
      label: 'nats_scale_out',
      transport: 'nats',
      gatewayEnv: { WORKFLOW_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
    const [second, third] = await Promise.all([stack.addWorkflowReplica(), stack.addWorkflowReplica()]);
    replicas = [stack.workflow, second, third];
    const other = await stack.addGateway({ METRICS_TOKEN });
    const admin = await loginAsAdmin(stack.http);
    gateways = [admin.http, other.http.withToken(admin.accessToken)];
    await deploy(admin.http, fixtureXml('boundary-timer.bpmn'));
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('under load through two gateways, a kill -9 of one replica loses no acknowledged command and doubles none', async () => {
    const started = new Map<string, Started>();
    const completed = new Set<string>();
    const unexpected: string[] = [];
    const attempted: string[] = [];
    let ackedAfterKill = 0;
    let killedAt = Infinity;
    let stop = false;
    let seq = 0;

    const baseline = await Promise.all(replicas.map(commandsServed));
    let beforeKill: number[] = [];
    const killer = (async () => {
      await waitFor(() => started.size >= ACKS_PER_PHASE, PHASE_LIMIT_MS);
      beforeKill = await Promise.all(replicas.map(commandsServed));
      killedAt = Date.now();
      await replicas[1].kill();
      await waitFor(() => ackedAfterKill >= ACKS_PER_PHASE, PHASE_LIMIT_MS);
      stop = true;
    })();

    const worker = async () => {
      while (!stop) {
        const n = seq++;
        const key = `load-${n}`;
        const timer = n % 5 === 0;
        attempted.push(key);
        const res = await gateways[n % 2].post<{ data: { id: string; tasks: { id: string }[] } }>(
          '/api/v1/workflow/instances',
          { definitionKey: 'boundaryTimer', businessKey: key, variables: { due: timer ? 'PT2S' : 'PT1H' } },
          { headers: { 'Idempotency-Key': key } },
        );
        if (res.status !== 200) {
          if (res.status !== 503) unexpected.push(`start ${key}: ${res.status} ${res.text.slice(0, 300)}`);
          continue;
        }
        started.set(key, { instanceId: res.body.data.id, taskId: res.body.data.tasks[0].id, timer });
        if (Date.now() > killedAt) ackedAfterKill += 1;
        if (timer) continue;
        const taskId = res.body.data.tasks[0].id;
        const done = await gateways[(n + 1) % 2].post(`/api/v1/workflow/tasks/${taskId}/complete`, {});
        if (done.status === 200) completed.add(taskId);
        else if (done.status !== 503)
          unexpected.push(`complete ${taskId}: ${done.status} ${done.text.slice(0, 300)}`);
      }
    };
    await Promise.all([killer, ...Array.from({ length: WORKERS }, worker)]);

    expect(unexpected).toEqual([]);
    expect(ackedAfterKill).toBeGreaterThanOrEqual(ACKS_PER_PHASE); // the two others kept serving

    // Each replica served a share before the kill, and the two survivors kept serving after it (their metrics).
    const shares = beforeKill.map((n, i) => n - baseline[i]);
    const after = await Promise.all([replicas[0], replicas[2]].map(commandsServed));
    process.stdout.write(
      `nats scale-out: ${started.size} starts and ${completed.size} completions acknowledged of ${attempted.length} attempts; ` +
        `commands per replica before the kill ${shares.join(' / ')}, survivors after ${after[0] - beforeKill[0]} / ${after[1] - beforeKill[2]}\n`,
    );
    for (const share of shares) expect(share).toBeGreaterThan(0);
    expect(after[0]).toBeGreaterThan(beforeKill[0]);
    expect(after[1]).toBeGreaterThan(beforeKill[2]);

    // Acknowledged starts are there once; nothing (acknowledged or not) is there twice.
    const { rows: instances } = await db.query<{ business_key: string; n: number }>(
      `SELECT business_key, count(*)::int AS n FROM workflow.process_instance
        WHERE business_key = ANY($1) GROUP BY business_key`,
      [attempted],
    );
    expect(instances.filter((r) => r.n > 1)).toEqual([]);
    const present = new Set(instances.map((r) => r.business_key));
    expect([...started.keys()].filter((k) => !present.has(k))).toEqual([]);

    // Acknowledged completions are recorded, each instance ended once.
    const { rows: tasks } = await db.query<{ id: string; status: string }>(
      `SELECT id::text AS id, status FROM workflow.task WHERE id = ANY($1::bigint[])`,
      [[...completed]],
    );
    expect(tasks.filter((t) => t.status !== 'completed')).toEqual([]);
    expect(tasks).toHaveLength(completed.size);
    const ids = [...started.values()].map((s) => s.instanceId);
    const { rows: ends } = await db.query<{ instance_id: string; n: number }>(
      `SELECT instance_id::text, count(*)::int AS n FROM workflow.activity_history
        WHERE instance_id = ANY($1::bigint[]) AND element_id IN ('normalEnd', 'escalatedEnd', 'escalated')
        GROUP BY instance_id, element_id HAVING count(*) > 1`,
      [ids],
    );
    expect(ends).toEqual([]);

    // Timers (PT2S) of acknowledged starts fire once each, on whichever replica claims them.
    const timed = [...started.values()].filter((s) => s.timer).map((s) => s.instanceId);
    expect(timed.length).toBeGreaterThan(2);
    await until(
      async () => {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM workflow.job WHERE instance_id = ANY($1::bigint[]) AND status = 'pending'`,
          [timed],
        );
        return rows[0].n === 0 ? true : undefined;
      },
      30_000,
      'every timer fired',
    );
    const { rows: fired } = await db.query<{ instance_id: string; done: number; escalated: number }>(
      `SELECT i.id::text AS instance_id,
              (SELECT count(*)::int FROM workflow.job j WHERE j.instance_id = i.id AND j.status = 'done') AS done,
              (SELECT count(*)::int FROM workflow.task t WHERE t.instance_id = i.id AND t.element_id = 'escalated') AS escalated
         FROM workflow.process_instance i WHERE i.id = ANY($1::bigint[])`,
      [timed],
    );
    expect(fired.filter((r) => r.done !== 1 || r.escalated !== 1)).toEqual([]);
    expect(fired).toHaveLength(timed.length);
  });

  it('exposes the series of both apps on /metrics, moving with the load', async () => {
    // Gateway 2 has METRICS_TOKEN: refused without it.
    const gateway2 = gateways[1].baseUrl;
    expect((await fetch(`${gateway2}/metrics`)).status).toBe(401);
    const g2 = await scrape(`${gateway2}/metrics`, METRICS_TOKEN);
    const g1 = await scrape(`${gateways[0].baseUrl}/metrics`);
    for (const text of [g1, g2]) {
      expect(
        metricSum(text, 'flowdesk_http_request_duration_seconds_count', {
          route: '/api/v1/workflow/instances',
          method: 'POST',
          status: '200',
        }),
      ).toBeGreaterThan(0);
      expect(
        metricSum(text, 'flowdesk_workflow_client_duration_seconds_count', {
          pattern: 'workflow.instance.start',
          outcome: 'ok',
        }),
      ).toBeGreaterThan(0);
      expect(metricSum(text, 'flowdesk_db_pool_connections', { state: 'max' })).toBe(5);
    }
    // Events were consumed by the two gateways (outbox pulled over NATS from any replica).
    expect(
      metricSum(g1, 'flowdesk_workflow_events_total', { outcome: 'handled' }) +
        metricSum(g2, 'flowdesk_workflow_events_total', { outcome: 'handled' }),
    ).toBeGreaterThan(0);

    const w = await scrape(`${replicas[0].origin}/metrics`);
    expect(
      metricSum(w, 'flowdesk_engine_step_duration_seconds_count', { operation: 'start' }),
    ).toBeGreaterThan(0);
    expect(
      metricSum(w, 'flowdesk_engine_step_duration_seconds_count', { operation: 'complete-task' }),
    ).toBeGreaterThan(0);
    expect(w).toMatch(/^flowdesk_outbox_events\{state="backlog",app="workflow"\} \d+/m);
    expect(w).toMatch(/^flowdesk_outbox_oldest_age_seconds\{app="workflow"\} [\d.e+-]+/m);
    expect(w).toMatch(/^flowdesk_due_job_lag_seconds\{app="workflow"\} [\d.e+-]+/m);
    expect(w).toMatch(/^flowdesk_due_jobs\{state="due",app="workflow"\} \d+/m);
    expect(metricSum(w, 'flowdesk_db_pool_connections', { state: 'max' })).toBe(5);
  });

  it('the todo list, asked for as JSON text, answers over NATS with the same bytes as the task route gives', async () => {
    const started = await start(gateways[0], { definitionKey: 'boundaryTimer', variables: { due: 'PT1H' } });
    for (const gateway of gateways) {
      const list = await gateway.get(`/api/v1/workflow/tasks?instanceId=${started.id}`);
      expect(list.status).toBe(200);
      const listed = JSON.parse(list.text) as { data: { rows: { id: string }[] } };
      expect(listed.data.rows.length).toBeGreaterThan(0);
      const rows = [];
      for (const row of listed.data.rows) {
        const detail = JSON.parse((await gateway.get(`/api/v1/workflow/tasks/${row.id}`)).text) as {
          data: { actions: unknown };
        };
        const { actions: _actions, ...task } = detail.data;
        rows.push(task);
      }
      expect(list.text).toBe(JSON.stringify({ ...listed, data: { ...listed.data, rows } }));
    }
  });

  it('a gateway with another link secret is refused by the replicas (the secret applies on NATS too)', async () => {
    const metricsPort = String(await freePort());
    const secured = await stack.addGateway({
      WORKFLOW_LINK_SECRET: 'not-the-replicas-secret-0123',
      NODE_ENV: 'production',
      METRICS_PORT: metricsPort,
    });
    // METRICS_PORT: /metrics there, not on the public port.
    expect((await fetch(`${secured.http.baseUrl}/metrics`)).status).toBe(404);
    expect(await scrape(`http://127.0.0.1:${metricsPort}/metrics`)).toMatch(
      /flowdesk_http_request_duration_seconds/,
    );
    const admin = await loginAsAdmin(secured.http);
    // The replicas have no secret configured: a secret sent to them is ignored, so check the reverse too.
    expect((await admin.http.get('/api/v1/workflow/ping')).status).toBe(200);
    const strict = await stack.addWorkflowReplica({ WORKFLOW_LINK_SECRET: 'the-replicas-secret-0123456' });
    try {
      // Only the strict replica is left in the queue group.
      await Promise.all(replicas.map((r) => r.stop()));
      const res = await gateways[0].get('/api/v1/workflow/ping');
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 4001, reason: 'LINK_SECRET_MISMATCH' });
    } finally {
      await strict.stop();
      await secured.gateway.stop();
    }
  });

  it('with no replica left: workflow routes answer 5004 at once, the gateway stays ready and CRM answers; a replica coming back heals it', async () => {
    const before = Date.now();
    const down = await gateways[1].get('/api/v1/workflow/ping');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 5004, reason: 'WORKFLOW_UNAVAILABLE' });
    expect(Date.now() - before).toBeLessThan(TIMEOUT_MS); // NATS says "no responders" at once

    const ready = await gateways[1].get<{ code: number; data: { workflow: { status: string } } }>(
      '/api/v1/health/ready',
    );
    expect(ready.status).toBe(200);
    expect(ready.body.data.workflow.status).toBe('down');
    expect((await gateways[1].get('/api/v1/crm/customers')).status).toBe(200);

    await replicas[0].start();
    const back = await gateways[1].get('/api/v1/workflow/ping');
    expect(back.status).toBe(200);
  });
});
