import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@app/contracts';
import { WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { IdempotencyRepository } from './idempotency.repository';

const records = new IdempotencyRepository();

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
  if (!(await records.claim(manager, scope, key, hash))) {
    const existing = await records.byKey(manager, scope, key);
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
  await records.saveResponse(manager, scope, key, result);
  return result;
}
