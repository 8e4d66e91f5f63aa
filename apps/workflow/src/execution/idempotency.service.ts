import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@app/contracts';
import { WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { IdempotencyRepository } from './idempotency.repository';

function requestHash(request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(request ?? null))
    .digest('hex');
}

/** Commands a client may retry with an `Idempotency-Key` apply once; a replay answers the first result. */
@Injectable()
export class IdempotencyService {
  constructor(private readonly records: IdempotencyRepository) {}

  /**
   * Runs `work` once per (scope, key) inside the caller's transaction. The record is inserted first:
   * a concurrent duplicate blocks on it until the first commits (then replays its response) or rolls
   * back (then runs itself). A crash before commit leaves no record, so the retry applies the work.
   */
  async onceForKey<T>(
    manager: EntityManager,
    scope: string,
    key: string | undefined,
    request: unknown,
    work: () => Promise<T>,
  ): Promise<T> {
    if (!key) return work();
    const hash = requestHash(request);
    if (!(await this.records.claim(manager, scope, key, hash))) {
      const existing = await this.records.byKey(manager, scope, key);
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
    await this.records.saveResponse(manager, scope, key, result);
    return result;
  }
}
