import { randomBytes } from 'node:crypto';
import { type AppName, AppProcess } from './app-process';
import { freePort } from './free-port';
import { HttpClient } from './http-client';
import { logStack } from './stack-log';
import {
  expiredParkedStacks,
  isPlainKey,
  MAX_PARKED,
  type ParkedApp,
  type ParkedStack,
  parkedKeys,
  parkStack,
  takeParkedStack,
} from './stack-pool';
import {
  createTestDatabase,
  databaseShape,
  type DatabaseSnapshot,
  openHistoryOfEndedInstances,
  resetDatabase,
  snapshotDatabase,
  type TestDatabase,
  testDatabaseOf,
} from './test-database';

export const TEST_ADMIN_PASSWORD = 'Admin#Passw0rd!';
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
/** NATS on every developer and CI machine (STACK-NOTES); NATS_SERVERS overrides it. */
export const NATS_TEST_SERVERS = 'nats://127.0.0.1:4222';

export interface StackOptions {
  /** Label of the test database (the test file's name is a good one). */
  label: string;
  /** Extra variables for both apps (e.g. WORKFLOW_TIMEOUT_MS). */
  env?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  workflowEnv?: Record<string, string>;
  /** Start from an empty database, so the apps apply their migrations themselves (never a parked stack). */
  emptyDatabase?: boolean;
  /** Start the workflow app too (default true). */
  withWorkflow?: boolean;
  /** The gateway → workflow transport (default tcp). NATS stacks get their own subject prefix. */
  transport?: 'tcp' | 'nats';
  /**
   * Boot new apps and never park them, for a file that changes a running stack in a way the pool cannot
   * see (say why at the call). Stopping, killing or pausing a stack's app is seen already; replicas and
   * extra gateways are stopped before the stack is parked.
   */
  fresh?: boolean;
}

export interface Stack {
  db: TestDatabase;
  gateway: AppProcess;
  workflow: AppProcess;
  http: HttpClient;
  /** Another workflow replica on the same database (own ports; over NATS it joins the queue group). */
  addWorkflowReplica(env?: Record<string, string>): Promise<AppProcess>;
  /** Another gateway on the same database and link (own port). */
  addGateway(env?: Record<string, string>): Promise<{ gateway: AppProcess; http: HttpClient }>;
  /** Checks the history invariant, then parks the stack for the next file of this worker or stops it. */
  stop(): Promise<void>;
}

/**
 * What every test stack runs with unless its file sets otherwise: values that several files need and that
 * every other file is indifferent to (audited per file, docs/performance.md "pool"), so those files share the
 * default configuration, and its parked stacks, instead of booting one each. Not a place for values a file's
 * assertions depend on without setting them: such a file sets them itself.
 * - timer cycles down to 1 s allowed (60 s in production): the timer files run cycles of 1-2 s; a file that
 *   checks the production minimum sets it (bounded-bpmn).
 * - sign-in limits of 50 failures per account and 1,000 attempts per IP (5 and 30): the browser files and the
 *   access matrices sign in more often than that; identity/rate-limit sets its own small limits.
 */
export const TEST_PROFILE = {
  gateway: { LOGIN_RATE_ACCOUNT_LIMIT: '50', LOGIN_RATE_IP_LIMIT: '1000' },
  workflow: { BPMN_MIN_TIMER_CYCLE_MS: '1000' },
} as const satisfies Record<AppName, Record<string, string>>;
/** Jest runs only: the benches start stacks too, and measure the production settings. */
const profile = (app: AppName): Record<string, string> =>
  process.env.JEST_WORKER_ID === undefined ? {} : TEST_PROFILE[app];

/**
 * Stacks of the same configuration are interchangeable once reset: the label only names the database, and
 * an app's variable set to its profile value (TEST_PROFILE) is no setting of the file's own.
 */
function poolKeyOf(options: StackOptions): string | undefined {
  if (options.fresh || options.emptyDatabase || MAX_PARKED === 0) return undefined;
  const own = (env: Record<string, string> = {}, defaults: Record<string, string> = {}) =>
    Object.entries(env)
      .filter(([name, value]) => defaults[name] !== value)
      .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([
    own(options.env),
    own(options.gatewayEnv, profile('gateway')),
    own(options.workflowEnv, profile('workflow')),
    options.transport ?? 'tcp',
    options.withWorkflow !== false,
  ]);
}

/**
 * Both apps for real against a database that holds what a fresh boot leaves: gateway (HTTP) → TCP →
 * workflow → PostgreSQL. A stack another file of this jest worker left with the same configuration is
 * reused (stack-pool.ts): its database was reset and its caches flushed when that file stopped it.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const key = poolKeyOf(options);
  const waiting = parkedKeys();
  let parked = key ? takeParkedStack(key) : undefined;
  await Promise.all(expiredParkedStacks().map((stack) => stopParked(stack, 'expired')));
  let adopted = parked && adoptStack(parked);
  let why = key ? (parked ? undefined : 'none parked') : 'not pooled';
  if (adopted && !(await wake(adopted))) {
    await stopParked(parked!, 'did not wake');
    [parked, adopted, why] = [undefined, undefined, 'did not wake'];
  }
  const booted = adopted ?? (await bootStack(options));
  const { db, gateway, workflow } = booted;
  logStack({
    event: 'start',
    label: options.label,
    key: key ?? null,
    reused: !!adopted,
    why,
    parked: waiting,
    gatewayBoot: adopted ? undefined : gateway.boot,
    workflowBoot: adopted ? undefined : workflow.boot,
  });
  const snapshot =
    parked?.snapshot ??
    (key
      ? await snapshotDatabase(db.url).catch(async (error: unknown) => {
          await Promise.all([gateway.kill(), workflow.kill()]);
          await db.drop();
          throw error;
        })
      : undefined);
  const replicas: AppProcess[] = [];
  const started = options.withWorkflow === false ? [gateway] : [gateway, workflow];
  const withPort = (env: Record<string, string>, ports: Record<string, number>) => ({
    ...env,
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
  });
  return {
    db,
    gateway,
    workflow,
    http: new HttpClient(gateway.origin),
    async addWorkflowReplica(env = {}) {
      const [tcp, http] = await Promise.all([freePort(), freePort()]);
      const replica = new AppProcess(
        'workflow',
        { ...withPort(workflow.env, { WORKFLOW_TCP_PORT: tcp, WORKFLOW_HTTP_PORT: http }), ...env },
        `http://127.0.0.1:${http}/health`,
      );
      replicas.push(replica);
      await replica.start();
      return replica;
    },
    async addGateway(env = {}) {
      const http = await freePort();
      const extra = new AppProcess(
        'gateway',
        { ...withPort(gateway.env, { PORT: http }), ...env },
        `http://127.0.0.1:${http}/api/v1/health`,
      );
      replicas.push(extra);
      await extra.start();
      return { gateway: extra, http: new HttpClient(`http://127.0.0.1:${http}`) };
    },
    async stop() {
      // as booted: the apps it started untouched, no late workflow start. Replicas and extra gateways only
      // shared the database, which the reset restores, and wrote nothing into the stack's own apps that the
      // cache flush does not drop; they are stopped here, before the invariant and the reset.
      const reusable =
        key &&
        snapshot &&
        started.every((app) => app.asBooted) &&
        !(options.withWorkflow === false && workflow.running);
      if (!reusable) {
        logStack({
          event: 'stop',
          label: options.label,
          key: key ?? null,
          parked: false,
          why: [
            !key && 'not pooled',
            key && !snapshot && 'no snapshot',
            started.some((app) => !app.asBooted) && 'app stopped/killed/paused/restarted',
            options.withWorkflow === false && workflow.running && 'workflow started late',
          ].filter(Boolean),
        });
        await Promise.all([gateway.stop(), workflow.stop(), ...replicas.map((r) => r.stop())]);
      } else await Promise.all(replicas.map((r) => r.stop()));
      // every e2e file that ends instances checks the history invariant here, in its afterAll
      let open: string[];
      try {
        open = await openHistoryOfEndedInstances(db.url);
      } finally {
        if (reusable) await parkOrStop(key, snapshot, booted);
        else await db.drop();
      }
      if (open.length)
        throw new Error(
          `ended instances kept open activity-history rows (instance:element): ${open.join(', ')}`,
        );
    },
  };
}

interface BootedStack {
  db: TestDatabase;
  gateway: AppProcess;
  workflow: AppProcess;
}

async function bootStack(options: StackOptions): Promise<BootedStack> {
  const db = await createTestDatabase(options.label, { empty: options.emptyDatabase });
  const [port, tcpPort, healthPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const common = {
    DATABASE_URL: db.url,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    MIGRATIONS_RUN: options.emptyDatabase ? 'true' : 'false', // the template is migrated already
    DATABASE_POOL_SIZE: '5',
    ...(options.transport === 'nats'
      ? {
          WORKFLOW_TRANSPORT: 'nats',
          NATS_SERVERS: process.env.NATS_SERVERS ?? NATS_TEST_SERVERS,
          NATS_SUBJECT_PREFIX: `test_${process.pid}_${randomBytes(4).toString('hex')}`,
        }
      : {}),
    ...options.env,
  };
  const workflow = new AppProcess(
    'workflow',
    {
      ...profile('workflow'),
      ...common,
      WORKFLOW_TCP_PORT: String(tcpPort),
      WORKFLOW_HTTP_PORT: String(healthPort),
      ...options.workflowEnv,
    },
    `http://127.0.0.1:${healthPort}/health`,
  );
  const gateway = new AppProcess(
    'gateway',
    {
      ...profile('gateway'),
      ...common,
      HOST: '127.0.0.1',
      PORT: String(port),
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      WORKFLOW_TCP_PORT: String(tcpPort),
      ...options.gatewayEnv,
    },
    `http://127.0.0.1:${port}/api/v1/health`,
  );
  try {
    await Promise.all([options.withWorkflow === false ? undefined : workflow.start(), gateway.start()]);
  } catch (error) {
    await Promise.all([workflow.kill(), gateway.kill()]);
    await db.drop();
    throw error;
  }
  return { db, gateway, workflow };
}

function adoptStack(parked: ParkedStack): BootedStack {
  const adopt = (name: AppName, app: ParkedApp) => {
    const adopted = new AppProcess(name, app.env, app.healthUrl);
    if (app.child) adopted.adopt(app.child, app.bootOutput);
    return adopted;
  };
  return {
    db: testDatabaseOf(parked.db.name, parked.db.url),
    gateway: adopt('gateway', parked.gateway),
    workflow: adopt('workflow', parked.workflow),
  };
}

/**
 * Resets the stack to what a fresh boot leaves (database, then the apps' caches) and parks it; a stack
 * whose database changed shape, or whose reset fails, is stopped instead.
 */
async function parkOrStop(key: string, snapshot: DatabaseSnapshot, stack: BootedStack): Promise<void> {
  const { db, gateway, workflow } = stack;
  const running = [gateway, workflow].filter((app) => app.running);
  try {
    if ((await databaseShape(db.url)) !== snapshot.shape) throw new Error('the database changed shape');
    await resetDatabase(db.url, snapshot);
    await Promise.all(running.map((app) => testCall(app, 'reset')));
    await Promise.all(running.map((app) => testCall(app, 'park')));
  } catch (error) {
    logStack({ event: 'stop', key, parked: false, why: [(error as Error).message] });
    await Promise.all([gateway.stop(), workflow.stop()]);
    await db.drop();
    return;
  }
  const release = (app: AppProcess): ParkedApp => {
    const handed = app.release();
    return {
      child: handed?.child,
      bootOutput: handed?.bootOutput ?? '',
      env: app.env,
      healthUrl: app.healthUrl,
    };
  };
  logStack({ event: 'stop', key, parked: true });
  parkStack({
    key,
    plain: isPlainKey(key),
    db: { name: db.name, url: db.url },
    snapshot,
    gateway: release(gateway),
    workflow: release(workflow),
    parkedAt: Date.now(),
  });
  await Promise.all(expiredParkedStacks().map((stack) => stopParked(stack, 'expired')));
}

/**
 * The app's test-only routes (libs/common test-reset.ts): `reset` drops caches, rate-limit blocks and
 * metrics; `park` pauses its pollers while the stack waits for the next file, `unpark` restarts them.
 */
async function testCall(app: AppProcess, action: 'reset' | 'park' | 'unpark'): Promise<void> {
  const response = await fetch(`${app.origin}/__test/${action}`, { method: 'POST' });
  if (response.status !== 204)
    throw new Error(`${app.name} refused its test ${action}: HTTP ${response.status}`);
}

/** Restarts a parked stack's pollers; false if an app no longer answers (the stack is then stopped). */
async function wake(stack: BootedStack): Promise<boolean> {
  const running = [stack.gateway, stack.workflow].filter((app) => app.running);
  return Promise.all(running.map((app) => testCall(app, 'unpark'))).then(
    () => true,
    () => false,
  );
}

/** Idle since its reset: nothing to finish, so a kill. */
async function stopParked(stack: ParkedStack, why: string): Promise<void> {
  logStack({ event: 'evict', key: stack.key, why, idleMs: Date.now() - stack.parkedAt });
  const adopted = adoptStack(stack);
  await Promise.all([adopted.gateway.kill(), adopted.workflow.kill()]);
  await adopted.db.drop();
}
