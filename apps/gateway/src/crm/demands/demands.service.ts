import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import type { Page } from '@app/common';
import { CrmDemandEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { LinkChecker, LinkedActivityService } from '../shared/activity';
import { ChangeLogService } from '../shared/change-log.service';
import { clientTime, ONE_WEEK_MS, resolveWindow } from '../shared/crm-dto';
import { StaffDirectory } from '../shared/staff-directory';
import {
  type CreateDemandDto,
  type DemandDto,
  type DemandListQueryDto,
  demandSnapshot,
  mapDemand,
  type UpdateDemandDto,
} from './demand.dto';
import { DemandsRepository } from './demands.repository';

/** 需求变更记录 (demand changes) of an organization. */
@Injectable()
export class DemandsService extends LinkedActivityService<CrmDemandEntity, DemandDto> {
  protected readonly entityType = 'demand' as const;
  protected readonly entity = CrmDemandEntity;

  constructor(
    dataSource: DataSource,
    changes: ChangeLogService,
    staff: StaffDirectory,
    protected readonly repository: DemandsRepository,
    protected readonly links: LinkChecker,
    private readonly config: GatewayEnv,
  ) {
    super(dataSource, changes, staff);
  }

  protected get timeZone(): string {
    return this.config.TZ_BUSINESS;
  }

  list(actor: Actor, query: DemandListQueryDto): Promise<Page<DemandDto>> {
    return this.pageOf(this.listQuery(actor, query), query);
  }

  protected listQuery(actor: Actor, query: DemandListQueryDto): SelectQueryBuilder<CrmDemandEntity> {
    const window = resolveWindow(query, this.config.TZ_BUSINESS, ONE_WEEK_MS);
    return this.repository.windowed(actor, window, { organizationId: query.organizationId });
  }

  async create(actor: Actor, dto: CreateDemandDto): Promise<DemandDto> {
    await this.links.organization(actor, dto.organizationId);
    await this.staff.assertInScope(actor, dto.followerIds, 'followerIds');
    const id = await this.insertRecord(actor, {
      organizationId: dto.organizationId,
      followerIds: [...new Set(dto.followerIds)],
      customerIds: dto.customerIds ? await this.links.customers(actor, dto.customerIds) : [],
      recordTime: clientTime(dto.recordTime, this.timeZone, 'recordTime')!,
      content: dto.content,
      attach: dto.attach ?? null,
      note: dto.note ?? null,
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdateDemandDto): Promise<DemandDto> {
    const values = await this.linkChanges(actor, dto);
    for (const field of ['content', 'attach', 'note'] as const)
      if (dto[field] !== undefined) Object.assign(values, { [field]: dto[field] });
    await this.updateRecord(actor, id, values);
    return this.get(actor, id);
  }

  protected snapshot(record: CrmDemandEntity) {
    return demandSnapshot(record);
  }

  protected async toDtos(rows: CrmDemandEntity[]): Promise<DemandDto[]> {
    const [staff, orgs, customers] = await this.linkedNames(rows);
    return rows.map((r) => mapDemand(r, staff, orgs, customers));
  }
}
