import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import { pageOffset, type PageQueryDto } from '@app/common';
import { NotificationEntity } from '@app/database';

export interface InboxFilter {
  unread?: boolean;
  topic?: string;
}

/** Inbox queries, each bound to the user whose inbox it is. */
@Injectable()
export class InboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first. */
  findPageOf(
    userId: string,
    filter: InboxFilter,
    page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
  ): Promise<[NotificationEntity[], number]> {
    return this.dataSource.manager.findAndCount(NotificationEntity, {
      where: {
        userId,
        ...(filter.unread === true ? { readAt: IsNull() } : {}),
        ...(filter.unread === false ? { readAt: Not(IsNull()) } : {}),
        ...(filter.topic ? { topic: filter.topic } : {}),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
  }

  unreadCountOf(userId: string): Promise<number> {
    return this.dataSource.manager.count(NotificationEntity, { where: { userId, readAt: IsNull() } });
  }

  findOwn(userId: string, id: string): Promise<NotificationEntity | null> {
    return this.dataSource.manager.findOneBy(NotificationEntity, { id, userId });
  }

  async markRead(userId: string, id: string, at: Date): Promise<void> {
    await this.dataSource.manager.update(NotificationEntity, { id, userId }, { readAt: at });
  }

  /** How many were unread. */
  async markAllRead(userId: string, at: Date): Promise<number> {
    const result = await this.dataSource.manager.update(
      NotificationEntity,
      { userId, readAt: IsNull() },
      { readAt: at },
    );
    return result.affected ?? 0;
  }
}
