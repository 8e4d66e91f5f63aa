import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdempotencyRecordEntity } from '@app/database';

/** The idempotency records of commands a client may retry; every method runs in the command's transaction. */
@Injectable()
export class IdempotencyRepository {
  /** Inserts the (scope, key) record unless it exists; true when this call inserted it. */
  async claim(manager: EntityManager, scope: string, key: string, requestHash: string): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO workflow.idempotency_record (scope, key, request_hash, response) VALUES ($1, $2, $3, 'null'::jsonb)
       ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, requestHash],
    );
    return inserted.length > 0;
  }

  byKey(manager: EntityManager, scope: string, key: string): Promise<IdempotencyRecordEntity> {
    return manager.getRepository(IdempotencyRecordEntity).findOneByOrFail({ scope, key });
  }

  async saveResponse(manager: EntityManager, scope: string, key: string, response: unknown): Promise<void> {
    await manager.update(IdempotencyRecordEntity, { scope, key }, { response: (response ?? null) as object });
  }
}
