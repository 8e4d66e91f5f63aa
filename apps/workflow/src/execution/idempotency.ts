import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@app/contracts';
import { IdempotencyRecordEntity } from '@app/database';
import { WorkflowException, WorkflowReason } from '../common/workflow.exception';

export function requestHash(request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(request ?? null))
    .digest('hex');
}

/**
 * Runs `work` once per (scope, key) inside the caller's transaction. The record is inserted first:
 * a concurrent duplicate blocks on it until the first commits (then replays its response) or rolls
 * back (then runs itself). A crash before commit leaves no record, so the retry applies the work.
 */
export async function onceForKey<T>(
  manager: EntityManager,
  scope: string,
  key: string | undefined,
  request: unknown,
  work: () => Promise<T>,
): Promise<T> {
  if (!key) return work();
  const hash = requestHash(request);
  const inserted: unknown[] = await manager.query(
    `INSERT INTO workflow.idempotency_record (scope, key, request_hash, response) VALUES ($1, $2, $3, 'null'::jsonb)
     ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [scope, key, hash],
  );
  if (inserted.length === 0) {
    const existing = await manager.getRepository(IdempotencyRecordEntity).findOneByOrFail({ scope, key });
    if (existing.requestHash !== hash) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.IdempotencyKeyReused,
        'this Idempotency-Key was already used for a different request',
      );
    }
    return existing.response as T;
  }
  const result = await work();
  await manager.update(IdempotencyRecordEntity, { scope, key }, { response: (result ?? null) as object });
  return result;
}
