import { Injectable } from '@nestjs/common';
import { DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { CrmOrganizationEntity } from '@app/database';
import { pageOffset } from '@app/common';
import { ContractsRepository } from '../crm/contracts/contracts.repository';
import { DemandsRepository } from '../crm/demands/demands.repository';
import { FollowUpsRepository } from '../crm/follow-ups/follow-ups.repository';
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

const LABEL: Record<Bucket, string> = { month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' };

/**
 * Per-organization aggregates of live records within the caller's data scope and a time window,
 * optionally per calendar bucket in the business time zone; organizations that are deleted count nothing.
 */
@Injectable()
export class StatsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contracts: ContractsRepository,
    private readonly demands: DemandsRepository,
    private readonly followUps: FollowUpsRepository,
  ) {}

  signing(actor: Actor, filter: StatsFilter) {
    return this.aggregate(
      this.contracts.windowed(actor, filter.window, {}),
      'k',
      'sign_time',
      'sum(k.amount)',
      filter,
    );
  }

  demandChanges(actor: Actor, filter: StatsFilter) {
    return this.aggregate(
      this.demands.windowed(actor, filter.window, {}),
      'd',
      'record_time',
      'NULL',
      filter,
    );
  }

  followUpVisits(actor: Actor, filter: StatsFilter) {
    return this.aggregate(
      this.followUps.windowed(actor, filter.window, {}),
      'f',
      'record_time',
      'NULL',
      filter,
    );
  }

  private async aggregate<E extends ObjectLiteral>(
    qb: SelectQueryBuilder<E>,
    a: string,
    timeColumn: string,
    totalSql: string,
    filter: StatsFilter,
  ): Promise<[StatsRow[], number]> {
    qb.innerJoin(CrmOrganizationEntity, 'so', `so.id = ${a}.organization_id AND so.deleted_at IS NULL`);
    if (filter.organizationIds?.length)
      qb.andWhere(`${a}.organization_id IN (:...statsOrganizations)`, {
        statsOrganizations: filter.organizationIds,
      });
    const local = `(${a}.${timeColumn} AT TIME ZONE :statsZone)`;
    const truncated = filter.bucket ? `date_trunc('${filter.bucket}', ${local})` : null;
    qb.select(`${a}.organization_id::text`, 'organizationId')
      .addSelect('so.name', 'organizationName')
      .addSelect(truncated ? `to_char(${truncated}, '${LABEL[filter.bucket!]}')` : 'NULL::text', 'bucket')
      .addSelect(truncated ? `(${truncated} AT TIME ZONE :statsZone)` : 'NULL::timestamptz', 'bucketStart')
      .addSelect(`${totalSql}::numeric(16,2)::text`, 'total')
      .addSelect('count(*)::int', 'n')
      .addSelect(`min(${a}.${timeColumn})`, 'first')
      .setParameter('statsZone', filter.timeZone)
      .groupBy(`${a}.organization_id`)
      .addGroupBy('so.name');
    if (truncated) qb.addGroupBy(truncated);
    qb.orderBy(`${a}.organization_id`, 'ASC');
    if (truncated) qb.addOrderBy(truncated, 'ASC');
    const [sql, parameters] = qb.getQueryAndParameters();
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `${sql} LIMIT ${filter.pageSize} OFFSET ${pageOffset(filter)}`,
        parameters,
      ) as Promise<StatsRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) g`, parameters) as Promise<
        { n: number }[]
      >,
    ]);
    return [rows, count[0].n];
  }
}
