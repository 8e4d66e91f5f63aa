import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { type Stack, startStack, TEST_ADMIN_PASSWORD } from '@app/testing';

const gatewayMain = resolve(__dirname, '../../dist/bundle/gateway.js');

function bootGateway(env: Record<string, string>) {
  return spawnSync(process.execPath, [gatewayMain], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('boot: configuration, migrations, admin seed', () => {
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

  it('refuses to start without DATABASE_URL', () => {
    const result = bootGateway({ JWT_SECRET: 'x'.repeat(40) });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('DATABASE_URL');
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
