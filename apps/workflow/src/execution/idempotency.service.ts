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

/** A command a client may retry: the request is the rest of it (hashed to tell a replay from a reuse). */
export interface RetriableCommand {
  actor: { id: string };
  idempotencyKey?: string;
}

/** Commands a client may retry with an `Idempotency-Key` apply once; a replay answers the first result. */
@Injectable()
export class IdempotencyService {
  constructor(private readonly records: IdempotencyRepository) {}

  /**
   * Runs `work` once per the command's `Idempotency-Key` (scoped to its actor and `operation`) inside
   * the caller's transaction; a command without one always runs. The record is inserted first: a
   * concurrent duplicate blocks on it until the first commits (then replays its response) or rolls back
   * (then runs itself). A crash before commit leaves no record, so the retry applies the work.
   */
  async once<T>(
    manager: EntityManager,
    operation: string,
    command: RetriableCommand,
    work: () => Promise<T>,
  ): Promise<T> {
    const { actor, idempotencyKey: key, ...request } = command;
    if (!key) return work();
    const scope = `${actor.id}:${operation}`;
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
