import { Client } from 'pg';
import type { DataScope } from '@app/contracts';
import {
  createRole,
  createStaff,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  type Stack,
  type StaffSpec,
  startStack,
  type TestMember,
  type TestSession,
} from '@app/testing';
import { deploy } from '../workflow/workflow-helpers';

export interface CountRow {
  period: string;
  periodStart: string;
  processKey: string;
  status: string;
  count: number;
}

export interface DurationRow {
  key: string;
  name: string | null;
  count: number;
  waitingP50: number | null;
  waitingP95: number | null;
  workingP50: number | null;
  workingP95: number | null;
  totalP50: number | null;
  totalP95: number | null;
  instances: number | null;
  instanceP50: number | null;
  instanceP95: number | null;
}

export interface WorkOrderCountRow {
  categoryId: string | null;
  categoryName: string | null;
  status: string;
  count: number;
}

/** What the report suites start from: both apps, the admin, SQL on the stack's database, their flow deployed. */
export interface ReportStack {
  stack: Stack;
  admin: TestSession;
  definitionId: string;
  sql<T>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** Boots the stack with the job poller off (timestamps are set by hand), signs in and deploys `flow`. */
export async function startReportStack(
  label: string,
  flow: string,
  workflowEnv: Record<string, string> = {},
): Promise<ReportStack> {
  const stack = await startStack({ label, workflowEnv: { WORKFLOW_JOB_POLL_MS: '0', ...workflowEnv } });
  const db = new Client({ connectionString: stack.db.url });
  const stop = async () => {
    await db.end().catch(() => undefined);
    if (process.env.SHOW_LOGS)
      console.log(stack.gateway.logs().slice(-4000), stack.workflow.logs().slice(-4000));
    await stack.stop();
  };
  try {
    await db.connect();
    const admin = await loginAsAdmin(stack.http);
    const definitionId = (await deploy(admin.http, flow)).id;
    const sql = async <T>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[];
    return { stack, admin, definitionId, sql, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A member created by the admin and signed in. */
export async function signedInStaff(
  reports: ReportStack,
  spec: StaffSpec,
): Promise<TestMember & { http: HttpClient }> {
  const member = await createStaff(reports.admin.http, spec);
  return { ...member, http: (await loginAs(reports.stack.http, member.account, member.password)).http };
}

/** A member whose own role grants `monitoring:read` in the given data scope, signed in. */
export async function reportReader(
  reports: ReportStack,
  account: string,
  dataScope: DataScope,
  departmentId?: string,
): Promise<TestMember & { http: HttpClient }> {
  const role = await createRole(reports.admin.http, {
    code: `${account}_role`,
    permissions: ['monitoring:read'],
    dataScope,
  });
  return signedInStaff(reports, { account, departmentId, roleIds: [role] });
}

/** percentile_cont: linear interpolation between the closest ranks; `round` as the report rounds, if it does. */
export function percentile(
  values: number[],
  p: number,
  round: (value: number) => number = (value) => value,
): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  return round(sorted[lo] + (sorted[Math.ceil(rank)] - sorted[lo]) * (rank - lo));
}

/** The waiting, working and total p50 / p95 of a duration row, from the tasks' own durations (ms). */
export function taskPercentiles(
  tasks: { waiting: number; working: number; total: number }[],
  round?: (value: number) => number,
) {
  const of = (metric: 'waiting' | 'working' | 'total', p: number) =>
    percentile(
      tasks.map((t) => t[metric]),
      p,
      round,
    );
  return {
    waitingP50: of('waiting', 0.5),
    waitingP95: of('waiting', 0.95),
    workingP50: of('working', 0.5),
    workingP95: of('working', 0.95),
    totalP50: of('total', 0.5),
    totalP95: of('total', 0.95),
  };
}
