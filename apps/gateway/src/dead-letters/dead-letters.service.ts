import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type Actor, ErrorCode } from '@app/contracts';
import { AppException, type Page, pageOffset, toPage } from '@app/common';
import { eventConsumerMetrics } from '@app/observability';
import { DeadLetterReplayers } from './dead-letter-replayers';
import { type DeadLetterDto, type DeadLetterQueryDto, mapDeadLetter } from './dead-letters.dto';
import { DeadLettersRepository } from './dead-letters.repository';

/** The handlers failed again on a replay (kept apart from the replay's own refusals). */
class ReplayFailed extends Error {}

@Injectable()
export class DeadLettersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: DeadLettersRepository,
    private readonly replayers: DeadLetterReplayers,
  ) {}

  async list(query: DeadLetterQueryDto): Promise<Page<DeadLetterDto>> {
    const { rows, total } = await this.repository.page({
      source: query.source,
      status: query.status,
      limit: query.pageSize,
      offset: pageOffset(query),
    });
    return toPage(rows.map(mapDeadLetter), total, query);
  }

  async get(id: string): Promise<DeadLetterDto> {
    const found = await this.repository.byId(id);
    if (!found) throw AppException.notFound('dead letter', id);
    return mapDeadLetter(found);
  }

  /**
   * Sends a dead letter through its consumer's handlers again. Success marks it `replayed` in the
   * handlers' transaction; a new failure keeps it `dead` with the new error (4090 REPLAY_FAILED).
   */
  async replay(actor: Actor, id: string): Promise<DeadLetterDto> {
    const found = await this.repository.byId(id);
    if (!found) throw AppException.notFound('dead letter', id);
    const replayer = this.replayers.get(found.source);
    if (!replayer)
      throw AppException.conflict('NO_REPLAYER', `no consumer replays messages of ${found.source} here`);
    try {
      await this.dataSource.transaction(async (manager) => {
        const locked = await this.repository.lockForReplay(manager, id);
        if (!locked) throw AppException.notFound('dead letter', id);
        if (locked.status !== 'dead')
          throw AppException.conflict('ALREADY_REPLAYED', `dead letter ${id} was replayed already`);
        await replayer(locked.payload, manager).catch((error: unknown) => {
          throw new ReplayFailed((error as Error)?.message ?? String(error));
        });
        await this.repository.markReplayed(manager, id, actor.id);
      });
    } catch (error) {
      if (!(error instanceof ReplayFailed)) throw error;
      await this.repository.recordFailedReplay(id, error.message);
      throw new AppException(
        ErrorCode.Conflict,
        'REPLAY_FAILED',
        `the handlers failed again: ${error.message.slice(0, 500)}`,
      );
    }
    eventConsumerMetrics.eventReplayed(found.topic);
    return this.get(id);
  }
}
