import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/contracts';
import { AppException, type Page, toPage } from '@app/common';
import { type InboxQueryDto, mapNotification, type NotificationDto } from './inbox.dto';
import { InboxRepository } from './inbox.repository';

/** A user's own inbox: every query is bound to the caller; someone else's message is 404. */
@Injectable()
export class InboxService {
  constructor(private readonly inbox: InboxRepository) {}

  async list(actor: Actor, query: InboxQueryDto): Promise<Page<NotificationDto>> {
    const [rows, total] = await this.inbox.findPageOf(actor.id, query, query);
    return toPage(rows.map(mapNotification), total, query);
  }

  async unreadCount(actor: Actor): Promise<{ unread: number }> {
    return { unread: await this.inbox.unreadCountOf(actor.id) };
  }

  async markRead(actor: Actor, id: string): Promise<NotificationDto> {
    const found = await this.inbox.findOwn(actor.id, id);
    if (!found) throw AppException.notFound('notification', id);
    if (!found.readAt) {
      found.readAt = new Date();
      await this.inbox.markRead(actor.id, id, found.readAt);
    }
    return mapNotification(found);
  }

  async markAllRead(actor: Actor): Promise<{ updated: number }> {
    return { updated: await this.inbox.markAllRead(actor.id, new Date()) };
  }
}
