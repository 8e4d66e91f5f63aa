import { createDepartment, type EnvelopeBody, type HttpClient, loginAsAdmin } from '@app/testing';
import { ok, start } from '../workflow/workflow-helpers';
import {
  type CountRow,
  type DurationRow,
  percentile,
  reportReader,
  type ReportStack,
  type WorkOrderCountRow,
  startReportStack,
  taskPercentiles,
} from './report-helpers';

/**
 * The reports read daily pre-aggregates kept by triggers (issue 17 aim 4). Whatever the writes do to
 * instances and tasks (bulk inserts, status changes, tasks moved to other days, re-timed, deleted,
 * instances deleted), every report must equal an aggregation of the records written here: counts exact,
 * percentiles within the stated 1 % (plus 1 ms for the rounding), for every scope (all, departments with
 * own instances elsewhere, own), windows cutting business days, and after a rebuild in another zone.
 * REPORT_EXACT_MAX_ROWS=0 makes every duration report read the histograms. The aggregates hold each group per
 * day, month and year (migration ReportRollupLevels): windows with partial and whole months and years, and
 * history in 2023–2026, check the levels add up. Work-order counts follow their instances' status changes.
 */

const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';
const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="aggDefs" targetNamespace="http://flowdesk.example/agg">
  <process id="aggFlowApi" name="Aggregate flow" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="Review" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

interface Window {
  query: string;
  from: string | null;
  to: string | null;
  processKey?: string;
}
/** Who asks, and the scope written here independently: null sees all, else own id and departments. */
interface Caller {
  name: string;
  http: HttpClient;
  scope: { id: string; departments: string[] } | null;
}

/** Within the stated error: 1 % of the exact value, plus 1 ms (whole milliseconds, sub-millisecond bucket). */
function near(actual: number | null, exact: number | null): boolean {
  if (exact === null) return actual === null;
  return actual !== null && Math.abs(actual - exact) <= 0.01 * Math.abs(exact) + 1;
}

const WINDOWS: Window[] = [
  { query: '', from: null, to: null },
  // 13:30 and 08:00 in Shanghai: both edges cut a business day
  {
    query: 'from=2025-03-10T05:30:00Z&to=2025-06-20T00:00:00Z',
    from: '2025-03-10T05:30:00Z',
    to: '2025-06-20T00:00:00Z',
  },
  { query: 'from=2025-02-01', from: '2025-01-31T16:00:00Z', to: null },
  { query: 'to=2025-09-15%2012:00:00', from: null, to: '2025-09-15T04:00:00Z' },
  {
    query: 'from=2025-04-02T10:00:00Z&to=2025-04-02T13:00:00Z&processKey=aggFlowA',
    from: '2025-04-02T10:00:00Z',
    to: '2025-04-02T13:00:00Z',
    processKey: 'aggFlowA',
  },
  {
    query: 'from=2025-01-20T03:15:00Z&to=2025-11-02T21:45:00Z&processKey=aggFlowB',
    from: '2025-01-20T03:15:00Z',
    to: '2025-11-02T21:45:00Z',
    processKey: 'aggFlowB',
  },
  // partial February and August around whole months; exactly whole months; a whole year; across years
  { query: 'from=2025-02-14&to=2025-08-03', from: '2025-02-13T16:00:00Z', to: '2025-08-03T16:00:00Z' },
  { query: 'from=2025-03-01&to=2025-05-31', from: '2025-02-28T16:00:00Z', to: '2025-05-31T16:00:00Z' },
  { query: 'from=2025-01-01&to=2025-12-31', from: '2024-12-31T16:00:00Z', to: '2025-12-31T16:00:00Z' },
  {
    query: 'from=2024-02-20T10:00:00Z&to=2026-01-05',
    from: '2024-02-20T10:00:00Z',
    to: '2026-01-05T16:00:00Z',
  },
  { query: 'from=2024-06-01', from: '2024-05-31T16:00:00Z', to: null },
  {
    query: 'to=2025-04-01&processKey=aggFlowA',
    from: null,
    to: '2025-04-01T16:00:00Z',
    processKey: 'aggFlowA',
  },
];

describe('reports from the daily pre-aggregates', () => {
  let reports: ReportStack;
  let callers: Caller[];
  let departments: { a: string; a1: string; b: string };

  const sql = <T>(text: string, params: unknown[] = []) => reports.sql<T>(text, params);
  const get = async <T>(http: HttpClient, path: string): Promise<T> => {
    const answer = await http.get<EnvelopeBody<T>>(path);
    if (answer.status !== 200)
      throw new Error(
        `${path}: HTTP ${answer.status} ${answer.text}\n${reports.stack.workflow.logs().slice(-3000)}`,
      );
    return answer.body.data;
  };

  beforeAll(async () => {
    reports = await startReportStack('report_aggregates', FLOW, { REPORT_EXACT_MAX_ROWS: '0' });
    const { admin } = reports;
    const a = await createDepartment(admin.http, 'Agg A');
    departments = {
      a,
      a1: await createDepartment(admin.http, 'Agg A1', a),
      b: await createDepartment(admin.http, 'Agg B'),
    };
    const alice = await reportReader(reports, 'agg_alice', 'department_and_below', a);
    const olga = await reportReader(reports, 'agg_olga', 'own', departments.b);
    callers = [
      { name: 'admin', http: admin.http, scope: null },
      {
        name: 'department and below',
        http: alice.http,
        scope: { id: alice.id, departments: [a, departments.a1] },
      },
      { name: 'own', http: olga.http, scope: { id: olga.id, departments: [] } },
    ];

    // Two instances through the engine (its own inserts and updates fire the triggers).
    for (let i = 0; i < 2; i += 1) {
      const run = await start(admin.http, { definitionId: reports.definitionId });
      ok(await admin.http.post(`/api/v1/workflow/tasks/${run.tasks[0].id}/complete`, {}), 'complete');
    }

    // Bulk history over 2025 (and a third batch over 2023–2026) at every hour of the day, in several
    // statements of each kind.
    const people = [alice.id, olga.id, 'agg-x1', 'agg-x2', 'agg-x3'];
    const departmentOf = [a, departments.a1, departments.b, null];
    for (const [lo, hi, first, days] of [
      [1, 700, '2025-01-01', 330],
      [701, 1500, '2025-01-01', 330],
      [1501, 1800, '2023-11-01', 850],
    ] as const)
      await sql(
        `INSERT INTO workflow.process_instance (definition_id, definition_key, definition_version, process_name,
           serial_no, status, initiator_id, initiator_department_id, state, variables, started_at, ended_at)
         SELECT $1, 'aggFlow' || (ARRAY['A', 'B'])[1 + g % 2], 1, 'Agg flow', 'AGG_' || g,
           CASE WHEN g % 7 = 0 THEN 'running' ELSE (ARRAY['completed', 'rejected', 'stopped'])[1 + g % 3] END,
           ($2::text[])[1 + g % 5], ($3::text[])[1 + (g / 5) % 4], '{}', '{}', s,
           CASE WHEN g % 7 = 0 THEN NULL
                ELSE s + ((g * 7919) % 4000) * interval '1 minute' + (g % 997) * interval '1 millisecond' END
         FROM generate_series($4::int, $5::int) g,
           LATERAL (SELECT ($6 || ' 00:00:00+08')::timestamptz + ((g * 104729) % $7) * interval '1 day'
                           + ((g * 7907) % 86400) * interval '1 second' AS s) x`,
        [reports.definitionId, people, departmentOf, lo, hi, first, days],
      );
    await sql(
      `INSERT INTO workflow.task (instance_id, definition_id, definition_key, process_name, instance_started_at,
         initiator_id, element_id, execution_id, name, assignee_id, status, created_at, claimed_at, ended_at)
       SELECT i.id, i.definition_id, i.definition_key, i.process_name, i.started_at, i.initiator_id, e.el,
         e.el || '_' || i.id, e.el, (ARRAY['agg-u1', 'agg-u2', NULL])[1 + (i.id + e.k) % 3],
         CASE WHEN i.ended_at IS NULL THEN 'open' ELSE 'completed' END, c.created,
         CASE WHEN (i.id + e.k) % 4 = 0 THEN NULL
              WHEN (i.id + e.k) % 5 = 0 THEN c.created
              ELSE c.created + ((i.id * 13 + e.k) % 3000) * interval '1 second' + (i.id % 991) * interval '1 millisecond' END,
         CASE WHEN i.ended_at IS NULL THEN NULL
              ELSE c.created + ((i.id * 17 + e.k) % 90000) * interval '1 second' + (i.id % 89) * interval '1 millisecond' END
       FROM workflow.process_instance i
       CROSS JOIN (VALUES ('review', 1), ('approve', 2)) e(el, k)
       CROSS JOIN LATERAL (SELECT i.started_at + e.k * interval '7 minutes' AS created) c
       WHERE i.serial_no LIKE 'AGG\\_%'`,
    );
    // Work orders on two in three instances, created ten minutes before them: one in five a draft (no
    // instance), categories (or none), creators and their departments vary (own ones outside one's departments).
    const categories = (
      await sql<{ id: string }>(
        `INSERT INTO workflow.work_order_category (name) SELECT 'Agg category ' || g FROM generate_series(1, 3) g
         RETURNING id::text AS id`,
      )
    ).map((c) => c.id);
    await sql(
      `INSERT INTO workflow.work_order (number, title, system_id, category_id, definition_key, instance_id,
         created_by, created_by_department, created_at)
       SELECT 'AGW_' || i.id, 'agg order', 'agg',
         CASE WHEN i.id % 4 = 0 THEN NULL ELSE ($1::bigint[])[1 + i.id % 3] END, i.definition_key,
         CASE WHEN i.id % 5 = 0 THEN NULL ELSE i.id END, ($2::text[])[1 + i.id % 5],
         ($3::bigint[])[1 + (i.id / 3) % 4], i.started_at - interval '10 minutes'
       FROM workflow.process_instance i WHERE i.serial_no LIKE 'AGG\\_%' AND i.id % 3 <> 1`,
      [categories, people, departmentOf],
    );
    // Later writes: tasks moved to other days, re-timed, completed; statuses changed; rows deleted.
    await sql(
      `UPDATE workflow.task SET ended_at = ended_at + interval '1 day 3 hours' WHERE status = 'completed' AND id % 11 = 0`,
    );
    await sql(`UPDATE workflow.task SET claimed_at = NULL WHERE status = 'completed' AND id % 19 = 0`);
    await sql(
      `UPDATE workflow.task SET status = 'completed', ended_at = created_at + interval '20 minutes'
        WHERE status = 'open' AND id % 2 = 0 AND instance_id IN (SELECT id FROM workflow.process_instance WHERE serial_no LIKE 'AGG\\_%')`,
    );
    await sql(
      `UPDATE workflow.process_instance SET status = 'completed', ended_at = started_at + interval '3 hours'
        WHERE status = 'running' AND id % 3 = 0 AND serial_no LIKE 'AGG\\_%'`,
    );
    const ours = `SELECT id FROM workflow.process_instance WHERE serial_no LIKE 'AGG\\_%'`;
    await sql(
      `UPDATE workflow.process_instance SET status = 'stopped' WHERE status = 'rejected' AND id % 4 = 0 AND id IN (${ours})`,
    );
    await sql(
      `DELETE FROM workflow.task WHERE id % 13 = 0 AND status = 'completed' AND instance_id IN (${ours})`,
    );
    const doomed = `SELECT id FROM workflow.process_instance WHERE serial_no LIKE 'AGG\\_%' AND id % 17 = 0`;
    await sql(`DELETE FROM workflow.task WHERE instance_id IN (${doomed})`);
    await sql(`DELETE FROM workflow.process_instance WHERE id IN (${doomed})`);
    // Work-order writes: drafts bound to their instance (or to one deleted above: still a draft), process
    // keys changed, writes that change nothing reported, orders deleted; then more status changes.
    await sql(
      `UPDATE workflow.work_order SET instance_id = substr(number, 5)::bigint WHERE instance_id IS NULL AND id % 2 = 0`,
    );
    await sql(`UPDATE workflow.work_order SET definition_key = 'aggFlowB' WHERE id % 7 = 0`);
    await sql(`UPDATE workflow.work_order SET form_data = '{"x": 1}', closed_at = now() WHERE id % 3 = 0`);
    await sql(`DELETE FROM workflow.work_order WHERE id % 11 = 0`);
    await sql(
      `UPDATE workflow.process_instance SET status = 'discarded' WHERE status = 'completed' AND id % 9 = 0 AND id IN (${ours})`,
    );
    await sql(
      `UPDATE workflow.process_instance SET status = 'rejected', ended_at = started_at + interval '5 hours'
        WHERE status = 'running' AND id IN (${ours})`,
    );
    await sql(`UPDATE workflow.process_instance SET updated_at = now() WHERE id IN (${ours}) AND id % 2 = 0`);
  }, 180_000);

  afterAll(() => reports?.stop());

  /** The scope of a caller over instance alias `i`, bound from `$first` on. */
  const scopeSql = (caller: Caller, first: number) =>
    caller.scope
      ? {
          clause: `(i.initiator_id = $${first} OR i.initiator_department_id = ANY($${first + 1}::text[]))`,
          params: [caller.scope.id, caller.scope.departments],
        }
      : { clause: 'TRUE', params: [] };

  async function expectedCounts(caller: Caller, window: Window, period: string, zone: string) {
    const scope = scopeSql(caller, 7);
    const label = { month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' }[period];
    return sql<CountRow>(
      `SELECT to_char(date_trunc($1, i.started_at AT TIME ZONE $2), $3) AS period, i.definition_key AS "processKey",
              i.status, count(*)::int AS count
         FROM workflow.process_instance i
        WHERE ($4::timestamptz IS NULL OR i.started_at >= $4) AND ($5::timestamptz IS NULL OR i.started_at < $5)
          AND ($6::text IS NULL OR i.definition_key = $6) AND ${scope.clause}
        GROUP BY 1, 2, 3`,
      [period, zone, label, window.from, window.to, window.processKey ?? null, ...scope.params],
    );
  }

  async function expectedDurations(caller: Caller, window: Window, by: 'process' | 'node' | 'assignee') {
    const scope = scopeSql(caller, 4);
    const key = {
      process: 't.definition_key',
      node: `t.definition_key || ':' || t.element_id`,
      assignee: `COALESCE(t.assignee_id, '')`,
    }[by];
    const ms = (to: string, from: string) => `extract(epoch FROM ${to} - ${from}) * 1000`;
    const tasks = await sql<{ key: string; waiting: number; working: number; total: number }>(
      `SELECT ${key} AS key, ${ms('COALESCE(t.claimed_at, t.ended_at)', 't.created_at')}::float8 AS waiting,
              ${ms('t.ended_at', 'COALESCE(t.claimed_at, t.ended_at)')}::float8 AS working,
              ${ms('t.ended_at', 't.created_at')}::float8 AS total
         FROM workflow.task t JOIN workflow.process_instance i ON i.id = t.instance_id
        WHERE t.status = 'completed' AND ($1::timestamptz IS NULL OR t.ended_at >= $1)
          AND ($2::timestamptz IS NULL OR t.ended_at < $2) AND ($3::text IS NULL OR t.definition_key = $3)
          AND ${scope.clause}`,
      [window.from, window.to, window.processKey ?? null, ...scope.params],
    );
    const instances =
      by === 'process'
        ? await sql<{ key: string; took: number }>(
            `SELECT i.definition_key AS key, ${ms('i.ended_at', 'i.started_at')}::float8 AS took
               FROM workflow.process_instance i
              WHERE i.ended_at IS NOT NULL AND ($1::timestamptz IS NULL OR i.ended_at >= $1)
                AND ($2::timestamptz IS NULL OR i.ended_at < $2) AND ($3::text IS NULL OR i.definition_key = $3)
                AND ${scope.clause}`,
            [window.from, window.to, window.processKey ?? null, ...scope.params],
          )
        : [];
    const keys = [...new Set([...tasks.map((t) => t.key), ...instances.map((i) => i.key)])].sort();
    return keys.map((k) => {
      const mine = tasks.filter((t) => t.key === k);
      const took = instances.filter((i) => i.key === k).map((i) => i.took);
      return {
        key: k,
        count: mine.length,
        ...taskPercentiles(mine),
        instances: by === 'process' ? took.length : null,
        instanceP50: by === 'process' ? percentile(took, 0.5) : null,
        instanceP95: by === 'process' ? percentile(took, 0.95) : null,
      };
    });
  }

  async function expectedWorkOrders(caller: Caller, window: Window) {
    const scope = caller.scope
      ? {
          clause: `(w.created_by = $4 OR w.created_by_department::text = ANY($5::text[]))`,
          params: [caller.scope.id, caller.scope.departments],
        }
      : { clause: 'TRUE', params: [] };
    return sql<WorkOrderCountRow>(
      `SELECT w.category_id::text AS "categoryId", c.name AS "categoryName",
              CASE WHEN i.id IS NULL THEN 'draft' WHEN i.status IN ('running', 'completed', 'rejected') THEN i.status
                   ELSE 'discarded' END AS status,
              count(*)::int AS count
         FROM workflow.work_order w
         LEFT JOIN workflow.process_instance i ON i.id = w.instance_id
         LEFT JOIN workflow.work_order_category c ON c.id = w.category_id
        WHERE ($1::timestamptz IS NULL OR w.created_at >= $1) AND ($2::timestamptz IS NULL OR w.created_at < $2)
          AND ($3::text IS NULL OR w.definition_key = $3) AND ${scope.clause}
        GROUP BY w.category_id, c.name, 3
        ORDER BY w.category_id NULLS FIRST, 3`,
      [window.from, window.to, window.processKey ?? null, ...scope.params],
    );
  }

  async function checkWorkOrders(caller: Caller, http: HttpClient, windows: Window[]) {
    for (const window of windows) {
      const actual = await get<WorkOrderCountRow[]>(http, `/api/v1/reports/work-orders?${window.query}`);
      expect({ caller: caller.name, window: window.query, rows: actual }).toEqual({
        caller: caller.name,
        window: window.query,
        rows: await expectedWorkOrders(caller, window),
      });
    }
  }

  const sortCounts = (rows: CountRow[]) =>
    rows
      .map((r) => ({ period: r.period, processKey: r.processKey, status: r.status, count: r.count }))
      .sort((x, y) =>
        `${x.period}|${x.processKey}|${x.status}`.localeCompare(`${y.period}|${y.processKey}|${y.status}`),
      );

  async function checkCounts(caller: Caller, http: HttpClient, zone: string, windows: Window[]) {
    for (const window of windows)
      for (const period of ['month', 'quarter', 'year']) {
        const actual = await get<CountRow[]>(
          http,
          `/api/v1/reports/instances?period=${period}&${window.query}`,
        );
        const expected = await expectedCounts(caller, window, period, zone);
        expect({ caller: caller.name, window: window.query, period, rows: sortCounts(actual) }).toEqual({
          caller: caller.name,
          window: window.query,
          period,
          rows: sortCounts(expected),
        });
      }
  }

  async function checkDurations(caller: Caller, http: HttpClient, windows: Window[]) {
    for (const window of windows)
      for (const by of ['process', 'node', 'assignee'] as const) {
        const actual = await get<DurationRow[]>(http, `/api/v1/reports/durations?by=${by}&${window.query}`);
        const expected = await expectedDurations(caller, window, by);
        const where = `${caller.name} by=${by} ${window.query}`;
        expect({ where, keys: actual.map((r) => r.key) }).toEqual({
          where,
          keys: expected.map((r) => r.key),
        });
        for (const [i, row] of actual.entries()) {
          const exact = expected[i];
          expect({ where, key: row.key, count: row.count, instances: row.instances }).toEqual({
            where,
            key: exact.key,
            count: exact.count,
            instances: exact.instances,
          });
          for (const field of [
            'waitingP50',
            'waitingP95',
            'workingP50',
            'workingP95',
            'totalP50',
            'totalP95',
            'instanceP50',
            'instanceP95',
          ] as const)
            expect({
              where,
              key: row.key,
              field,
              actual: row[field],
              near: near(row[field], exact[field]),
            }).toEqual({
              where,
              key: row.key,
              field,
              actual: row[field],
              near: true,
            });
        }
      }
  }

  it('has data on both sides of the scopes and windows', async () => {
    const [row] = await sql<{ tasks: number; instances: number; alice_elsewhere: number }>(
      `SELECT (SELECT count(*)::int FROM workflow.task WHERE status = 'completed') AS tasks,
              (SELECT count(*)::int FROM workflow.process_instance WHERE ended_at IS NOT NULL) AS instances,
              (SELECT count(*)::int FROM workflow.process_instance WHERE initiator_id = $1
                  AND (initiator_department_id IS NULL OR initiator_department_id = $2)) AS alice_elsewhere`,
      [callers[1].scope!.id, departments.b],
    );
    expect(row.tasks).toBeGreaterThan(1500);
    expect(row.instances).toBeGreaterThan(1000);
    expect(row.alice_elsewhere).toBeGreaterThan(50);
  });

  it('instance counts equal an aggregation of the records for every scope and window', async () => {
    for (const caller of callers) await checkCounts(caller, caller.http, SHANGHAI, WINDOWS);
  }, 120_000);

  it('durations equal the records: counts exact, percentiles within 1 %, for every scope and window', async () => {
    for (const caller of callers) await checkDurations(caller, caller.http, WINDOWS);
  }, 180_000);

  it('work-order counts follow status changes: equal to the records for every scope and window', async () => {
    const [row] = await sql<{ drafts: number; statuses: number; alice_elsewhere: number }>(
      `SELECT count(*) FILTER (WHERE i.id IS NULL)::int AS drafts, count(DISTINCT i.status)::int AS statuses,
              count(*) FILTER (WHERE w.created_by = $1 AND (w.created_by_department IS NULL OR w.created_by_department = $2))::int
                AS alice_elsewhere
         FROM workflow.work_order w LEFT JOIN workflow.process_instance i ON i.id = w.instance_id`,
      [callers[1].scope!.id, departments.b],
    );
    expect(row.drafts).toBeGreaterThan(50);
    expect(row.statuses).toBe(4);
    expect(row.alice_elsewhere).toBeGreaterThan(20);
    for (const caller of callers) await checkWorkOrders(caller, caller.http, WINDOWS);
  }, 120_000);

  it('reads the aggregates (a row changed behind the records shows in the answer)', async () => {
    const [day] = await sql<{ day: string; definition_key: string; status: string }>(
      `SELECT day::text, definition_key, status FROM workflow.report_instance_day
        WHERE department IS NULL AND n > 0 AND day BETWEEN '2025-05-01' AND '2025-05-30' LIMIT 1`,
    );
    const total = async () =>
      (
        await get<CountRow[]>(
          callers[0].http,
          '/api/v1/reports/instances?period=year&from=2025-05-01&to=2025-05-31',
        )
      )
        .filter((r) => r.processKey === day.definition_key && r.status === day.status)
        .reduce((n, r) => n + r.count, 0);
    const before = await total();
    const bump = (by: number) =>
      sql(
        `UPDATE workflow.report_instance_day SET n = n + $4
          WHERE day = $1 AND definition_key = $2 AND status = $3 AND department IS NULL`,
        [day.day, day.definition_key, day.status, by],
      );
    await bump(1000);
    try {
      expect(await total()).toBe(before + 1000);
    } finally {
      await bump(-1000);
    }
    // May 2025 is a whole month: its histograms and work orders come from the month rows, for the admin
    // from the tables of everything, for a department viewer from the department tables, for an own viewer
    // from the initiator tables.
    const may = '/api/v1/reports/durations?from=2025-05-01&to=2025-05-31&by=';
    const cases = [
      { table: 'report_duration_node', caller: callers[0], by: 'process', key: 'aggFlowA' },
      { table: 'report_duration_node', caller: callers[0], by: 'node', key: 'aggFlowA:review' },
      { table: 'report_duration_assignee', caller: callers[0], by: 'assignee', key: 'agg-u1' },
      { table: 'report_duration_node_department', caller: callers[1], by: 'process', key: 'aggFlowA' },
      { table: 'report_duration_assignee_department', caller: callers[1], by: 'assignee', key: 'agg-u1' },
      { table: 'report_duration_node_initiator', caller: callers[2], by: 'process', key: 'aggFlowA' },
      { table: 'report_duration_assignee_initiator', caller: callers[2], by: 'assignee', key: 'agg-u1' },
    ];
    for (const c of cases) {
      const count = async () =>
        (await get<DurationRow[]>(c.caller.http, `${may}${c.by}`)).find((r) => r.key === c.key)!.count;
      const tasks = await count();
      const group = c.table.includes('assignee')
        ? `definition_key = 'aggFlowA' AND assignee_id = 'agg-u1'`
        : `definition_key = 'aggFlowA'${c.by === 'node' ? ` AND element_id = 'review'` : ''}`;
      const scope = c.table.endsWith('_department')
        ? `AND department = ANY($2::text[])`
        : c.table.endsWith('_initiator')
          ? `AND initiator_id = $2`
          : '';
      const shift = (by: number) =>
        sql(
          `UPDATE workflow.${c.table} SET n = n + $1
            WHERE ctid = (SELECT ctid FROM workflow.${c.table}
                           WHERE level = 'm' AND period = '2025-05-01' AND metric = 't' AND ${group} ${scope} LIMIT 1)`,
          c.table.endsWith('_department')
            ? [by, c.caller.scope!.departments]
            : c.table.endsWith('_initiator')
              ? [by, c.caller.scope!.id]
              : [by],
        );
      await shift(500);
      try {
        expect({ ...c, count: await count() }).toEqual({ ...c, count: tasks + 500 });
      } finally {
        await shift(-500);
      }
    }
    const orders = async () =>
      (
        await get<WorkOrderCountRow[]>(
          callers[0].http,
          '/api/v1/reports/work-orders?from=2025-05-01&to=2025-05-31',
        )
      )
        .filter((r) => r.status === 'completed')
        .reduce((n, r) => n + r.count, 0);
    const completed = await orders();
    const bumpOrders = (by: number) =>
      sql(
        `UPDATE workflow.report_work_order SET n = n + $1
          WHERE ctid = (SELECT ctid FROM workflow.report_work_order
                         WHERE level = 'm' AND period = '2025-05-01' AND status = 'completed' LIMIT 1)`,
        [by],
      );
    await bumpOrders(300);
    try {
      expect(await orders()).toBe(completed + 300);
    } finally {
      await bumpOrders(-300);
    }
  });

  it('rebuilds the aggregates when the workflow app starts in another business time zone', async () => {
    const replica = await reports.stack.addWorkflowReplica({ TZ_BUSINESS: NEW_YORK });
    const [state] = await sql<{ time_zone: string }>(`SELECT time_zone FROM workflow.report_rollup_state`);
    expect(state.time_zone).toBe(NEW_YORK);
    // the instance aggregate equals a grouping of the records by New York days
    const mismatch = await sql(
      `SELECT * FROM (SELECT day, definition_key, status, department, n FROM workflow.report_instance_day WHERE n <> 0) r
       FULL JOIN (SELECT (started_at AT TIME ZONE $1)::date AS day, definition_key, status,
                         initiator_department_id AS department, count(*)::int AS n
                    FROM workflow.process_instance GROUP BY 1, 2, 3, 4) e
         ON r.day = e.day AND r.definition_key = e.definition_key AND r.status = e.status
          AND r.department IS NOT DISTINCT FROM e.department
       WHERE r.n IS DISTINCT FROM e.n`,
      [NEW_YORK],
    );
    expect(mismatch).toEqual([]);
    // a gateway talking to the New York replica answers in New York days, from the rebuilt aggregates
    const { http } = await reports.stack.addGateway({
      TZ_BUSINESS: NEW_YORK,
      WORKFLOW_TCP_PORT: (replica as unknown as { env: Record<string, string> }).env.WORKFLOW_TCP_PORT,
    });
    const admin = (await loginAsAdmin(http)).http;
    const zWindows = WINDOWS.filter(
      (w) => !/from=\d{4}-\d{2}-\d{2}(&|$)|to=\d{4}-\d{2}-\d{2}(%20|&|$)/.test(w.query),
    );
    await checkCounts(callers[0], admin, NEW_YORK, zWindows);
    await checkDurations(callers[0], admin, zWindows);
    await checkWorkOrders(callers[0], admin, zWindows);
    // the Shanghai app sees aggregates of another zone and answers from the records, still right
    await checkCounts(callers[0], callers[0].http, SHANGHAI, WINDOWS.slice(0, 2));
    await checkDurations(callers[0], callers[0].http, WINDOWS.slice(0, 2));
    await checkWorkOrders(callers[0], callers[0].http, WINDOWS.slice(0, 2));
  }, 240_000);
});
