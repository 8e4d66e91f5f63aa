/**
 * The bare baseline of bench/gateway: node:http + pg and nothing else, answering each measured route
 * with the SQL statements the gateway (and, for workflow routes, the workflow app) sends for it —
 * captured from PostgreSQL's statement log — so the ratio shows what the framework layers cost.
 * The gateway resolves a Bearer session from its cache (AUTH_CACHE_TTL_SECONDS) after the first request,
 * so the session statement is not repeated here. Started by gateway.bench.ts: BARE_PORT, DATABASE_URL, BARE_STAFF_ID.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { ROUTE_SQL } from './route-sql';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const staffId = process.env.BARE_STAFF_ID ?? '1';

let failed = false;
type Handler = () => Promise<unknown>;

const handlers: Record<string, Handler> = {
  '/customers': async () => {
    const [page, count] = await Promise.all([
      pool.query(ROUTE_SQL.customersPage),
      pool.query(ROUTE_SQL.customersCount),
    ]);
    const people = [...new Set(page.rows.flatMap((r) => [r.c_owner_id, r.c_creator_id]).map(String))];
    const staff = await pool.query(ROUTE_SQL.customersStaff, [people.filter((p) => /^\d+$/.test(p)), people]);
    return {
      total: Math.min(count.rows[0].n, 10_000),
      more: count.rows[0].n > 10_000,
      rows: page.rows,
      staff: staff.rows,
    };
  },
  '/me': async () => {
    const { rows } = await pool.query(ROUTE_SQL.me, [staffId]);
    return rows[0];
  },
  '/todo': async () => {
    const params = [
      [staffId, 'admin'],
      [`user:${staffId}`, 'user:admin', 'group:super_admin', 'group:role:super_admin'],
    ];
    const tasks = await pool.query(ROUTE_SQL.todo, params);
    const total =
      tasks.rows.length < 20
        ? tasks.rows.length
        : (await pool.query(ROUTE_SQL.todoCount, params)).rows[0].total;
    return { total, rows: tasks.rows };
  },
  '/definitions': async () => {
    const page = await pool.query(ROUTE_SQL.definitionsPage);
    const total =
      page.rows.length < 20 ? page.rows.length : (await pool.query(ROUTE_SQL.definitionsCount)).rows[0].total;
    return { total, rows: page.rows };
  },
};

createServer((req, res) => {
  const handler = handlers[req.url ?? ''];
  if (!handler) {
    res.writeHead(404).end();
    return;
  }
  handler().then(
    (data) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, data }));
    },
    (error: unknown) => {
      if (!failed) console.error(error);
      failed = true;
      res.writeHead(500).end(String(error));
    },
  );
}).listen(Number(process.env.BARE_PORT), '127.0.0.1', () => process.send?.('ready'));
