import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, type Page, type PageQueryDto, toPage } from '@app/common';
import { CrmCustomerEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import { ChangeLogService } from '../shared/change-log.service';
import { type ChangeDto, clientTime } from '../shared/crm-dto';
import { CrmException, CrmReason } from '../shared/crm.exception';
import { StaffDirectory } from '../shared/staff-directory';
import { uniqueViolation } from '../../identity/shared/dto-helpers';
import {
  type CreateCustomerDto,
  type CustomerDto,
  type CustomerListQueryDto,
  customerSnapshot,
  mapCustomer,
  type UpdateCustomerDto,
} from './customer.dto';
import { CustomersRepository } from './customers.repository';

const PLAIN_FIELDS = [
  'code',
  'realName',
  'nickName',
  'type',
  'phone',
  'job',
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
export class CustomersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: GatewayEnv,
    private readonly customers: CustomersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly staff: StaffDirectory,
    private readonly changes: ChangeLogService,
  ) {}

  async list(actor: Actor, query: CustomerListQueryDto): Promise<Page<CustomerDto>> {
    const [rows, total] = await this.customers.list(actor, query, query);
    return toPage(await this.map(rows), total, query);
  }

  async get(actor: Actor, id: string): Promise<CustomerDto> {
    const found = await this.customers.findVisible(actor, id);
    if (!found) throw AppException.notFound('customer', id);
    return (await this.map([found]))[0];
  }

  async timeline(actor: Actor, id: string, page: PageQueryDto): Promise<Page<ChangeDto>> {
    await this.get(actor, id);
    return this.changes.timeline({ customerId: id }, page);
  }

  /** The entity values a create or update body sets (only the fields it carries). */
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

  async create(actor: Actor, dto: CreateCustomerDto): Promise<CustomerDto> {
    const values = await this.values(actor, dto);
    const id = await this.dataSource.transaction((manager) => this.insert(manager, actor, values, 'created'));
    return this.get(actor, id);
  }

  /** Inserts a customer (values already validated) and files the change. */
  async insert(
    manager: EntityManager,
    actor: Actor,
    values: Partial<CrmCustomerEntity>,
    action: 'created' | 'imported',
  ): Promise<string> {
    const creatorId = values.creatorId ?? actor.id;
    const row = {
      ...values,
      creatorId,
      ownerId: values.ownerId ?? creatorId,
      departmentId: await this.staff.departmentOf(creatorId),
    };
    const inserted = await this.guard(() => manager.insert(CrmCustomerEntity, row));
    const id = String(inserted.identifiers[0].id);
    const created = await manager.findOneByOrFail(CrmCustomerEntity, { id });
    await this.changes.record(manager, {
      entityType: 'customer',
      entityId: id,
      customerId: id,
      action,
      actor,
      after: customerSnapshot(created),
    });
    return id;
  }

  async update(actor: Actor, id: string, dto: UpdateCustomerDto): Promise<CustomerDto> {
    const values = await this.values(actor, dto);
    await this.dataSource.transaction((manager) => this.change(manager, actor, id, values, 'updated'));
    return this.get(actor, id);
  }

  /** Applies values to a live customer within the scope; returns the values before (for undo). */
  async change(
    manager: EntityManager,
    actor: Actor,
    id: string,
    values: Partial<CrmCustomerEntity>,
    action: 'updated' | 'imported' | 'import_undone',
  ): Promise<Record<string, unknown>> {
    const before = await this.customers.findVisible(actor, id, manager);
    if (!before) throw AppException.notFound('customer', id);
    if (before.deletedAt) throw CrmException.inConflict(CrmReason.Deleted, 'restore the customer first');
    if (Object.keys(values).length > 0)
      await this.guard(() => manager.update(CrmCustomerEntity, { id }, values));
    const after = await manager.findOneByOrFail(CrmCustomerEntity, { id });
    await this.changes.record(manager, {
      entityType: 'customer',
      entityId: id,
      customerId: id,
      action,
      actor,
      before: customerSnapshot(before),
      after: customerSnapshot(after),
    });
    return Object.fromEntries(
      Object.keys(values).map((key) => [key, before[key as keyof CrmCustomerEntity]]),
    );
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

  async setDeleted(
    actor: Actor,
    id: string,
    deleted: boolean,
    manager?: EntityManager,
  ): Promise<CustomerDto> {
    const work = async (m: EntityManager) => {
      const before = await this.customers.findVisible(actor, id, m);
      if (!before) throw AppException.notFound('customer', id);
      if (!!before.deletedAt === deleted) return;
      const deletedAt = deleted ? new Date() : null;
      await m.update(CrmCustomerEntity, { id }, { deletedAt });
      await this.changes.record(m, {
        entityType: 'customer',
        entityId: id,
        customerId: id,
        action: deleted ? 'deleted' : 'restored',
        actor,
        before: { deletedAt: before.deletedAt?.toISOString() ?? null },
        after: { deletedAt: deletedAt?.toISOString() ?? null },
      });
    };
    if (manager) await work(manager);
    else await this.dataSource.transaction(work);
    return this.get(actor, id);
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

  private async map(rows: CrmCustomerEntity[]): Promise<CustomerDto[]> {
    const [staff, organizations] = await Promise.all([
      this.staff.names(rows.flatMap((r) => [r.creatorId, r.ownerId])),
      this.organizations.namesOf(rows.flatMap((r) => r.organizationIds.map(String))),
    ]);
    return rows.map((r) => mapCustomer(r, staff, organizations));
  }
}
