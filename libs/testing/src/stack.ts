import { randomBytes } from 'node:crypto';
import { AppProcess } from './app-process';
import { freePort } from './free-port';
import { HttpClient } from './http-client';
import { createTestDatabase, openHistoryOfEndedInstances, type TestDatabase } from './test-database';

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
  /** Start from an empty database, so the apps apply their migrations themselves. */
  emptyDatabase?: boolean;
  /** Start the workflow app too (default true). */
  withWorkflow?: boolean;
  /** The gateway → workflow transport (default tcp). NATS stacks get their own subject prefix. */
  transport?: 'tcp' | 'nats';
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
  stop(): Promise<void>;
}

/** Boots both apps for real against a fresh database: gateway (HTTP) → TCP → workflow → PostgreSQL. */
export async function startStack(options: StackOptions): Promise<Stack> {
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
  const workflowEnv = (tcp: number, http: number) => ({
    ...common,
    WORKFLOW_TCP_PORT: String(tcp),
    WORKFLOW_HTTP_PORT: String(http),
    ...options.workflowEnv,
  });
  const workflow = new AppProcess(
    'workflow',
    workflowEnv(tcpPort, healthPort),
    `http://127.0.0.1:${healthPort}/health`,
  );
  const gatewayEnv = (http: number) => ({
    ...common,
    HOST: '127.0.0.1',
    PORT: String(http),
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    WORKFLOW_TCP_PORT: String(tcpPort),
    ...options.gatewayEnv,
  });
  const gateway = new AppProcess('gateway', gatewayEnv(port), `http://127.0.0.1:${port}/api/v1/health`);
  const replicas: AppProcess[] = [];
  try {
    await Promise.all([options.withWorkflow === false ? undefined : workflow.start(), gateway.start()]);
  } catch (error) {
    await Promise.all([workflow.kill(), gateway.kill()]);
    await db.drop();
    throw error;
  }
  return {
    db,
    gateway,
    workflow,
    http: new HttpClient(`http://127.0.0.1:${port}`),
    async addWorkflowReplica(env = {}) {
      const [tcp, http] = await Promise.all([freePort(), freePort()]);
      const replica = new AppProcess(
        'workflow',
        { ...workflowEnv(tcp, http), ...env },
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
        { ...gatewayEnv(http), ...env },
        `http://127.0.0.1:${http}/api/v1/health`,
      );
      replicas.push(extra);
      await extra.start();
      return { gateway: extra, http: new HttpClient(`http://127.0.0.1:${http}`) };
    },
    async stop() {
      await Promise.all([gateway.stop(), workflow.stop(), ...replicas.map((r) => r.stop())]);
      // every e2e file that ends instances checks the history invariant here, in its afterAll
      let open: string[];
      try {
        open = await openHistoryOfEndedInstances(db.url);
      } finally {
        await db.drop();
      }
      if (open.length)
        throw new Error(
          `ended instances kept open activity-history rows (instance:element): ${open.join(', ')}`,
        );
    },
  };
}
