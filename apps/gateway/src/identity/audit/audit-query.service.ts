import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/contracts';
import { type Page, pageOffset, toPage } from '@app/common';
import { scopeWhere } from '@app/auth';
import { AuditLogEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { parseBusinessTime } from '@app/common';
import { staffDepartmentSql } from '../directory/directory.repository';
import { type AuditLogDto, type AuditLogQueryDto, mapAuditLog } from './audit.dto';

/**
 * Reads the audit log, newest first, within the caller's data scope: an entry is about a staff member
 * (its subject), and is listed when that member is in scope; entries about no one need scope `all`.
 */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  async list(actor: Actor, query: AuditLogQueryDto): Promise<Page<AuditLogDto>> {
    const qb = this.dataSource
      .getRepository(AuditLogEntity)
      .createQueryBuilder('a')
      .where(
        scopeWhere(actor, {
          owner: 'a.subject_staff_id',
          department: staffDepartmentSql('a.subject_staff_id'),
        }),
      );
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.subjectStaffId) qb.andWhere('a.subject_staff_id = :subject', { subject: query.subjectStaffId });
    if (query.from)
      qb.andWhere('a.at >= :from', { from: parseBusinessTime(query.from, this.config.TZ_BUSINESS) });
    if (query.to) qb.andWhere('a.at < :to', { to: parseBusinessTime(query.to, this.config.TZ_BUSINESS) });
    const [rows, total] = await qb
      .orderBy('a.at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .offset(pageOffset(query))
      .limit(query.pageSize)
      .getManyAndCount();
    return toPage(rows.map(mapAuditLog), total, query);
  }
}
