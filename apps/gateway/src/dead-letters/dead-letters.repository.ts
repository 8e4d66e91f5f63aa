import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DeadLetterEntity, type DeadLetterStatus } from '@app/database';

export interface ParkedMessage {
  source: string;
  messageId: string;
  topic: string;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string;
}

export interface DeadLetterFilter {
  source?: string;
  status?: DeadLetterStatus;
  limit: number;
  offset: number;
}

/** core.dead_letter: messages parked by the consumers, newest first; one row per (source, message). */
@Injectable()
export class DeadLettersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Parks a message (again, if it was replayed and failed anew: the row goes back to `dead`). */
  async park(message: ParkedMessage, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO core.dead_letter (source, message_id, topic, payload, attempts, last_error)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (source, message_id) DO UPDATE SET payload = EXCLUDED.payload,
         attempts = core.dead_letter.attempts + EXCLUDED.attempts, last_error = EXCLUDED.last_error,
         status = 'dead', created_at = now(), replayed_at = NULL, replayed_by = NULL`,
      [
        message.source,
        message.messageId,
        message.topic,
        JSON.stringify(message.payload),
        message.attempts,
        message.lastError.slice(0, 2000),
      ],
    );
  }

  async page(filter: DeadLetterFilter): Promise<{ rows: DeadLetterEntity[]; total: number }> {
    const qb = this.dataSource.getRepository(DeadLetterEntity).createQueryBuilder('d');
    if (filter.source) qb.andWhere('d.source = :source', { source: filter.source });
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    const [rows, total] = await qb
      .orderBy('d.createdAt', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
    return { rows, total };
  }

  byId(id: string): Promise<DeadLetterEntity | null> {
    return this.dataSource.getRepository(DeadLetterEntity).findOneBy({ id });
  }

  /** Locks a dead letter for its replay (two operators replaying at once: the second waits, then sees it replayed). */
  lockForReplay(manager: EntityManager, id: string): Promise<DeadLetterEntity | null> {
    return manager
      .getRepository(DeadLetterEntity)
      .createQueryBuilder('d')
      .setLock('pessimistic_write')
      .where('d.id = :id', { id })
      .getOne();
  }

  async markReplayed(manager: EntityManager, id: string, actorId: string): Promise<void> {
    await manager.update(
      DeadLetterEntity,
      { id },
      { status: 'replayed', replayedAt: new Date(), replayedBy: actorId },
    );
  }

  async recordFailedReplay(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE core.dead_letter SET attempts = attempts + 1, last_error = $2 WHERE id = $1`,
      [id, error.slice(0, 2000)],
    );
  }
}
