import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { type DueRows, msUntilDue, TimerStartEntity } from '@app/database';
import type { TimerKind } from '../engine/definition/iso8601';

/** Pending starts of definitions that are not suspended, as the runner's probe and its claim both select them. */
const PENDING_STARTS: DueRows = {
  from: 'workflow.timer_start t JOIN workflow.process_definition d ON d.id = t.definition_id',
  where: `t.status = 'pending' AND NOT d.suspended`,
  dueAt: 't.due_at',
};

const CLAIM_NEXT_DUE = `SELECT t.id::text AS id, t.definition_id::text AS definition_id, t.element_id, t.timer_kind,
    t.timer_value, t.anchor, t.fired, t.due_at
  FROM ${PENDING_STARTS.from}
  WHERE ${PENDING_STARTS.where} AND ${PENDING_STARTS.dueAt} <= now()
  ORDER BY t.due_at, t.id
  LIMIT 1
  FOR UPDATE OF t SKIP LOCKED`;

/** A due timer start as claimed (raw row). */
export interface DueTimerStart {
  id: string;
  definition_id: string;
  element_id: string;
  timer_kind: TimerKind;
  timer_value: string;
  anchor: Date;
  fired: number;
  due_at: Date;
}

export type NewTimerStart = Omit<TimerStartEntity, 'id' | 'lastInstanceId' | 'createdAt'>;

/**
 * Every query on workflow.timer_start. Each runs in the caller's transaction (the deploy, a firing),
 * so the repository holds no connection of its own.
 */
@Injectable()
export class TimerStartsRepository {
  /** Milliseconds until the next start `claimNextDue` would take falls due (the runner's probe, outside a transaction). */
  dueIn(dataSource: DataSource, withinMs: number): Promise<number | null> {
    return msUntilDue(dataSource, PENDING_STARTS, withinMs);
  }

  /** The next due start of a definition that is not suspended, locked (SKIP LOCKED: any number of replicas). */
  async claimNextDue(manager: EntityManager): Promise<DueTimerStart | undefined> {
    const due: DueTimerStart[] = await manager.query(CLAIM_NEXT_DUE);
    return due[0];
  }

  async update(
    manager: EntityManager,
    id: string,
    changes: Pick<TimerStartEntity, 'fired' | 'previousDue' | 'dueAt' | 'status' | 'lastInstanceId'>,
  ): Promise<void> {
    await manager.getRepository(TimerStartEntity).update({ id }, changes);
  }

  /** Cancels the pending schedules of the key's other versions. */
  async cancelOtherVersions(manager: EntityManager, definition: { id: string; key: string }): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(TimerStartEntity)
      .set({ status: 'cancelled' })
      .where(`definition_key = :key AND status = 'pending' AND definition_id <> :id`, {
        key: definition.key,
        id: definition.id,
      })
      .execute();
  }

  async insert(manager: EntityManager, rows: readonly NewTimerStart[]): Promise<void> {
    if (rows.length > 0) await manager.getRepository(TimerStartEntity).insert([...rows]);
  }
}
