import type { EnvelopeBody, HttpAnswer, HttpClient } from '@app/testing';
import { ok, start } from '../workflow/workflow-helpers';
import {
  type CountRow,
  type DurationRow,
  percentile,
  reportReader,
  type ReportStack,
  signedInStaff,
  startReportStack,
  taskPercentiles,
} from './report-helpers';

// Every report is compared with SQL written here independently of apps/workflow/src/reports (and
// percentiles computed here in JS), on history made through the API plus rows inserted with
// controlled timestamps on both sides of month, quarter and year edges in TZ_BUSINESS (Asia/Shanghai).

const TZ = 'Asia/Shanghai';
const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="rpDefs" targetNamespace="http://flowdesk.example/reports">
  <process id="reportFlow" name="Report flow" isExecutable="true">
    <startEvent id="start" camunda:initiator="initiator" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="Review" camunda:candidateUsers="\${initiator}" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="approve" />
    <userTask id="approve" name="Approve" camunda:assignee="\${initiator}" />
    <sequenceFlow id="f3" sourceRef="approve" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

interface Instance {
  id: string;
  tasks: { id: string; elementId: string }[];
}
interface Monitored {
  id: string;
  processKey: string;
  currentNodes: string[];
  reasons: { code: string; detail: string; since: string; taskId: string | null; jobId: string | null }[];
}
interface Page<T> {
  total: number;
  rows: T[];
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const field = (answer: HttpAnswer<unknown>) =>
  (answer.body as { code: number; errors?: { field: string }[] }).errors?.map((e) => e.field) ?? [];

describe('monitoring centre and process reports', () => {
  let reports: ReportStack;
  let admin: { http: HttpClient };
  let definitionId: string;
  const ids: Record<string, string> = {};

  const get = <T>(s: { http: HttpClient }, path: string) => s.http.get<EnvelopeBody<T>>(path);
  const sql = <T>(text: string, params: unknown[] = []) => reports.sql<T>(text, params);

  beforeAll(async () => {
    reports = await startReportStack('reports', FLOW);
    ({ admin, definitionId } = reports);

    const post = async (path: string, body: Record<string, unknown> = {}) =>
      ok(await admin.http.post<EnvelopeBody<unknown>>(`/api/v1/workflow${path}`, body), path);
    // Real history through the API.
    const begin = () => start(admin.http, { definitionId }) as Promise<Instance>;
    const done = await begin();
    await post(`/tasks/${done.tasks[0].id}/claim`);
    const second = ok<{ createdTasks: { id: string }[] }>(
      await admin.http.post(`/api/v1/workflow/tasks/${done.tasks[0].id}/complete`, {}),
    );
    await post(`/tasks/${second.createdTasks[0].id}/complete`);
    const halfway = await begin(); // review completed unclaimed, approve open
    await post(`/tasks/${halfway.tasks[0].id}/complete`);
    const stopped = await begin();
    await post(`/instances/${stopped.id}/stop`, { comment: 'no longer needed' });
    for (const name of ['overdue', 'failed', 'stuck', 'healthy']) ids[name] = (await begin()).id;
    ids.done = done.id;
    ids.halfway = halfway.id;

    // Abnormal states with controlled timestamps.
    await sql(
      `UPDATE workflow.task SET due_at = now() - interval '1 hour' WHERE instance_id = $1 AND status = 'open'`,
      [ids.overdue],
    );
    await sql(
      `INSERT INTO workflow.job (kind, instance_id, timer_id, element_id, due_at, status, attempts, last_error, finished_at)
       VALUES ('timer', $1, 'boom', 'review', now() - interval '2 hours', 'failed', 5, 'handler exploded', now())`,
      [ids.failed],
    );
    await sql(
      `UPDATE workflow.process_instance SET updated_at = now() - interval '100 hours' WHERE id = $1`,
      [ids.stuck],
    );

    // Finished instances at period edges (TZ_BUSINESS), each with one completed task of known durations.
    const edges: [string, string, string][] = [
      ['2025-01-31 23:59:59', 'completed', 'a'], // month edge
      ['2025-02-01 00:00:00', 'completed', 'b'],
      ['2025-03-31 23:59:59', 'rejected', 'a'], // quarter edge
      ['2025-04-01 00:00:00', 'completed', 'b'],
      ['2025-12-31 23:59:59', 'completed', 'a'], // year edge
      ['2026-01-01 00:00:00', 'stopped', 'b'],
      ['2026-01-01 00:00:00', 'completed', 'a'],
    ];
    for (const [i, [local, status, who]] of edges.entries()) {
      const [row] = await sql<{ id: string }>(
        `INSERT INTO workflow.process_instance (definition_id, definition_key, definition_version, process_name,
           serial_no, status, initiator_id, state, variables, started_at, ended_at, updated_at)
         VALUES ($1, 'edgeFlow', 1, 'Edge flow', $2, $3, '1', '{}', '{}', ($4::timestamp AT TIME ZONE '${TZ}'),
           ($4::timestamp AT TIME ZONE '${TZ}') + make_interval(hours => $5), now())
         RETURNING id::text AS id`,
        [definitionId, `EDGE_${i}`, status, local, 2 + i],
      );
      await sql(
        `INSERT INTO workflow.task (instance_id, definition_id, definition_key, process_name, instance_started_at,
           initiator_id, element_id, execution_id, name, assignee_id, ended_by, status, created_at, claimed_at, ended_at)
         SELECT i.id, i.definition_id, 'edgeFlow', 'Edge flow', i.started_at, '1', $2, 'x_' || i.id, $3, $4, $4,
           'completed', i.started_at, i.started_at + make_interval(mins => $5), i.started_at + make_interval(mins => $6)
         FROM workflow.process_instance i WHERE i.id = $1`,
        [row.id, i % 2 ? 'check' : 'sign', i % 2 ? 'Check' : 'Sign', `user-${who}`, 5 + i * 7, 60 + i * 13],
      );
    }

    // Work orders in categories, with and without an instance.
    const [cat] = await sql<{ id: string }>(
      `INSERT INTO workflow.work_order_category (name) VALUES ('Network') RETURNING id::text AS id`,
    );
    const orders: [string | null, string | null, string][] = [
      [cat.id, ids.done, '2026-01-01 00:00:00'],
      [cat.id, ids.halfway, '2025-12-31 23:59:59'],
      [cat.id, null, '2026-01-02 10:00:00'],
      [null, ids.done, '2026-01-03 10:00:00'],
      [null, null, '2026-01-03 11:00:00'],
    ];
    for (const [i, [category, instanceId, local]] of orders.entries())
      await sql(
        `INSERT INTO workflow.work_order (number, title, system_id, category_id, definition_key, instance_id,
           created_by, created_at)
         VALUES ($1, 'order', 'sys', $2, 'reportFlow', $3, 1, $4::timestamp AT TIME ZONE '${TZ}')`,
        [`WO_${i}`, category, instanceId, local],
      );
  }, 120_000);

  afterAll(() => reports?.stop());

  describe('instance counts per period', () => {
    const LABEL = {
      month: `to_char(started_at AT TIME ZONE '${TZ}', 'YYYY') || '-' || lpad(extract(month FROM started_at AT TIME ZONE '${TZ}')::text, 2, '0')`,
      quarter: `extract(year FROM started_at AT TIME ZONE '${TZ}')::text || '-Q' || extract(quarter FROM started_at AT TIME ZONE '${TZ}')::text`,
      year: `extract(year FROM started_at AT TIME ZONE '${TZ}')::text`,
    } as const;

    for (const period of ['month', 'quarter', 'year'] as const)
      it(`by ${period} equals independent SQL`, async () => {
        const rows = ok<CountRow[]>(await get(admin, `/api/v1/reports/instances?period=${period}`));
        const expected = await sql<{ period: string; processKey: string; status: string; count: number }>(
          `SELECT ${LABEL[period]} AS period, definition_key AS "processKey", status, count(*)::int AS count
             FROM workflow.process_instance GROUP BY 1, 2, 3`,
        );
        const strip = (r: { period: string; processKey: string; status: string; count: number }) =>
          `${r.period}|${r.processKey}|${r.status}|${r.count}`;
        expect(rows.map(strip).sort()).toEqual(expected.map(strip).sort());
      });

    it('puts the last second of a month, quarter and year in it and the first second of the next in the next', async () => {
      const count = async (period: string) =>
        Object.fromEntries(
          ok<CountRow[]>(
            await get(admin, `/api/v1/reports/instances?period=${period}&processKey=edgeFlow`),
          ).map((r) => [`${r.period} ${r.status}`, r.count]),
        );
      expect(await count('month')).toEqual({
        '2025-01 completed': 1,
        '2025-02 completed': 1,
        '2025-03 rejected': 1,
        '2025-04 completed': 1,
        '2025-12 completed': 1,
        '2026-01 completed': 1,
        '2026-01 stopped': 1,
      });
      expect(await count('quarter')).toEqual({
        '2025-Q1 completed': 2,
        '2025-Q1 rejected': 1,
        '2025-Q2 completed': 1,
        '2025-Q4 completed': 1,
        '2026-Q1 completed': 1,
        '2026-Q1 stopped': 1,
      });
      expect(await count('year')).toEqual({
        '2025 completed': 4,
        '2025 rejected': 1,
        '2026 completed': 1,
        '2026 stopped': 1,
      });
      const q2 = ok<CountRow[]>(
        await get(admin, '/api/v1/reports/instances?period=quarter&processKey=edgeFlow'),
      );
      expect(q2.find((r) => r.period === '2025-Q2')?.periodStart).toBe('2025-03-31T16:00:00.000Z');
    });

    it('honours from (inclusive) and to (exclusive; a bare day runs to its end) in TZ_BUSINESS', async () => {
      const total = async (query: string) =>
        ok<CountRow[]>(
          await get(admin, `/api/v1/reports/instances?period=year&processKey=edgeFlow&${query}`),
        ).reduce((n, r) => n + r.count, 0);
      expect(await total('from=2026-01-01&to=2026-01-01')).toBe(2);
      expect(await total('from=2025-12-31&to=2025-12-31')).toBe(1);
      expect(await total('from=2025-12-31%2023:59:59&to=2026-01-01%2000:00:00')).toBe(1);
      expect(await total('from=2025-03-31T15:59:59Z&to=2025-03-31T16:00:00Z')).toBe(1);
      expect(await total('from=2025-02-01')).toBe(6);
    });
  });

  describe('durations from the task history', () => {
    interface RawTask {
      definition_key: string;
      element_id: string;
      who: string;
      waiting: number;
      working: number;
      total: number;
    }
    const raw = (where = '') =>
      sql<RawTask>(
        `SELECT definition_key, element_id, coalesce(assignee_id, ended_by) AS who,
                CASE WHEN claimed_at IS NULL THEN extract(epoch FROM ended_at - created_at) * 1000
                     ELSE extract(epoch FROM claimed_at - created_at) * 1000 END::float8 AS waiting,
                CASE WHEN claimed_at IS NULL THEN 0
                     ELSE extract(epoch FROM ended_at - claimed_at) * 1000 END::float8 AS working,
                (extract(epoch FROM ended_at - created_at) * 1000)::float8 AS total
           FROM workflow.task WHERE status = 'completed' ${where}`,
      );
    const expectRows = (rows: DurationRow[], groups: Map<string, RawTask[]>) => {
      const expected = [...groups.entries()].map(([key, tasks]) => ({
        key,
        count: tasks.length,
        ...taskPercentiles(tasks, Math.round),
      }));
      const actual = rows
        .filter((r) => r.count > 0)
        .map((r) => ({
          key: r.key,
          count: r.count,
          waitingP50: r.waitingP50,
          waitingP95: r.waitingP95,
          workingP50: r.workingP50,
          workingP95: r.workingP95,
          totalP50: r.totalP50,
          totalP95: r.totalP95,
        }));
      const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
      expect(actual.sort(byKey)).toEqual(expected.sort(byKey));
    };

    it('by node, assignee and process equal percentiles computed here from the raw task rows', async () => {
      const tasks = await raw();
      expect(tasks.length).toBeGreaterThanOrEqual(10);
      expectRows(
        ok<DurationRow[]>(await get(admin, '/api/v1/reports/durations?by=node')),
        groupBy(tasks, (t) => `${t.definition_key}:${t.element_id}`),
      );
      const byAssignee = ok<DurationRow[]>(await get(admin, '/api/v1/reports/durations?by=assignee'));
      expectRows(
        byAssignee,
        groupBy(tasks, (t) => t.who),
      );
      // the gateway names the people the workflow app knows by id
      const staff = await sql<{ id: string; real_name: string }>(
        `SELECT id::text AS id, real_name FROM core.staff`,
      );
      const named = byAssignee.filter((r) => staff.some((p) => p.id === r.key));
      expect(named.length).toBeGreaterThan(0);
      for (const row of named) expect(row.name).toBe(staff.find((p) => p.id === row.key)!.real_name);
      const byProcess = ok<DurationRow[]>(await get(admin, '/api/v1/reports/durations'));
      expectRows(
        byProcess,
        groupBy(tasks, (t) => t.definition_key),
      );
      const ended = await sql<{ key: string; ms: number }>(
        `SELECT definition_key AS key, (extract(epoch FROM ended_at - started_at) * 1000)::float8 AS ms
           FROM workflow.process_instance WHERE ended_at IS NOT NULL`,
      );
      for (const [key, list] of groupBy(ended, (e) => e.key)) {
        const row = byProcess.find((r) => r.key === key);
        expect(row).toMatchObject({
          instances: list.length,
          instanceP50: percentile(
            list.map((e) => e.ms),
            0.5,
            Math.round,
          ),
          instanceP95: percentile(
            list.map((e) => e.ms),
            0.95,
            Math.round,
          ),
        });
      }
    });

    it('keeps waiting (created → claimed) apart from working (claimed → completed)', async () => {
      const rows = ok<DurationRow[]>(
        await get(admin, '/api/v1/reports/durations?by=node&processKey=edgeFlow'),
      );
      // sign: tasks 0, 2, 4, 6 claimed after 5, 19, 33, 47 min; ended after 60, 86, 112, 138 min.
      const sign = rows.find((r) => r.key === 'edgeFlow:sign');
      expect(sign).toMatchObject({ count: 4, name: 'Sign', waitingP50: 26 * 60_000, totalP50: 99 * 60_000 });
      expect(sign?.workingP50).toBe(73 * 60_000);
    });

    it('filters by the end time of the task, with period edges', async () => {
      // Edge tasks 4, 5 and 6 end on 2026-01-01 (local): 01:51:59, 02:05 and 02:18.
      const only = async (query: string) =>
        ok<DurationRow[]>(
          await get(admin, `/api/v1/reports/durations?by=node&processKey=edgeFlow&${query}`),
        ).reduce((n, r) => n + r.count, 0);
      const inWindow = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM workflow.task WHERE definition_key = 'edgeFlow' AND status = 'completed'
            AND ended_at >= ('2026-01-01'::timestamp AT TIME ZONE '${TZ}')
            AND ended_at < ('2026-01-02'::timestamp AT TIME ZONE '${TZ}')`,
      );
      expect(await only('from=2026-01-01&to=2026-01-01')).toBe(inWindow[0].n);
      expect(inWindow[0].n).toBe(3);
    });
  });

  it('work-order counts per category and status equal independent SQL', async () => {
    const rows = ok<
      { categoryId: string | null; categoryName: string | null; status: string; count: number }[]
    >(await get(admin, '/api/v1/reports/work-orders'));
    const expected = await sql<{ categoryId: string | null; status: string; count: number }>(
      `SELECT w.category_id::text AS "categoryId",
              coalesce((SELECT CASE p.status WHEN 'running' THEN 'running' WHEN 'completed' THEN 'completed'
                          WHEN 'rejected' THEN 'rejected' ELSE 'discarded' END
                          FROM workflow.process_instance p WHERE p.id = w.instance_id), 'draft') AS status,
              count(*)::int AS count
         FROM workflow.work_order w GROUP BY 1, 2`,
    );
    const strip = (r: { categoryId: string | null; status: string; count: number }) =>
      `${r.categoryId}|${r.status}|${r.count}`;
    expect(rows.map(strip).sort()).toEqual(expected.map(strip).sort());
    expect(rows.find((r) => r.categoryId !== null)?.categoryName).toBe('Network');
    const january = ok<{ count: number }[]>(
      await get(admin, '/api/v1/reports/work-orders?from=2026-01-01&to=2026-01-01'),
    );
    expect(january.reduce((n, r) => n + r.count, 0)).toBe(1);
  });

  describe('monitoring centre', () => {
    const list = async (query: string) =>
      ok<Page<Monitored>>(await get(admin, `/api/v1/monitoring/instances?pageSize=200&${query}`));

    it('lists an overdue task, a failed job and a stuck instance as abnormal with their reasons', async () => {
      const abnormal = await list('state=abnormal');
      const reasons = (id: string) => abnormal.rows.find((r) => r.id === id)?.reasons.map((r) => r.code);
      expect(reasons(ids.overdue)).toEqual(['overdue_task']);
      expect(reasons(ids.failed)).toEqual(['failed_job']);
      expect(reasons(ids.stuck)).toEqual(['stuck']);
      expect(abnormal.total).toBe(3);
      const failed = abnormal.rows.find((r) => r.id === ids.failed)!;
      expect(failed.reasons[0].detail).toContain('handler exploded');
      expect(failed.reasons[0].jobId).toMatch(/^\d+$/);
      const overdue = abnormal.rows.find((r) => r.id === ids.overdue)!;
      expect(overdue.reasons[0].taskId).toMatch(/^\d+$/);
      expect(overdue.currentNodes).toEqual(['Review']);
    });

    it('lists the healthy running instances as normal, and no ended one anywhere', async () => {
      const normal = await list('state=normal');
      expect(normal.rows.map((r) => r.id).sort()).toEqual([ids.halfway, ids.healthy].sort());
      expect(normal.rows.every((r) => r.reasons.length === 0)).toBe(true);
      expect(normal.total).toBe(2);
    });

    it('filters by process key and takes the stuck threshold from the query', async () => {
      expect((await list('state=abnormal&processKey=edgeFlow')).total).toBe(0);
      expect((await list('state=abnormal&processKey=reportFlow')).total).toBe(3);
      const lenient = await list('state=abnormal&stuckAfterHours=200');
      expect(lenient.rows.map((r) => r.id)).not.toContain(ids.stuck);
      expect((await list('state=normal&stuckAfterHours=200')).rows.map((r) => r.id)).toContain(ids.stuck);
    });
  });

  it('documents the routes in Swagger with their permission and reply shapes', async () => {
    const json = await reports.stack.http.get<{
      paths: Record<string, { get?: { 'x-permissions'?: string[]; parameters?: { name: string }[] } }>;
      components: { schemas: Record<string, unknown> };
    }>('/docs-json');
    expect(json.status).toBe(200);
    for (const [path, params] of Object.entries({
      '/api/v1/monitoring/instances': ['state', 'processKey', 'stuckAfterHours', 'pageNum', 'pageSize'],
      '/api/v1/reports/instances': ['period', 'from', 'to', 'processKey'],
      '/api/v1/reports/durations': ['by', 'from', 'to', 'processKey'],
      '/api/v1/reports/work-orders': ['from', 'to', 'processKey'],
    })) {
      const get = json.body.paths[path]?.get;
      expect(get?.['x-permissions']).toEqual(['monitoring:read']);
      expect(get?.parameters?.map((p) => p.name).sort()).toEqual([...params].sort());
    }
    for (const schema of [
      'MonitoredInstanceReply',
      'MonitoringReasonReply',
      'InstanceCountRow',
      'DurationRow',
    ])
      expect(json.body.components.schemas[schema]).toBeDefined();
  });

  it('refuses bad input with the field named', async () => {
    const cases: [string, string][] = [
      ['/api/v1/reports/instances?period=week', 'period'],
      ['/api/v1/reports/instances?from=yesterday', 'from'],
      ['/api/v1/reports/instances?from=2026-02-30', 'from'],
      ['/api/v1/reports/instances?from=2026-02-01&to=2026-01-01', 'to'],
      ['/api/v1/reports/durations?by=weekday', 'by'],
      ['/api/v1/reports/work-orders?to=01/02/2026', 'to'],
      ['/api/v1/monitoring/instances?state=broken', 'state'],
      ['/api/v1/monitoring/instances?pageSize=1000', 'pageSize'],
      ['/api/v1/monitoring/instances?stuckAfterHours=0', 'stuckAfterHours'],
    ];
    for (const [path, name] of cases) {
      const answer = await get(admin, path);
      expect({ path, status: answer.status, code: answer.body.code }).toEqual({
        path,
        status: 400,
        code: 4101,
      });
      expect(field(answer)).toContain(name);
    }
  });

  it('refuses callers without monitoring:read and scopes holders without the all scope to their own', async () => {
    const plainSession = await signedInStaff(reports, { account: 'reports_plain' });
    for (const path of [
      '/api/v1/monitoring/instances',
      '/api/v1/reports/instances',
      '/api/v1/reports/durations',
      '/api/v1/reports/work-orders',
    ]) {
      const answer = await get(plainSession, path);
      expect({ path, status: answer.status, code: answer.body.code }).toEqual({
        path,
        status: 403,
        code: 4001,
      });
    }
    const reader = await reportReader(reports, 'reports_reader', 'own');
    expect(ok<CountRow[]>(await get(reader, '/api/v1/reports/instances'))).toEqual([]);
    await sql(`UPDATE workflow.process_instance SET initiator_id = $1 WHERE id = $2`, [
      reader.id,
      ids.healthy,
    ]);
    const own = ok<CountRow[]>(await get(reader, '/api/v1/reports/instances?period=year'));
    expect(own.map((r) => [r.processKey, r.status, r.count])).toEqual([['reportFlow', 'running', 1]]);
    const normal = ok<Page<Monitored>>(await get(reader, '/api/v1/monitoring/instances?state=normal'));
    expect(normal.rows.map((r) => r.id)).toEqual([ids.healthy]);
  });
});
