import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException } from '@app/common';
import { CrmCustomerEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import { DirectoryService } from '../shared/activity';
import { ChangeLogService } from '../shared/change-log.service';
import { clientTime } from '../shared/crm-dto';
import { CrmException, CrmReason } from '../shared/crm.exception';
import { StaffDirectory } from '../shared/staff-directory';
import { uniqueViolation } from '../../shared/dto-helpers';
import { type CustomerDto, customerSnapshot, mapCustomer, type UpdateCustomerDto } from './customer.dto';
import { type CustomerFilters, CustomersRepository } from './customers.repository';

const PLAIN_FIELDS = [
  'code',
  'realName',
  'nickName',
  'type',
  'phone',
  'job',
  'cid',
  'openId',
  'sex',
  'level',
  'isVip',
  'isSenior',
  'avatarUrl',
  'note',
  'legalPerson',
  'registeredCapital',
  'registrationDate',
  'website',
  'stage',
  'comment',
] as const;

/** 客户: create, edit, soft delete and restore, seed-003 comment and WeChat status, within the data scope. */
@Injectable()
export class CustomersService extends DirectoryService<
  CrmCustomerEntity,
  CustomerDto,
  CustomerFilters,
  UpdateCustomerDto
> {
  protected readonly entityType = 'customer' as const;
  protected readonly entity = CrmCustomerEntity;

  constructor(
    dataSource: DataSource,
    private readonly config: GatewayEnv,
    protected readonly repository: CustomersRepository,
    private readonly organizations: OrganizationsRepository,
    staff: StaffDirectory,
    changes: ChangeLogService,
  ) {
    super(dataSource, changes, staff);
  }

  async values(actor: Actor, dto: UpdateCustomerDto): Promise<Partial<CrmCustomerEntity>> {
    const values: Partial<CrmCustomerEntity> = {};
    for (const field of PLAIN_FIELDS)
      if (dto[field] !== undefined) Object.assign(values, { [field]: dto[field] });
    const tz = this.config.TZ_BUSINESS;
    if (dto.vipDueTime !== undefined)
      values.vipDueTime = clientTime(dto.vipDueTime, tz, 'vipDueTime') ?? null;
    if (dto.navigationDueTime !== undefined)
      values.navigationDueTime = clientTime(dto.navigationDueTime, tz, 'navigationDueTime') ?? null;
    if (dto.organizationIds !== undefined) {
      const wanted = [...new Set(dto.organizationIds)];
      const visible = await this.organizations.visibleIds(actor, wanted);
      if (visible.size !== wanted.length)
        throw AppException.notFound(
          'organization',
          wanted.find((id) => !visible.has(id)),
        );
      values.organizationIds = wanted;
    }
    const staffIds = [dto.creatorId, dto.ownerId].filter((id): id is string => !!id);
    await this.staff.assertInScope(actor, staffIds, dto.ownerId ? 'ownerId' : 'creatorId');
    if (dto.creatorId) values.creatorId = dto.creatorId;
    if (dto.ownerId) values.ownerId = dto.ownerId;
    return values;
  }

  /** Inserts a customer (values already validated; the owner defaults to the creator) and files the change. */
  override insert(
    manager: EntityManager,
    actor: Actor,
    values: Partial<CrmCustomerEntity>,
    action: 'created' | 'imported',
  ): Promise<string> {
    const ownerId = values.ownerId ?? values.creatorId ?? actor.id;
    return this.guard(() => super.insert(manager, actor, { ...values, ownerId }, action));
  }

  /** Applies values to a live customer within the scope; returns the values before (for undo). */
  override change(
    manager: EntityManager,
    actor: Actor,
    id: string,
    values: Partial<CrmCustomerEntity>,
    action: 'updated' | 'imported' | 'import_undone',
  ): Promise<Record<string, unknown>> {
    return this.guard(() => super.change(manager, actor, id, values, action));
  }

  async setComment(actor: Actor, id: string, comment: string): Promise<CustomerDto> {
    return this.update(actor, id, { comment });
  }

  async setWechatStatus(actor: Actor, id: string, status: number): Promise<CustomerDto> {
    await this.dataSource.transaction((manager) =>
      this.change(manager, actor, id, { wechatStatus: status }, 'updated'),
    );
    return this.get(actor, id);
  }

  protected timelineOf(record: CrmCustomerEntity) {
    return { customerId: record.id };
  }

  protected snapshot(record: CrmCustomerEntity) {
    return customerSnapshot(record);
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (uniqueViolation(error))
        throw CrmException.inConflict(CrmReason.Duplicate, 'customer code already used');
      throw error;
    }
  }

  protected async toDtos(rows: CrmCustomerEntity[]): Promise<CustomerDto[]> {
    const [staff, organizations] = await Promise.all([
      this.staff.names(rows.flatMap((r) => [r.creatorId, r.ownerId])),
      this.organizations.namesOf(rows.flatMap((r) => r.organizationIds.map(String))),
    ]);
    return rows.map((r) => mapCustomer(r, staff, organizations));
  }
}
