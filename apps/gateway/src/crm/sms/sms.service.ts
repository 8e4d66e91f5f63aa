import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, type Page, pageOffset, toPage } from '@app/common';
import { CrmSmsEntity, CrmSmsTemplateEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { rowField, validateBatch } from '../shared/batch';
import { clientTime } from '../shared/crm-dto';
import { crmScopeWhere } from '../shared/crm-scope';
import { StaffDirectory } from '../shared/staff-directory';
import {
  type CreateSmsTemplateDto,
  mapSms,
  mapTemplate,
  type SmsDto,
  type SmsListQueryDto,
  type SmsTemplateDto,
  SmsUploadItemDto,
  type UpdateSmsTemplateDto,
  type UploadResultDto,
} from './sms.dto';

export const DEFAULT_SIGNATURE = '【东方融资网】';

/** Seed 003 text messages: templates, batch upload from phones (idempotent), list within the data scope. */
@Injectable()
export class SmsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly staff: StaffDirectory,
    private readonly config: GatewayEnv,
  ) {}

  async templates(): Promise<SmsTemplateDto[]> {
    const rows = await this.dataSource.manager.find(CrmSmsTemplateEntity, {
      where: { deletedAt: IsNull() },
      order: { id: 'ASC' },
      take: 500,
    });
    return rows.map(mapTemplate);
  }

  async createTemplate(actor: Actor, dto: CreateSmsTemplateDto): Promise<SmsTemplateDto> {
    const inserted = await this.dataSource.manager.insert(CrmSmsTemplateEntity, {
      ...dto,
      creatorId: actor.id,
    });
    return this.template(String(inserted.identifiers[0].id));
  }

  async updateTemplate(id: string, dto: UpdateSmsTemplateDto): Promise<SmsTemplateDto> {
    await this.template(id);
    const values = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
    if (Object.keys(values).length)
      await this.dataSource.manager.update(CrmSmsTemplateEntity, { id }, values);
    return this.template(id);
  }

  async deleteTemplate(id: string): Promise<SmsTemplateDto> {
    const template = await this.template(id);
    await this.dataSource.manager.update(CrmSmsTemplateEntity, { id }, { deletedAt: new Date() });
    return template;
  }

  private async template(id: string): Promise<SmsTemplateDto> {
    const found = await this.dataSource.manager.findOneBy(CrmSmsTemplateEntity, { id, deletedAt: IsNull() });
    if (!found) throw AppException.notFound('sms template', id);
    return mapTemplate(found);
  }

  /**
   * Stores the messages this caller has not stored yet (natural key: uploader, sender, receiver, time,
   * content hash), all or none: a phone's retry stores nothing twice; another uploader's copy is theirs.
   */
  async upload(actor: Actor, body: unknown): Promise<UploadResultDto> {
    const items = await validateBatch(body, SmsUploadItemDto);
    const tz = this.config.TZ_BUSINESS;
    const departmentId = actor.departmentId ?? (await this.staff.departmentOf(actor.id));
    const rows = items.map((item, index) => {
      const fromSales = item.senderRole === 1;
      return {
        staffId: actor.id,
        departmentId,
        sender: item.sender,
        receiver: item.receiver,
        senderRole: item.senderRole,
        occurTime: clientTime(item.occurTime, tz, rowField(index, 'occurTime'))!,
        content: item.content,
        contentHash: createHash('sha256').update(item.content).digest('hex'),
        senderMobile: item.senderMobile ?? '',
        receiverMobile: item.receiverMobile ?? '',
        senderName: item.senderName ?? '',
        receiverName: item.receiverName ?? '',
        signature: item.signature ?? DEFAULT_SIGNATURE,
        sendStatus: item.sendStatus ?? 1,
        isRead: item.isRead ?? 1,
        empCode: fromSales ? item.sender : item.receiver,
        customerCode: fromSales ? item.receiver : item.sender,
        customerMobile: (fromSales ? item.receiverMobile : item.senderMobile) ?? '',
      };
    });
    const inserted = await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(CrmSmsEntity)
        .values(rows)
        .orIgnore()
        .returning('id')
        .execute();
      return (result.raw as unknown[]).length;
    });
    return { lastSyncTime: await this.lastSyncTime(actor), inserted, duplicates: rows.length - inserted };
  }

  /** The newest time this caller's phone uploaded, in epoch ms (0 before the first upload), where it resumes. */
  async lastSyncTime(actor: Actor): Promise<number> {
    const [{ last }] = (await this.dataSource.query(
      `SELECT COALESCE((extract(epoch FROM max(occur_time)) * 1000)::bigint, 0)::text AS last FROM core.crm_sms WHERE staff_id = $1`,
      [actor.id],
    )) as { last: string }[];
    return Number(last);
  }

  async list(actor: Actor, query: SmsListQueryDto): Promise<Page<SmsDto>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(CrmSmsEntity, 'm')
      .where(crmScopeWhere(actor, { owners: ['m.staff_id'], department: 'm.department_id' }));
    if (query.empCode) qb.andWhere('m.emp_code = :empCode', { empCode: query.empCode });
    if (query.customerCode)
      qb.andWhere('m.customer_code = :customerCode', { customerCode: query.customerCode });
    if (query.customerMobile)
      qb.andWhere('m.customer_mobile = :customerMobile', { customerMobile: query.customerMobile });
    if (query.staffId) qb.andWhere('m.staff_id = :staffId', { staffId: query.staffId });
    const [rows, total] = await qb
      .orderBy('m.occurTime', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .offset(pageOffset(query))
      .limit(query.pageSize)
      .getManyAndCount();
    return toPage(rows.map(mapSms), total, query);
  }
}
