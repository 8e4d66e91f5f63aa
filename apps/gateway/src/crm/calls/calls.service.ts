import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { Actor } from '@app/contracts';
import { type Page, pageOffset, toPage } from '@app/common';
import { CrmCallEntity, CrmCustomerEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { CustomersRepository } from '../customers/customers.repository';
import { rowField, validateBatch } from '../shared/batch';
import { clientTime, isDialable } from '../shared/crm-dto';
import { crmScopeWhere } from '../shared/crm-scope';
import { StaffDirectory } from '../shared/staff-directory';
import type { UploadResultDto } from '../sms/sms.dto';
import { CallUploadItemDto, type CallDto, type CallListQueryDto, mapCall } from './calls.dto';

const CONNECTED = new Set([1, 4]);

/** Seed 003 call records: batch upload from phones (idempotent), the customers' contact status, list. */
@Injectable()
export class CallsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomersRepository,
    private readonly staff: StaffDirectory,
    private readonly config: GatewayEnv,
  ) {}

  /**
   * Stores the calls this caller has not stored yet (natural key: uploader, empCode, mobile, callDate,
   * callStatus), all or none, and
   * marks the customers of those numbers (within the caller's scope) as reached (1) or not reached (2); a
   * hidden caller's record is stored and reaches no one.
   */
  async upload(actor: Actor, body: unknown): Promise<UploadResultDto> {
    const items = await validateBatch(body, CallUploadItemDto);
    const tz = this.config.TZ_BUSINESS;
    const departmentId = actor.departmentId ?? (await this.staff.departmentOf(actor.id));
    const rows = items.map((item, index) => ({
      staffId: actor.id,
      departmentId,
      empCode: item.empCode,
      empWorkMobile: item.empWorkMobile ?? '',
      mobile: item.mobile,
      billSec: item.billSec,
      callDate: clientTime(item.callDate, tz, rowField(index, 'callDate'))!,
      callStatus: item.callStatus,
    }));
    const reached = new Map<string, boolean>();
    for (const row of rows)
      if (row.callStatus !== 0 && isDialable(row.mobile))
        reached.set(row.mobile, (reached.get(row.mobile) ?? false) || CONNECTED.has(row.callStatus));
    const mobiles = [...reached.keys()];
    const customers = mobiles.length
      ? await this.customers
          .visible(actor, 'live')
          .andWhere('c.phone IN (:...mobiles)', { mobiles })
          .select(['c.id', 'c.phone', 'c.contactStatus'])
          .getMany()
      : [];
    const inserted = await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(CrmCallEntity)
        .values(rows)
        .orIgnore()
        .returning('id')
        .execute();
      const nowReached = customers
        .filter((c) => reached.get(c.phone!) && c.contactStatus !== 1)
        .map((c) => c.id);
      const notReached = customers
        .filter((c) => !reached.get(c.phone!) && c.contactStatus === 0)
        .map((c) => c.id);
      if (nowReached.length)
        await manager.update(CrmCustomerEntity, { id: In(nowReached) }, { contactStatus: 1 });
      if (notReached.length)
        await manager.update(CrmCustomerEntity, { id: In(notReached) }, { contactStatus: 2 });
      return (result.raw as unknown[]).length;
    });
    return { lastSyncTime: await this.lastSyncTime(actor), inserted, duplicates: rows.length - inserted };
  }

  /** The newest time this caller's phone uploaded, in epoch ms (0 before the first upload), where it resumes. */
  async lastSyncTime(actor: Actor): Promise<number> {
    const [{ last }] = (await this.dataSource.query(
      `SELECT COALESCE((extract(epoch FROM max(call_date)) * 1000)::bigint, 0)::text AS last FROM core.crm_call WHERE staff_id = $1`,
      [actor.id],
    )) as { last: string }[];
    return Number(last);
  }

  async list(actor: Actor, query: CallListQueryDto): Promise<Page<CallDto>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(CrmCallEntity, 'l')
      .where(crmScopeWhere(actor, { owners: ['l.staff_id'], department: 'l.department_id' }));
    if (query.empCode) qb.andWhere('l.emp_code = :empCode', { empCode: query.empCode });
    if (query.mobile) qb.andWhere('l.mobile = :mobile', { mobile: query.mobile });
    if (query.staffId) qb.andWhere('l.staff_id = :staffId', { staffId: query.staffId });
    const [rows, total] = await qb
      .orderBy('l.callDate', 'DESC')
      .addOrderBy('l.id', 'DESC')
      .offset(pageOffset(query))
      .limit(query.pageSize)
      .getManyAndCount();
    return toPage(rows.map(mapCall), total, query);
  }
}
