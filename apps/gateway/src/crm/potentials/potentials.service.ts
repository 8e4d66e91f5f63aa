import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import type { Page } from '@app/common';
import { CrmFollowUpEntity, CrmPotentialEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { ActivityService, LinkChecker } from '../shared/activity';
import { ChangeLogService } from '../shared/change-log.service';
import { clientTime, ONE_WEEK_MS, resolveWindow } from '../shared/crm-dto';
import { StaffDirectory } from '../shared/staff-directory';
import {
  type CreatePotentialDto,
  mapPotential,
  type PotentialDto,
  type PotentialListQueryDto,
  potentialSnapshot,
  type UpdatePotentialDto,
} from './potential.dto';
import { PotentialsRepository } from './potentials.repository';

/** 大的拜访记录 (potential records): organization, director, record time, status 0–3. */
@Injectable()
export class PotentialsService extends ActivityService<CrmPotentialEntity, PotentialDto> {
  protected readonly entityType = 'potential' as const;
  protected readonly entity = CrmPotentialEntity;

  constructor(
    dataSource: DataSource,
    changes: ChangeLogService,
    staff: StaffDirectory,
    protected readonly repository: PotentialsRepository,
    private readonly links: LinkChecker,
    private readonly config: GatewayEnv,
  ) {
    super(dataSource, changes, staff);
  }

  list(actor: Actor, query: PotentialListQueryDto): Promise<Page<PotentialDto>> {
    return this.pageOf(this.listQuery(actor, query), query);
  }

  protected listQuery(actor: Actor, query: PotentialListQueryDto): SelectQueryBuilder<CrmPotentialEntity> {
    const window = resolveWindow(query, this.config.TZ_BUSINESS, ONE_WEEK_MS);
    const deleted = query.status === '-1' ? 'deleted' : 'live';
    const qb = this.repository.windowed(actor, window, { organizationId: query.organizationId, deleted });
    if (query.directorId) qb.andWhere('p.director_id = :directorId', { directorId: query.directorId });
    if (!['all', '-1'].includes(query.status))
      qb.andWhere('p.status = :status', { status: Number(query.status) });
    return qb;
  }

  async create(actor: Actor, dto: CreatePotentialDto): Promise<PotentialDto> {
    await this.links.organization(actor, dto.organizationId);
    await this.staff.assertInScope(actor, [dto.directorId], 'directorId');
    const id = await this.insertRecord(actor, {
      organizationId: dto.organizationId,
      directorId: dto.directorId,
      recordTime: clientTime(dto.recordTime, this.config.TZ_BUSINESS, 'recordTime')!,
      note: dto.note ?? null,
      status: 0,
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdatePotentialDto): Promise<PotentialDto> {
    const values: Partial<CrmPotentialEntity> = {};
    if (dto.organizationId !== undefined) {
      await this.links.organization(actor, dto.organizationId);
      values.organizationId = dto.organizationId;
    }
    if (dto.directorId !== undefined) {
      await this.staff.assertInScope(actor, [dto.directorId], 'directorId');
      values.directorId = dto.directorId;
    }
    if (dto.recordTime !== undefined)
      values.recordTime = clientTime(dto.recordTime, this.config.TZ_BUSINESS, 'recordTime')!;
    if (dto.note !== undefined) values.note = dto.note;
    if (dto.status !== undefined) values.status = dto.status;
    await this.updateRecord(actor, id, values);
    return this.get(actor, id);
  }

  protected override async afterUpdate(
    manager: EntityManager,
    before: CrmPotentialEntity,
    after: CrmPotentialEntity,
  ): Promise<void> {
    if (before.organizationId !== after.organizationId)
      await manager.update(
        CrmFollowUpEntity,
        { potentialId: after.id },
        { organizationId: after.organizationId },
      );
  }

  protected snapshot(record: CrmPotentialEntity) {
    return potentialSnapshot(record);
  }

  protected async toDtos(rows: CrmPotentialEntity[]): Promise<PotentialDto[]> {
    const [staff, orgs] = await Promise.all([
      this.staff.names(rows.flatMap((r) => [r.creatorId, r.directorId])),
      this.links.organizationNames(rows.map((r) => r.organizationId)),
    ]);
    return rows.map((r) => mapPotential(r, staff, orgs));
  }
}
