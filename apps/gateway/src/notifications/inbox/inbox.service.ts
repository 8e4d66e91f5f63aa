import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, type Page, pageOffset, toPage } from '@app/common';
import { NotificationEntity } from '@app/database';
import { type InboxQueryDto, mapNotification, type NotificationDto } from './inbox.dto';

/** A user's own inbox: every query is bound to the caller; someone else's message is 404. */
@Injectable()
export class InboxService {
  constructor(private readonly dataSource: DataSource) {}

  async list(actor: Actor, query: InboxQueryDto): Promise<Page<NotificationDto>> {
    const [rows, total] = await this.dataSource.manager.findAndCount(NotificationEntity, {
      where: {
        userId: actor.id,
        ...(query.unread === true ? { readAt: IsNull() } : {}),
        ...(query.unread === false ? { readAt: Not(IsNull()) } : {}),
        ...(query.topic ? { topic: query.topic } : {}),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: pageOffset(query),
      take: query.pageSize,
    });
    return toPage(rows.map(mapNotification), total, query);
  }

  async unreadCount(actor: Actor): Promise<{ unread: number }> {
    const unread = await this.dataSource.manager.count(NotificationEntity, {
      where: { userId: actor.id, readAt: IsNull() },
    });
    return { unread };
  }

  async markRead(actor: Actor, id: string): Promise<NotificationDto> {
    const repo = this.dataSource.getRepository(NotificationEntity);
    const found = await repo.findOneBy({ id, userId: actor.id });
    if (!found) throw AppException.notFound('notification', id);
    if (!found.readAt) {
      found.readAt = new Date();
      await repo.update({ id, userId: actor.id }, { readAt: found.readAt });
    }
    return mapNotification(found);
  }

  async markAllRead(actor: Actor): Promise<{ updated: number }> {
    const result = await this.dataSource
      .getRepository(NotificationEntity)
      .update({ userId: actor.id, readAt: IsNull() }, { readAt: new Date() });
    return { updated: result.affected ?? 0 };
  }
}
