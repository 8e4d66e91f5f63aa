import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { type Stack, startStack, TEST_ADMIN_PASSWORD } from '@app/testing';

function boot(app: 'gateway' | 'workflow', env: Record<string, string>) {
  return spawnSync(process.execPath, [resolve(__dirname, `../../dist/bundle/${app}.js`)], {
    env: { PATH: process.env.PATH ?? '', ENV_FILE: 'none', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

function bootGateway(env: Record<string, string>) {
  return boot('gateway', env);
}

/** A peer the app needs at boot, wrong: one line naming the variable, exit 1, no stack trace. */
function expectOneLine(result: ReturnType<typeof boot>, app: string, variable: string, cause: RegExp) {
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`${app}: cannot reach`);
  expect(lines[0]).toContain(variable);
  expect(lines[0]).toMatch(cause);
}

describe('boot: configuration, migrations, admin seed', () => {
  const serverUrl = process.env.FLOWDESK_TEST_SERVER_URL!; // the run's PostgreSQL (jest global setup)
  it('refuses a JWT secret under 32 bytes and lists every problem readably', () => {
    const result = bootGateway({
      DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
      JWT_SECRET: 'short',
      PORT: 'eighty',
      TZ_BUSINESS: 'Mars/Base',
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('gateway: invalid configuration');
    expect(result.stderr).toContain('JWT_SECRET must be at least 32 bytes');
    expect(result.stderr).toMatch(/PORT: .*integer/);
    expect(result.stderr).toContain('TZ_BUSINESS: must be an IANA time zone');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses the JWT_SECRET of .env.example in production', () => {
    const example = readFileSync(resolve(__dirname, '../../.env.example'), 'utf8');
    const secret = /^JWT_SECRET=(.+)$/m.exec(example)![1];
    const result = bootGateway({
      DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
      JWT_SECRET: secret,
      NODE_ENV: 'production',
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('JWT_SECRET is the placeholder of .env.example');
    expect(result.stderr).not.toContain(secret);
  });

  it('refuses to start without DATABASE_URL', () => {
    const result = bootGateway({ JWT_SECRET: 'x'.repeat(40) });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('DATABASE_URL');
  });

  it('refuses a DATABASE_URL the drivers cannot parse, naming it, on both apps', () => {
    for (const app of ['gateway', 'workflow'] as const) {
      const result = boot(app, {
        DATABASE_URL: 'postgres://flowdesk:50%off@127.0.0.1:5432/flowdesk',
        JWT_SECRET: 'x'.repeat(40),
      });
      expect(result.status).toBe(78);
      expect(result.stderr).toContain(`${app}: invalid configuration`);
      expect(result.stderr).toMatch(/DATABASE_URL: .*percent-encode/);
      expect(result.stderr).not.toContain('50%off'); // the password is not echoed
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('stops with one line naming DATABASE_URL when the database cannot be reached or does not exist', () => {
    for (const app of ['gateway', 'workflow'] as const) {
      const refused = boot(app, {
        DATABASE_URL: 'postgres://flowdesk:secret-pw@127.0.0.1:1/flowdesk',
        JWT_SECRET: 'x'.repeat(40),
      });
      expectOneLine(refused, app, 'DATABASE_URL', /ECONNREFUSED/);
      expect(refused.stderr).not.toContain('secret-pw');
      expectOneLine(
        boot(app, {
          DATABASE_URL: `${serverUrl}/flowdesk_boot_no_such_database`,
          JWT_SECRET: 'x'.repeat(40),
        }),
        app,
        'DATABASE_URL',
        /flowdesk_boot_no_such_database" does not exist/,
      );
    }
  });

  it('stops with one line naming NATS_SERVERS when NATS cannot be reached (WORKFLOW_TRANSPORT=nats)', () => {
    for (const app of ['gateway', 'workflow'] as const)
      expectOneLine(
        boot(app, {
          DATABASE_URL: `${serverUrl}/postgres`,
          JWT_SECRET: 'x'.repeat(40),
          MIGRATIONS_RUN: 'false',
          WORKFLOW_TRANSPORT: 'nats',
          NATS_SERVERS: 'nats://127.0.0.1:1',
        }),
        app,
        'NATS_SERVERS',
        /connection refused/,
      );
  });

  describe('on an empty database', () => {
    let stack: Stack;
    afterAll(() => stack?.stop());

    it('applies both schemas’ migrations at start and seeds the admin once', async () => {
      stack = await startStack({ label: 'boot_migrate', emptyDatabase: true });
      const db = new Client({ connectionString: stack.db.url });
      await db.connect();
      try {
        const tables = await db.query(
          `SELECT table_schema, table_name FROM information_schema.tables WHERE table_name = 'migrations' ORDER BY 1`,
        );
        expect(tables.rows).toEqual([
          { table_schema: 'core', table_name: 'migrations' },
          { table_schema: 'workflow', table_name: 'migrations' },
        ]);
        const admins = await db.query(
          `SELECT s.id::text AS id, s.account, s.password_hash,
                  ARRAY(SELECT r.code FROM core.staff_roles sr JOIN core.roles r ON r.id = sr.role_id
                         WHERE sr.staff_id = s.id) AS roles
             FROM core.staff s`,
        );
        expect(admins.rows).toHaveLength(1);
        // the super admin: staff id 1 (the BPMN samples' assignee), role super_admin (every permission, scope all)
        expect(admins.rows[0]).toMatchObject({ id: '1', account: 'admin', roles: ['super_admin'] });
        expect(admins.rows[0].password_hash).toMatch(/^\$argon2id\$/);
        expect(admins.rows[0].password_hash).not.toContain(TEST_ADMIN_PASSWORD);

        // a restart neither re-applies migrations nor seeds a second admin
        await stack.gateway.stop();
        await stack.gateway.start();
        const again = await db.query(`SELECT count(*)::int AS n FROM core.staff`);
        expect(again.rows[0].n).toBe(1);
      } finally {
        await db.end();
      }
    });
  });
});
