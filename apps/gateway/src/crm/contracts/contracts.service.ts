import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import type { Page } from '@app/common';
import { CrmContractEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { ActivityService, LinkChecker } from '../shared/activity';
import { ChangeLogService } from '../shared/change-log.service';
import { clientTime, moneyString, ONE_YEAR_MS, resolveWindow } from '../shared/crm-dto';
import { StaffDirectory } from '../shared/staff-directory';
import {
  type ContractDto,
  type ContractListQueryDto,
  contractSnapshot,
  type CreateContractDto,
  mapContract,
  type UpdateContractDto,
} from './contract.dto';
import { ContractsRepository } from './contracts.repository';

/** 合同记录 (contracts): amount and remittance as numeric(14,2), listed by sign time (default one year). */
@Injectable()
export class ContractsService extends ActivityService<CrmContractEntity, ContractDto> {
  protected readonly entityType = 'contract' as const;
  protected readonly entity = CrmContractEntity;

  constructor(
    dataSource: DataSource,
    changes: ChangeLogService,
    staff: StaffDirectory,
    protected readonly repository: ContractsRepository,
    private readonly links: LinkChecker,
    private readonly config: GatewayEnv,
  ) {
    super(dataSource, changes, staff);
  }

  list(actor: Actor, query: ContractListQueryDto): Promise<Page<ContractDto>> {
    return this.pageOf(this.listQuery(actor, query), query);
  }

  protected listQuery(actor: Actor, query: ContractListQueryDto): SelectQueryBuilder<CrmContractEntity> {
    const window = resolveWindow(query, this.config.TZ_BUSINESS, ONE_YEAR_MS);
    return this.repository.windowed(actor, window, { organizationId: query.organizationId });
  }

  async create(actor: Actor, dto: CreateContractDto): Promise<ContractDto> {
    await this.links.organization(actor, dto.organizationId);
    const values = await this.values(actor, dto);
    const id = await this.insertRecord(actor, {
      ...values,
      organizationId: dto.organizationId,
      name: dto.name,
      signTime: clientTime(dto.signTime, this.config.TZ_BUSINESS, 'signTime')!,
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdateContractDto): Promise<ContractDto> {
    const values = await this.values(actor, dto);
    if (dto.organizationId !== undefined) {
      await this.links.organization(actor, dto.organizationId);
      values.organizationId = dto.organizationId;
    }
    if (dto.name !== undefined) values.name = dto.name;
    if (dto.signTime !== undefined)
      values.signTime = clientTime(dto.signTime, this.config.TZ_BUSINESS, 'signTime')!;
    await this.updateRecord(actor, id, values);
    return this.get(actor, id);
  }

  private async values(actor: Actor, dto: UpdateContractDto): Promise<Partial<CrmContractEntity>> {
    const tz = this.config.TZ_BUSINESS;
    const values: Partial<CrmContractEntity> = { editorId: actor.id };
    if (dto.code !== undefined) values.code = dto.code;
    if (dto.note !== undefined) values.note = dto.note;
    if (dto.amount !== undefined) values.amount = moneyString(dto.amount);
    if (dto.remitAmount !== undefined) values.remitAmount = moneyString(dto.remitAmount);
    if (dto.remitTime !== undefined) values.remitTime = clientTime(dto.remitTime, tz, 'remitTime') ?? null;
    if (dto.followerIds !== undefined) {
      await this.staff.assertInScope(actor, dto.followerIds, 'followerIds');
      values.followerIds = [...new Set(dto.followerIds)];
    }
    if (dto.creatorId !== undefined) {
      await this.staff.assertInScope(actor, [dto.creatorId], 'creatorId');
      values.creatorId = dto.creatorId;
    }
    return values;
  }

  protected snapshot(record: CrmContractEntity) {
    return contractSnapshot(record);
  }

  protected async toDtos(rows: CrmContractEntity[]): Promise<ContractDto[]> {
    const [staff, orgs] = await Promise.all([
      this.staff.names(rows.flatMap((r) => [r.creatorId, r.editorId, ...r.followerIds.map(String)])),
      this.links.organizationNames(rows.map((r) => r.organizationId)),
    ]);
    return rows.map((r) => mapContract(r, staff, orgs));
  }
}
