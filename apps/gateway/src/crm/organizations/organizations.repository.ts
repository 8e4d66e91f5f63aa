import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import type { PageQueryDto } from '@app/common';
import { CrmOrganizationEntity } from '@app/database';
import { type CrmScopeColumns } from '../shared/crm-scope';
import { containsPattern } from '@app/common';
import { type DeletedFilter, CrmRecordRepository } from '../shared/record-repository';

export interface OrganizationFilters {
  name?: string;
  status: 'all' | '-1' | '0' | '1' | '2' | '3';
  creatorId?: string;
}

/**
 * Organizations within a data scope: mine when I created it or direct one of its (live) potential
 * records; in my department when its creator's department was.
 */
@Injectable()
export class OrganizationsRepository extends CrmRecordRepository<CrmOrganizationEntity> {
  protected readonly entity = CrmOrganizationEntity;
  protected readonly alias = 'o';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected scopeColumns(a: string): CrmScopeColumns {
    return {
      owners: [`${a}.creator_id`],
      ownedWhen: `EXISTS (SELECT 1 FROM core.crm_potential sp WHERE sp.organization_id = ${a}.id
                   AND sp.director_id = :actorId AND sp.deleted_at IS NULL)`,
      department: `${a}.department_id`,
    };
  }

  filtered(actor: Actor, filters: OrganizationFilters): SelectQueryBuilder<CrmOrganizationEntity> {
    const deleted: DeletedFilter =
      filters.status === 'all' ? 'any' : filters.status === '-1' ? 'deleted' : 'live';
    const qb = this.visible(actor, deleted);
    if (filters.name) qb.andWhere('o.name ILIKE :name', { name: containsPattern(filters.name) });
    if (filters.creatorId) qb.andWhere('o.creator_id = :creatorId', { creatorId: filters.creatorId });
    if (['0', '2', '3'].includes(filters.status))
      qb.andWhere(
        `(SELECT lp.status FROM core.crm_potential lp WHERE lp.organization_id = o.id AND lp.deleted_at IS NULL
           ORDER BY lp.record_time DESC, lp.id DESC LIMIT 1) = :potentialStatus`,
        { potentialStatus: Number(filters.status) },
      );
    return qb;
  }

  list(actor: Actor, filters: OrganizationFilters, page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>) {
    return this.page(this.filtered(actor, filters), page, 'createdAt');
  }

  /** The page with its total capped at `countCap` (see CrmRecordRepository.cappedPage). */
  cappedList(
    actor: Actor,
    filters: OrganizationFilters,
    page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
    countCap: number,
  ) {
    return this.cappedPage(this.filtered(actor, filters), page, 'createdAt', countCap);
  }

  /** Live organizations of these ids that the caller can see (for links from other records). */
  async visibleIds(actor: Actor, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.visible(actor, 'live')
      .andWhere('o.id IN (:...ids)', { ids: [...new Set(ids)] })
      .select('o.id', 'id')
      .getRawMany<{ id: string }>();
    return new Set(rows.map((r) => String(r.id)));
  }

  async namesOf(ids: Iterable<string>): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT id::text AS id, name FROM core.crm_organization WHERE id = ANY($1::bigint[])`,
      [wanted],
    )) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
