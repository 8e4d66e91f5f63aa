import { Client } from 'pg';
import {
  createDepartment,
  createRole,
  createStaff,
  type EnvelopeBody,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  type Stack,
} from '@app/testing';

export type Row = Record<string, unknown> & { id: string };
export type PageOf<T = Row> = { total: number; more?: boolean; pageNum: number; pageSize: number; rows: T[] };

/** The `data` of a 200 answer; throws with the answer otherwise. */
export async function ok<T = Row>(answer: Promise<{ status: number; body: unknown }>): Promise<T> {
  const { status, body } = await answer;
  const envelope = body as EnvelopeBody<T>;
  if (status !== 200 || envelope?.code !== 200) throw new Error(`HTTP ${status} ${JSON.stringify(body)}`);
  return envelope.data;
}

export const listOf = <T = Row>(http: HttpClient, path: string) => ok<PageOf<T>>(http.get(path));

/** Who reads the statistics suites: the admin, a department-and-below reader and an own-scope reader. */
export interface StatsReaders {
  db: Client;
  admin: HttpClient;
  adminId: string;
  alice: { http: HttpClient; id: string };
  olga: { http: HttpClient; id: string };
  departments: { a: string; a1: string; b: string };
}

/**
 * Departments A (A1 below it) and B; alice reads A and below, olga only her own records; a direct
 * database client for writing records in bulk. `prefix` keeps the names of each suite apart.
 */
export async function statsReaders(stack: Stack, prefix: string): Promise<StatsReaders> {
  const session = await loginAsAdmin(stack.http);
  const admin = session.http;
  const a = await createDepartment(admin, `${prefix} A`);
  const departments = {
    a,
    a1: await createDepartment(admin, `${prefix} A1`, a),
    b: await createDepartment(admin, `${prefix} B`),
  };
  const role = (code: string, dataScope: 'department_and_below' | 'own') =>
    createRole(admin, { code: `${prefix}_${code}`, permissions: ['stats:read'], dataScope });
  const below = await role('below', 'department_and_below');
  const own = await role('own', 'own');
  const reader = async (name: string, departmentId: string, roleId: string) => {
    const member = await createStaff(admin, {
      account: `${prefix}_${name}`,
      departmentId,
      roleIds: [roleId],
    });
    return { http: (await loginAs(stack.http, member.account, member.password)).http, id: member.id };
  };
  const alice = await reader('alice', a, below);
  const olga = await reader('olga', departments.b, own);
  const db = new Client({ connectionString: stack.db.url });
  await db.connect();
  return { db, admin, adminId: session.staffId, alice, olga, departments };
}

/** A row of /api/v1/stats/* (one organization, one bucket). */
export interface StatRow {
  organizationId: string;
  bucket: string | null;
  signAmount?: string;
  signCount?: number;
  demandCount?: number;
  followUpCount?: number;
  firstSignTime?: string;
  firstRecordTime?: string;
}

/** The three statistics: their route, the records they count and the fields they answer with. */
export const STATS = [
  { path: 'signing', table: 'crm_contract', time: 'sign_time', count: 'signCount', first: 'firstSignTime' },
  {
    path: 'demands',
    table: 'crm_demand',
    time: 'record_time',
    count: 'demandCount',
    first: 'firstRecordTime',
  },
  {
    path: 'follow-ups',
    table: 'crm_follow_up',
    time: 'record_time',
    count: 'followUpCount',
    first: 'firstRecordTime',
  },
] as const;

export type StatsReader = 'admin' | 'alice' | 'olga';

/** Who sees what, written independently of the gateway: DESIGN §3's scopes over the record columns. */
function scopeSql(readers: StatsReaders, who: StatsReader): string {
  if (who === 'admin') return 'TRUE';
  const mine = (id: string) => `(t.creator_id = ${id} OR t.follower_ids @> ARRAY[${id}]::bigint[])`;
  if (who === 'olga') return mine(readers.olga.id);
  const { a, a1 } = readers.departments;
  return `(t.department_id IN (${a}, ${a1}) OR ${mine(readers.alice.id)})`;
}

/**
 * Every group of the window in the API's order (organization, then bucket), aggregated from the records
 * in business days of `zone`: `[organization, bucket label, amount (signing only), count, first time]`.
 */
export async function expectedStats(
  readers: StatsReaders,
  stat: (typeof STATS)[number],
  who: StatsReader,
  window: { from: string; to: string },
  zone: string,
  bucket: 'month' | null,
): Promise<unknown[][]> {
  const local = `timezone('${zone}', t.${stat.time})`;
  const label = bucket ? `to_char(${local}, 'YYYY-MM')` : 'NULL';
  const { rows } = await readers.db.query<{
    org: string;
    label: string | null;
    amount: string | null;
    n: number;
    first: Date;
  }>(
    `SELECT t.organization_id::text AS org, ${label} AS label,
            ${stat.table === 'crm_contract' ? 'COALESCE(sum(t.amount), 0)::numeric(16,2)::text' : 'NULL'} AS amount,
            count(*)::int AS n, min(t.${stat.time}) AS first
       FROM core.${stat.table} t
      WHERE t.deleted_at IS NULL AND ${scopeSql(readers, who)}
        AND t.${stat.time} BETWEEN $1 AND $2
        AND EXISTS (SELECT 1 FROM core.crm_organization o WHERE o.id = t.organization_id AND o.deleted_at IS NULL)
      GROUP BY t.organization_id, 2 ORDER BY t.organization_id, 2`,
    [window.from, window.to],
  );
  return rows.map((r) => [
    r.org,
    r.label,
    ...(r.amount === null ? [] : [r.amount]),
    r.n,
    r.first.toISOString(),
  ]);
}
