import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type QueryDeepPartialEntity } from 'typeorm';
import { pageOffset } from '@app/common';
import {
  MessageChannelConfigEntity,
  type MessageChannel,
  MessageContactEntity,
  type MessageLocale,
  MessagePreferenceDefaultEntity,
  MessagePreferenceEntity,
  MessageSendEntity,
  MessageSensitiveWordEntity,
} from '@app/database';
import { webhookRecipientKey } from '../webhooks/webhook-queue';
import type { SendQueryDto } from './centre.dto';

type Choice = { eventType: string; channel: MessageChannel; enabled: boolean };
type ContactChange = { email?: string | null; mobile?: string | null; locale?: string };

/** Channel settings, sensitive words, preferences and send records of the message centre. */
@Injectable()
export class CentreRepository {
  constructor(private readonly dataSource: DataSource) {}

  channelConfigs(): Promise<MessageChannelConfigEntity[]> {
    return this.dataSource.manager.find(MessageChannelConfigEntity);
  }

  channelConfig(channel: MessageChannel): Promise<MessageChannelConfigEntity | null> {
    return this.dataSource.getRepository(MessageChannelConfigEntity).findOneBy({ channel });
  }

  /** One statement: save()'s read-then-insert let two first PUTs of a channel race into 4090 DUPLICATE. */
  async saveChannelConfig(config: MessageChannelConfigEntity): Promise<void> {
    await this.dataSource
      .getRepository(MessageChannelConfigEntity)
      .upsert(config as QueryDeepPartialEntity<MessageChannelConfigEntity>, ['channel']);
  }

  words(): Promise<MessageSensitiveWordEntity[]> {
    return this.dataSource.manager.find(MessageSensitiveWordEntity, { order: { word: 'ASC' } });
  }

  /**
   * Replaces the whole list. Replacements take turns (the table lock): two at once would each delete the
   * rows they see and insert theirs, and the second's insert of a word the first also inserted failed on
   * the primary key; now the last one wins whole.
   */
  async replaceWords(words: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('LOCK TABLE core.message_sensitive_word IN SHARE ROW EXCLUSIVE MODE');
      await manager.query('DELETE FROM core.message_sensitive_word');
      if (words.length > 0)
        await manager.insert(
          MessageSensitiveWordEntity,
          words.map((word) => ({ word })),
        );
    });
  }

  defaults(order = false): Promise<MessagePreferenceDefaultEntity[]> {
    return order
      ? this.dataSource.manager.find(MessagePreferenceDefaultEntity, {
          order: { eventType: 'ASC', channel: 'ASC' },
        })
      : this.dataSource.manager.find(MessagePreferenceDefaultEntity);
  }

  async upsertDefaults(choices: Choice[]): Promise<void> {
    await this.dataSource
      .getRepository(MessagePreferenceDefaultEntity)
      .upsert(choices, ['eventType', 'channel']);
  }

  contact(staffId: string): Promise<MessageContactEntity | null> {
    return this.dataSource.manager.findOneBy(MessageContactEntity, { staffId });
  }

  preferences(staffId: string): Promise<MessagePreferenceEntity[]> {
    return this.dataSource.manager.findBy(MessagePreferenceEntity, { staffId });
  }

  /** Contact fields left undefined keep their stored value; both writes in one transaction. */
  async saveMine(staffId: string, contact: ContactChange | null, choices: Choice[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (contact) {
        // A first save made the row with a plain insert, so two at once failed on its key (503):
        // the row exists before it is read, and the lock makes a concurrent save wait for this one.
        await manager
          .createQueryBuilder()
          .insert()
          .into(MessageContactEntity)
          .values({ staffId })
          .orIgnore()
          .execute();
        const current = await manager.findOne(MessageContactEntity, {
          where: { staffId },
          lock: { mode: 'pessimistic_write' },
        });
        await manager.getRepository(MessageContactEntity).save({
          staffId,
          email: contact.email !== undefined ? contact.email : (current?.email ?? null),
          mobile: contact.mobile !== undefined ? contact.mobile : (current?.mobile ?? null),
          locale: (contact.locale ?? current?.locale ?? 'zh-CN') as MessageLocale,
        });
      }
      if (choices.length)
        await manager.getRepository(MessagePreferenceEntity).upsert(
          choices.map((c) => ({ staffId, ...c })),
          ['staffId', 'eventType', 'channel'],
        );
    });
  }

  findSends(
    query: SendQueryDto,
    created: { from?: Date; to?: Date },
  ): Promise<[MessageSendEntity[], number]> {
    const qb = this.dataSource.manager
      .createQueryBuilder(MessageSendEntity, 's')
      .orderBy('s.id', 'DESC')
      .skip(pageOffset(query))
      .take(query.pageSize);
    const filters: [keyof SendQueryDto, string][] = [
      ['status', 's.status = :status'],
      ['channel', 's.channel = :channel'],
      ['eventType', 's.event_type = :eventType'],
      ['recipientId', 's.recipient_id = :recipientId'],
      ['messageId', 's.message_id = :messageId'],
    ];
    qb.where(
      new Brackets((w) => {
        w.where('TRUE');
        for (const [key, sql] of filters)
          if (query[key] !== undefined) w.andWhere(sql, { [key]: query[key] });
        if (created.from) w.andWhere('s.created_at >= :from', { from: created.from });
        if (created.to) w.andWhere('s.created_at < :to', { to: created.to });
      }),
    );
    return qb.getManyAndCount();
  }

  findSend(id: string): Promise<MessageSendEntity | null> {
    return this.dataSource.manager.findOneBy(MessageSendEntity, { id });
  }

  /** Re-queues a failed send; false when none (unknown or not failed). */
  async requeueFailedSend(id: string): Promise<boolean> {
    // a webhook record re-queues its delivery too (the webhook worker sends it, signed)
    const rows: unknown[] = await this.dataSource.query(
      `WITH queued AS (UPDATE core.message_send SET status = 'queued', attempts = 0, next_attempt_at = now()
        WHERE id = $1 AND status = 'failed' RETURNING id, channel, message_id, recipient_key),
       delivery AS (UPDATE core.webhook_delivery d SET status = 'pending', attempts = 0, next_attempt_at = now()
         FROM queued q WHERE q.channel = 'webhook' AND d.event_id = q.message_id
          AND q.recipient_key = ${webhookRecipientKey('d.subscription_id')})
       SELECT id FROM queued`,
      [id],
    );
    return rows.length > 0;
  }
}
