import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, type Page } from '@app/common';
import { CrmSatisfactionEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { LinkChecker, LinkedActivityService } from '../shared/activity';
import { ChangeLogService } from '../shared/change-log.service';
import { clientTime, ONE_WEEK_MS, resolveWindow } from '../shared/crm-dto';
import { StaffDirectory } from '../shared/staff-directory';
import {
  type CreateSatisfactionDto,
  mapSatisfaction,
  type SatisfactionDto,
  type SatisfactionListQueryDto,
  satisfactionSnapshot,
  type UpdateSatisfactionDto,
} from './satisfaction.dto';
import { SatisfactionRepository } from './satisfaction.repository';

/** 满意度 (satisfaction, −10..10) with praised or criticised staff. */
@Injectable()
export class SatisfactionService extends LinkedActivityService<CrmSatisfactionEntity, SatisfactionDto> {
  protected readonly entityType = 'satisfaction' as const;
  protected readonly entity = CrmSatisfactionEntity;

  constructor(
    dataSource: DataSource,
    changes: ChangeLogService,
    staff: StaffDirectory,
    protected readonly repository: SatisfactionRepository,
    protected readonly links: LinkChecker,
    private readonly config: GatewayEnv,
  ) {
    super(dataSource, changes, staff);
  }

  protected get timeZone(): string {
    return this.config.TZ_BUSINESS;
  }

  list(actor: Actor, query: SatisfactionListQueryDto): Promise<Page<SatisfactionDto>> {
    return this.pageOf(this.listQuery(actor, query), query);
  }

  protected listQuery(
    actor: Actor,
    query: SatisfactionListQueryDto,
  ): SelectQueryBuilder<CrmSatisfactionEntity> {
    const window = resolveWindow(query, this.config.TZ_BUSINESS, ONE_WEEK_MS);
    const qb = this.repository.windowed(actor, window, { organizationId: query.organizationId });
    if (query.customerIds?.length)
      qb.andWhere('s.customer_ids && CAST(:customerIds AS bigint[])', { customerIds: query.customerIds });
    return qb;
  }

  async create(actor: Actor, dto: CreateSatisfactionDto): Promise<SatisfactionDto> {
    const customerIds = dto.customerIds ? await this.links.customers(actor, dto.customerIds) : [];
    const organizationId = dto.organizationId ?? (await this.soleOrganization(customerIds));
    await this.links.organization(actor, organizationId);
    if (dto.followerIds) await this.staff.assertInScope(actor, dto.followerIds, 'followerIds');
    const id = await this.insertRecord(actor, {
      organizationId,
      customerIds,
      followerIds: [...new Set(dto.followerIds ?? [])],
      value: dto.value,
      recordTime: clientTime(dto.recordTime, this.timeZone, 'recordTime')!,
      attach: dto.attach ?? null,
      note: dto.note ?? null,
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdateSatisfactionDto): Promise<SatisfactionDto> {
    const values = await this.linkChanges(actor, dto);
    for (const field of ['value', 'attach', 'note'] as const)
      if (dto[field] !== undefined) Object.assign(values, { [field]: dto[field] });
    await this.updateRecord(actor, id, values);
    return this.get(actor, id);
  }

  /** without organizationId, the one organization all named customers share. */
  private async soleOrganization(customerIds: string[]): Promise<string> {
    const rows = customerIds.length
      ? ((await this.dataSource.query(
          `SELECT DISTINCT unnest(organization_ids)::text AS id FROM core.crm_customer WHERE id = ANY($1::bigint[])`,
          [customerIds],
        )) as { id: string }[])
      : [];
    if (rows.length !== 1)
      throw AppException.invalid([
        {
          field: 'organizationId',
          reason: 'required unless the customers belong to exactly one organization',
        },
      ]);
    return rows[0].id;
  }

  protected snapshot(record: CrmSatisfactionEntity) {
    return satisfactionSnapshot(record);
  }

  protected async toDtos(rows: CrmSatisfactionEntity[]): Promise<SatisfactionDto[]> {
    const [staff, orgs, customers] = await this.linkedNames(rows);
    return rows.map((r) => mapSatisfaction(r, staff, orgs, customers));
  }
}
