import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, type Page } from '@app/common';
import { CrmFollowUpEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { PotentialsRepository } from '../potentials/potentials.repository';
import { LinkChecker, LinkedActivityService } from '../shared/activity';
import { ChangeLogService } from '../shared/change-log.service';
import { clientTime, ONE_WEEK_MS, resolveWindow } from '../shared/crm-dto';
import { StaffDirectory } from '../shared/staff-directory';
import {
  type CreateFollowUpDto,
  type FollowUpDto,
  type FollowUpListQueryDto,
  followUpSnapshot,
  mapFollowUp,
  type UpdateFollowUpDto,
} from './follow-up.dto';
import { FollowUpsRepository } from './follow-ups.repository';

/** 拜访记录 (follow-up visits) under a potential record; newest first. */
@Injectable()
export class FollowUpsService extends LinkedActivityService<CrmFollowUpEntity, FollowUpDto> {
  protected readonly entityType = 'follow_up' as const;
  protected readonly entity = CrmFollowUpEntity;

  constructor(
    dataSource: DataSource,
    changes: ChangeLogService,
    staff: StaffDirectory,
    protected readonly repository: FollowUpsRepository,
    private readonly potentials: PotentialsRepository,
    protected readonly links: LinkChecker,
    private readonly config: GatewayEnv,
  ) {
    super(dataSource, changes, staff);
  }

  protected get timeZone(): string {
    return this.config.TZ_BUSINESS;
  }

  list(actor: Actor, query: FollowUpListQueryDto): Promise<Page<FollowUpDto>> {
    return this.pageOf(this.listQuery(actor, query), query);
  }

  protected listQuery(actor: Actor, query: FollowUpListQueryDto): SelectQueryBuilder<CrmFollowUpEntity> {
    const window = resolveWindow(query, this.config.TZ_BUSINESS, ONE_WEEK_MS);
    const qb = this.repository.windowed(actor, window, { organizationId: query.organizationId });
    if (query.potentialId) qb.andWhere('f.potential_id = :potentialId', { potentialId: query.potentialId });
    return qb;
  }

  async create(actor: Actor, dto: CreateFollowUpDto): Promise<FollowUpDto> {
    const potential = await this.potentials.findVisible(actor, dto.potentialId);
    if (!potential || potential.deletedAt) throw AppException.notFound('potential', dto.potentialId);
    await this.staff.assertInScope(actor, dto.followerIds, 'followerIds');
    const id = await this.insertRecord(actor, {
      potentialId: potential.id,
      organizationId: potential.organizationId,
      followerIds: [...new Set(dto.followerIds)],
      customerIds: dto.customerIds ? await this.links.customers(actor, dto.customerIds) : [],
      recordTime: clientTime(dto.recordTime, this.timeZone, 'recordTime')!,
      event: dto.event ?? null,
      gain: dto.gain ?? null,
      attach: dto.attach ?? null,
      note: dto.note ?? null,
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdateFollowUpDto): Promise<FollowUpDto> {
    const values = await this.linkChanges(actor, dto);
    for (const field of ['event', 'gain', 'attach', 'note'] as const)
      if (dto[field] !== undefined) Object.assign(values, { [field]: dto[field] });
    await this.updateRecord(actor, id, values);
    return this.get(actor, id);
  }

  protected snapshot(record: CrmFollowUpEntity) {
    return followUpSnapshot(record);
  }

  protected async toDtos(rows: CrmFollowUpEntity[]): Promise<FollowUpDto[]> {
    const [staff, orgs, customers] = await this.linkedNames(rows);
    return rows.map((r) => mapFollowUp(r, staff, orgs, customers));
  }
}
