import { Injectable } from '@nestjs/common';
import { DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { pageOffset } from '@app/common';
import { ContractsRepository } from '../crm/contracts/contracts.repository';
import { DemandsRepository } from '../crm/demands/demands.repository';
import { FollowUpsRepository } from '../crm/follow-ups/follow-ups.repository';
import type { ActivityRecord, ActivityRepository } from '../crm/shared/activity';
import type { TimeWindow } from '../crm/shared/crm-dto';
import type { Bucket } from './stats.dto';

export interface StatsFilter {
  window: TimeWindow;
  organizationIds?: string[];
  bucket?: Bucket;
  timeZone: string;
  pageNum: number;
  pageSize: number;
  /** Row order with `exact` totals (default by organization): seed 001's examples rank sign newest first, demand most first (A-38). */
  order?: StatsOrder;
}

export type StatsOrder = 'organization' | 'newest' | 'most';

const ORDER_BY: Record<StatsOrder, string> = {
  organization: 'g.organization_id, g.b',
  newest: 'g."first" DESC, g.organization_id, g.b',
  most: 'g."n" DESC, g.organization_id, g.b',
};

/** `capped`: the /api/v1 total (exact up to STATS_TOTAL_CAP groups, `more` beyond); `exact`: seed 001's. */
export type Totals = 'capped' | 'exact';

export interface StatsRow {
  organizationId: string;
  organizationName: string;
  bucket: string | null;
  bucketStart: Date | null;
  total: string | null;
  n: number;
  first: Date;
}

/** The roll-up's `kind` of each statistic, its source records and the summed amount (migration CrmActivityRollup). */
interface Source {
  kind: 'contract' | 'demand' | 'follow_up';
  records: Pick<ActivityRepository<ActivityRecord>, 'timeColumn'> & {
    windowed(actor: Actor, window: TimeWindow, filters: object): SelectQueryBuilder<ObjectLiteral>;
  };
  /** The records' query alias. */
  alias: string;
  amount: string;
}

const LABEL: Record<Bucket, string> = { month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' };

/**
 * `/api/v1` statistics count their groups (organization, or organization and bucket) up to this many;
 * `exact` callers (the seed 001 surface) get the exact number. Lower than the lists' cap because a group
 * costs more to find than a row: the count reads the window's rows until it has seen this many groups
 * (one page of 20 is 1/50 of it).
 */
export const STATS_TOTAL_CAP = 1_000;
const PROBE_ROWS = 2 * STATS_TOTAL_CAP;

/**
 * The business days wholly inside a window, `d1`…`d2` (none when d1 > d2), and their bounds as instants:
 * `s1` = start of d1, `s2` = start of the day after d2. The records in [from, s1) and [s2, to] are the
 * partial days at the window's edges (when there is no whole day the two ranges overlap and cover it).
 */
interface WindowDays {
  d1: string;
  d2: string;
  s1: Date;
  s2: Date;
}

type Part = { sql: string; parameters: ObjectLiteral };

/**
 * Per-organization aggregates of live records within the caller's data scope and a time window,
 * optionally per calendar bucket in the business time zone; organizations that are deleted count nothing.
 *
 * Callers whose scope is `all` or by department read the days wholly inside the window from the daily
 * roll-up `core.crm_activity_day` (kept by triggers in the writing transaction) and only the partial days at
 * the window's edges from the records; records a department-scoped caller sees as creator or follower
 * outside those departments are added from the records. `own` scope reads the records (a few per person).
 */
@Injectable()
export class StatsRepository {
  private rollupZone: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly contracts: ContractsRepository,
    private readonly demands: DemandsRepository,
    private readonly followUps: FollowUpsRepository,
  ) {}

  signing(actor: Actor, filter: StatsFilter, totals: Totals) {
    return this.aggregate(
      { kind: 'contract', records: this.contracts, alias: 'k', amount: 'k.amount' },
      actor,
      filter,
      totals,
    );
  }

  demandChanges(actor: Actor, filter: StatsFilter, totals: Totals) {
    return this.aggregate(
      { kind: 'demand', records: this.demands, alias: 'd', amount: 'NULL::numeric' },
      actor,
      filter,
      totals,
    );
  }

  followUpVisits(actor: Actor, filter: StatsFilter, totals: Totals) {
    return this.aggregate(
      { kind: 'follow_up', records: this.followUps, alias: 'f', amount: 'NULL::numeric' },
      actor,
      filter,
      totals,
    );
  }

  /**
   * Makes the roll-up hold the business days of `timeZone`: rebuilt from the records when it was built in
   * another zone (or never). The state row is locked first, so the triggers of concurrent writes wait
   * for the rebuild and then apply their change in the new zone.
   */
  async ensureRollup(timeZone: string): Promise<boolean> {
    const rebuilt = await this.dataSource.transaction(async (manager) => {
      const [state] = (await manager.query(
        `SELECT time_zone FROM core.crm_activity_rollup_state WHERE id = 1 FOR UPDATE`,
      )) as { time_zone: string | null }[];
      if (state.time_zone === timeZone) return false;
      await manager.query(`UPDATE core.crm_activity_rollup_state SET time_zone = $1 WHERE id = 1`, [
        timeZone,
      ]);
      await manager.query(`TRUNCATE core.crm_activity_day`);
      const day = (time: string) => `(${time} AT TIME ZONE $1)::date`;
      await manager.query(
        `INSERT INTO core.crm_activity_day (kind, organization_id, department_id, day, n, amount, first)
         SELECT 'contract', organization_id, department_id, ${day('sign_time')}, count(*), COALESCE(sum(amount), 0), min(sign_time)
           FROM core.crm_contract WHERE deleted_at IS NULL GROUP BY 2, 3, 4
         UNION ALL
         SELECT 'demand', organization_id, department_id, ${day('record_time')}, count(*), 0, min(record_time)
           FROM core.crm_demand WHERE deleted_at IS NULL GROUP BY 2, 3, 4
         UNION ALL
         SELECT 'follow_up', organization_id, department_id, ${day('record_time')}, count(*), 0, min(record_time)
           FROM core.crm_follow_up WHERE deleted_at IS NULL GROUP BY 2, 3, 4`,
        [timeZone],
      );
      return true;
    });
    this.rollupZone = timeZone;
    return rebuilt;
  }

  /**
   * The page and its total (and whether more groups exist than the total says).
   *
   * With a capped total, a first statement reads at most PROBE_ROWS rows of the window (roll-up days first)
   * and counts their groups: when there are more rows and already more than STATS_TOTAL_CAP groups, the
   * total is the cap and the page walks the organizations in id order, aggregating each one's window from
   * the roll-up's (kind, organization, day) index until the page is full, so a year over 100,000
   * organizations reads the page's organizations, not the year. Otherwise (few rows, or many rows in few
   * groups) every row of the window is aggregated and the total is exact.
   */
  private async aggregate(
    source: Source,
    actor: Actor,
    filter: StatsFilter,
    totals: Totals,
  ): Promise<[StatsRow[], number, boolean]> {
    const useRollup =
      this.rollupZone === filter.timeZone &&
      (actor.dataScope === 'all' || (actor.dataScope !== 'own' && actor.departmentIds.length > 0));
    if (!useRollup) {
      const part = this.recordRows(source, source.records.windowed(actor, filter.window, {}), filter);
      return this.exact([part], filter);
    }
    const days = await this.windowDays(filter);
    const parts = this.rollupParts(source, actor, filter, days);
    if (totals === 'capped') {
      const probe = await this.probe(parts, filter);
      if (probe.rows > PROBE_ROWS && probe.groups > STATS_TOTAL_CAP)
        return [await this.walkOrganizations(source, actor, filter, days), STATS_TOTAL_CAP, true];
    }
    const [rows, total] = await this.exact(parts, filter);
    // Which rows the probe sees depends on the plan: a window it judged small may still hold more
    // groups than the cap, and the capped total must not depend on which path answered.
    if (totals === 'capped' && total > STATS_TOTAL_CAP) return [rows, STATS_TOTAL_CAP, true];
    return [rows, total, false];
  }

  private async windowDays(filter: StatsFilter): Promise<WindowDays> {
    const [days] = (await this.dataSource.query(
      `SELECT d1::text AS d1, d2::text AS d2, (d1::timestamp AT TIME ZONE $1) AS s1, ((d2 + 1)::timestamp AT TIME ZONE $1) AS s2
         FROM (SELECT CASE WHEN (f::timestamp AT TIME ZONE $1) < $2 THEN f + 1 ELSE f END AS d1, l AS d2
                 FROM (SELECT ($2::timestamptz AT TIME ZONE $1)::date AS f,
                              (($3::timestamptz + interval '1 microsecond') AT TIME ZONE $1)::date - 1 AS l) b) d`,
      [filter.timeZone, filter.window.from, filter.window.to],
    )) as WindowDays[];
    return days;
  }

  /**
   * The window as roll-up shaped rows: whole days from the roll-up, edge days and (department scope) the
   * caller's own and followed records outside their departments from the records. With `perOrganization`
   * every part is restricted to the organization `so.id` of an enclosing query.
   */
  private rollupParts(
    source: Source,
    actor: Actor,
    filter: StatsFilter,
    days: WindowDays,
    perOrganization = false,
  ): Part[] {
    const a = source.alias;
    const time = `${a}.${source.records.timeColumn}`;
    const departments = actor.dataScope === 'all' ? null : actor.departmentIds;
    const organizations = filter.organizationIds?.length ? filter.organizationIds : null;
    const bounds = { statsS1: days.s1, statsS2: days.s2 };
    const rollup: Part = {
      sql: `SELECT r.organization_id, r.day, r.n, r.amount, r.first FROM core.crm_activity_day r
             WHERE r.kind = :statsKind AND r.day BETWEEN :statsD1 AND :statsD2
               ${departments ? 'AND r.department_id IN (:...statsDepartments)' : ''}
               ${organizations ? 'AND r.organization_id IN (:...statsOrganizations)' : ''}
               ${perOrganization ? 'AND r.organization_id = so.id' : ''}`,
      parameters: {
        statsKind: source.kind,
        statsD1: days.d1,
        statsD2: days.d2,
        statsDepartments: departments,
        statsOrganizations: organizations,
      },
    };
    const scoped = (qb: SelectQueryBuilder<ObjectLiteral>) =>
      perOrganization ? qb.andWhere(`${a}.organization_id = so.id`) : qb;
    // the edges as two ranges of the time index (a BitmapOr) with constant bounds
    const edges = scoped(source.records.windowed(actor, filter.window, {})).andWhere(
      `((${time} >= :statsFrom AND ${time} < :statsS1) OR (${time} >= :statsS2 AND ${time} <= :statsTo))`,
      { ...bounds, statsFrom: filter.window.from, statsTo: filter.window.to },
    );
    const parts = [rollup, this.recordRows(source, edges, filter)];
    if (departments) {
      // the caller's own and followed records outside their departments, which the roll-up does not reach
      const own = scoped(source.records.windowed({ ...actor, dataScope: 'own' }, filter.window, {}))
        .andWhere(`${time} >= :statsS1 AND ${time} < :statsS2`, bounds)
        .andWhere(`(${a}.department_id IS NULL OR ${a}.department_id NOT IN (:...statsDepartments))`, {
          statsDepartments: departments,
        });
      parts.push(this.recordRows(source, own, filter));
    }
    return parts;
  }

  /** Rows and groups among the first PROBE_ROWS + 1 rows of the window (live organizations only). */
  private async probe(parts: Part[], filter: StatsFilter): Promise<{ rows: number; groups: number }> {
    const bucket = filter.bucket ? `date_trunc('${filter.bucket}', x.day::timestamp)` : null;
    const { sql, parameters } = this.union(parts);
    // DISTINCT by hashing two plain columns: count(DISTINCT (a, b)) sorts row values, several times slower
    const [query, bound] = this.dataSource.driver.escapeQueryWithParameters(
      `WITH s AS MATERIALIZED (
         SELECT x.organization_id, ${bucket ?? 'NULL::timestamp'} AS b FROM (${sql}) x
          WHERE x.organization_id NOT IN (SELECT id FROM core.crm_organization WHERE deleted_at IS NOT NULL)
          LIMIT ${PROBE_ROWS + 1})
       SELECT (SELECT count(*) FROM s)::int AS "rows",
              (SELECT count(*) FROM (SELECT DISTINCT organization_id, b FROM s) d)::int AS "groups"`,
      parameters,
    );
    const [counted] = (await this.dataSource.query(query, bound)) as { rows: number; groups: number }[];
    return counted;
  }

  /** The page's groups, organization by organization in id order (each from its own index ranges). */
  private async walkOrganizations(
    source: Source,
    actor: Actor,
    filter: StatsFilter,
    days: WindowDays,
  ): Promise<StatsRow[]> {
    const { sql, parameters } = this.union(this.rollupParts(source, actor, filter, days, true));
    const bucket = filter.bucket ? `date_trunc('${filter.bucket}', x.day::timestamp)` : null;
    const [query, bound] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT so.id::text AS "organizationId", so.name AS "organizationName", g."bucket", g."bucketStart",
              g."total", g."n", g."first"
         FROM core.crm_organization so
        CROSS JOIN LATERAL (
              SELECT ${this.bucketColumns(filter, bucket)},
                     sum(x.amount)::numeric(16,2)::text AS "total", sum(x.n)::int AS "n", min(x.first) AS "first",
                     ${bucket ?? 'NULL::timestamp'} AS b
                FROM (${sql}) x
               ${bucket ? `GROUP BY ${bucket}` : ''}
              HAVING count(*) > 0) g
        WHERE so.deleted_at IS NULL ${filter.organizationIds?.length ? 'AND so.id IN (:...statsOrganizations)' : ''}
        ORDER BY so.id, g.b
        LIMIT ${filter.pageSize} OFFSET ${pageOffset(filter)}`,
      { ...parameters, statsZone: filter.timeZone, statsOrganizations: filter.organizationIds },
    );
    return (await this.dataSource.query(query, bound)) as StatsRow[];
  }

  /**
   * Every row of the window aggregated per group, then joined to the live organizations; the page carries
   * the number of groups (one aggregation, not two); a page past the end counts apart.
   */
  private async exact(parts: Part[], filter: StatsFilter): Promise<[StatsRow[], number, boolean]> {
    const { sql, parameters } = this.union(parts);
    const bucket = filter.bucket ? `date_trunc('${filter.bucket}', x.day::timestamp)` : null;
    const grouped = `SELECT x.organization_id, ${bucket ?? 'NULL::timestamp'} AS b,
              sum(x.amount)::numeric(16,2)::text AS "total", sum(x.n)::int AS "n", min(x.first) AS "first"
         FROM (${sql}) x GROUP BY x.organization_id${bucket ? `, ${bucket}` : ''}`;
    const labelled = filter.bucket
      ? `to_char(g.b, '${LABEL[filter.bucket]}') AS "bucket", (g.b AT TIME ZONE :statsZone) AS "bucketStart"`
      : `NULL::text AS "bucket", NULL::timestamptz AS "bucketStart"`;
    const [query, bound] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT g.organization_id::text AS "organizationId", so.name AS "organizationName", ${labelled},
              g."total", g."n", g."first", count(*) OVER ()::int AS "groups"
         FROM (${grouped}) g
         JOIN core.crm_organization so ON so.id = g.organization_id AND so.deleted_at IS NULL
        ORDER BY ${ORDER_BY[filter.order ?? 'organization']}`,
      { ...parameters, statsZone: filter.timeZone },
    );
    const rows = (await this.dataSource.query(
      `${query} LIMIT ${filter.pageSize} OFFSET ${pageOffset(filter)}`,
      bound,
    )) as (StatsRow & { groups: number })[];
    if (rows.length > 0) return [rows, rows[0].groups, false];
    const count = (await this.dataSource.query(`SELECT count(*)::int AS n FROM (${query}) g`, bound)) as {
      n: number;
    }[];
    return [rows, count[0].n, false];
  }

  private bucketColumns(filter: StatsFilter, bucket: string | null): string {
    return filter.bucket && bucket
      ? `to_char(${bucket}, '${LABEL[filter.bucket]}') AS "bucket", (${bucket} AT TIME ZONE :statsZone) AS "bucketStart"`
      : `NULL::text AS "bucket", NULL::timestamptz AS "bucketStart"`;
  }

  /** Records as roll-up shaped rows: organization, business day, one, amount, time. */
  private recordRows<E extends ObjectLiteral>(
    source: Source,
    qb: SelectQueryBuilder<E>,
    filter: StatsFilter,
  ): Part {
    const a = source.alias;
    const time = `${a}.${source.records.timeColumn}`;
    if (filter.organizationIds?.length)
      qb.andWhere(`${a}.organization_id IN (:...statsOrganizations)`, {
        statsOrganizations: filter.organizationIds,
      });
    qb.select(`${a}.organization_id`, 'organization_id')
      .addSelect(`(${time} AT TIME ZONE :statsZone)::date`, 'day')
      .addSelect('1', 'n')
      .addSelect(source.amount, 'amount')
      .addSelect(time, 'first')
      .setParameter('statsZone', filter.timeZone);
    // TypeORM orders entity columns first: name the columns, so that every part of the UNION lines up
    return {
      sql: `SELECT organization_id, day, n, amount, first FROM (${qb.getQuery()}) p`,
      parameters: qb.getParameters(),
    };
  }

  private union(parts: Part[]): Part {
    const parameters: ObjectLiteral = {};
    for (const part of parts) Object.assign(parameters, part.parameters);
    return { sql: parts.map((p) => p.sql).join('\n UNION ALL \n'), parameters };
  }
}
