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
