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
}

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
 * The business days wholly inside the window [:statsFrom, :statsTo] (`d1`…`d2`, empty when d1 > d2) and
 * their bounds as instants (`s1`, `s2`): those days are read from the daily roll-up, the rest of the window
 * from the records themselves.
 */
const WINDOW_DAYS = `stats_days AS (
  SELECT d1, d2, (d1::timestamp AT TIME ZONE :statsZone) AS s1, ((d2 + 1)::timestamp AT TIME ZONE :statsZone) AS s2
    FROM (SELECT CASE WHEN (f::timestamp AT TIME ZONE :statsZone) < :statsFrom THEN f + 1 ELSE f END AS d1, l AS d2
            FROM (SELECT (CAST(:statsFrom AS timestamptz) AT TIME ZONE :statsZone)::date AS f,
                         ((CAST(:statsTo AS timestamptz) + interval '1 microsecond') AT TIME ZONE :statsZone)::date - 1 AS l) b) d
)`;

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

  signing(actor: Actor, filter: StatsFilter) {
    return this.aggregate(
      { kind: 'contract', records: this.contracts, alias: 'k', amount: 'k.amount' },
      actor,
      filter,
    );
  }

  demandChanges(actor: Actor, filter: StatsFilter) {
    return this.aggregate(
      { kind: 'demand', records: this.demands, alias: 'd', amount: 'NULL::numeric' },
      actor,
      filter,
    );
  }

  followUpVisits(actor: Actor, filter: StatsFilter) {
    return this.aggregate(
      {
        kind: 'follow_up',
        records: this.followUps,
        alias: 'f',
        amount: 'NULL::numeric',
      },
      actor,
      filter,
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

  private async aggregate(source: Source, actor: Actor, filter: StatsFilter): Promise<[StatsRow[], number]> {
    const useRollup =
      this.rollupZone === filter.timeZone &&
      (actor.dataScope === 'all' || (actor.dataScope !== 'own' && actor.departmentIds.length > 0));
    const { sql, parameters } = useRollup
      ? this.fromRollup(source, actor, filter)
      : this.fromRecords(source, actor, filter);
    const [query, bound] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters);
    // the page carries the number of groups (one aggregation, not two); a page past the end counts apart
    const rows = (await this.dataSource.query(
      `${query} LIMIT ${filter.pageSize} OFFSET ${pageOffset(filter)}`,
      bound,
    )) as (StatsRow & { groups: number })[];
    if (rows.length > 0) return [rows, rows[0].groups];
    const count = (await this.dataSource.query(`SELECT count(*)::int AS n FROM (${query}) g`, bound)) as {
      n: number;
    }[];
    return [rows, count[0].n];
  }

  /** Every record of the window, aggregated (`own` scope, or before the roll-up is built). */
  private fromRecords(source: Source, actor: Actor, filter: StatsFilter) {
    const part = this.recordRows(source, source.records.windowed(actor, filter.window, {}), filter);
    return this.grouped([part], '', filter);
  }

  private fromRollup(source: Source, actor: Actor, filter: StatsFilter) {
    const a = source.alias;
    const time = `${a}.${source.records.timeColumn}`;
    const departments = actor.dataScope === 'all' ? null : actor.departmentIds;
    const organizations = filter.organizationIds?.length ? filter.organizationIds : null;
    const rollup = {
      sql: `SELECT r.organization_id, r.day, r.n, r.amount, r.first
              FROM core.crm_activity_day r, stats_days
             WHERE r.kind = :statsKind AND r.day BETWEEN stats_days.d1 AND stats_days.d2
               ${departments ? 'AND r.department_id IN (:...statsDepartments)' : ''}
               ${organizations ? 'AND r.organization_id IN (:...statsOrganizations)' : ''}`,
      parameters: {
        statsKind: source.kind,
        statsDepartments: departments,
        statsOrganizations: organizations,
      },
    };
    const inFullDays = `${time} >= (SELECT s1 FROM stats_days) AND ${time} < (SELECT s2 FROM stats_days)`;
    // two index ranges (a BitmapOr), not NOT (full days), which read every record of the window
    const edges = source.records
      .windowed(actor, filter.window, {})
      .andWhere(
        `((${time} >= :statsFrom AND ${time} < (SELECT s1 FROM stats_days)) OR (${time} >= (SELECT s2 FROM stats_days) AND ${time} <= :statsTo))`,
      );
    const parts = [rollup, this.recordRows(source, edges, filter)];
    if (departments) {
      // the caller's own and followed records outside their departments, which the roll-up does not reach
      const own = source.records
        .windowed({ ...actor, dataScope: 'own' }, filter.window, {})
        .andWhere(inFullDays)
        .andWhere(`(${a}.department_id IS NULL OR ${a}.department_id NOT IN (:...statsDepartments))`, {
          statsDepartments: departments,
        });
      parts.push(this.recordRows(source, own, filter));
    }
    return this.grouped(parts, `WITH ${WINDOW_DAYS}`, filter);
  }

  /** Records as roll-up shaped rows: organization, business day, one, amount, time. */
  private recordRows<E extends ObjectLiteral>(
    source: Source,
    qb: SelectQueryBuilder<E>,
    filter: StatsFilter,
  ) {
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
      .addSelect(time, 'first');
    // TypeORM orders entity columns first: name the columns, so that every part of the UNION lines up
    return {
      sql: `SELECT organization_id, day, n, amount, first FROM (${qb.getQuery()}) p`,
      parameters: qb.getParameters(),
    };
  }

  private grouped(parts: { sql: string; parameters: ObjectLiteral }[], prefix: string, filter: StatsFilter) {
    const truncated = filter.bucket ? `date_trunc('${filter.bucket}', x.day::timestamp)` : null;
    const sql = `${prefix}
      SELECT x.organization_id::text AS "organizationId", so.name AS "organizationName",
             ${truncated ? `to_char(${truncated}, '${LABEL[filter.bucket!]}')` : 'NULL::text'} AS "bucket",
             ${truncated ? `(${truncated} AT TIME ZONE :statsZone)` : 'NULL::timestamptz'} AS "bucketStart",
             sum(x.amount)::numeric(16,2)::text AS "total", sum(x.n)::int AS "n", min(x.first) AS "first",
             count(*) OVER ()::int AS "groups"
        FROM (${parts.map((p) => p.sql).join('\n UNION ALL \n')}) x
        JOIN core.crm_organization so ON so.id = x.organization_id AND so.deleted_at IS NULL
       GROUP BY x.organization_id, so.name${truncated ? `, ${truncated}` : ''}
       ORDER BY x.organization_id${truncated ? `, ${truncated}` : ''}`;
    const parameters: ObjectLiteral = {
      statsZone: filter.timeZone,
      statsFrom: filter.window.from,
      statsTo: filter.window.to,
    };
    for (const part of parts) Object.assign(parameters, part.parameters);
    return { sql, parameters };
  }
}
