import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { type DueRows, msUntilDue, TaskEntity } from '@app/database';
import { sendStatementsAhead } from '../execution/statement-pipeline';

/** The SLA steps waiting to fire, as the runner's probe and its claim both select them. */
const PENDING_STEPS: DueRows = {
  from: 'workflow.job',
  where: `status = 'pending' AND kind LIKE 'sla.%'`,
  dueAt: 'due_at',
};

const CLAIM_NEXT_DUE = `SELECT id::text, kind, instance_id::text, timer_id FROM ${PENDING_STEPS.from}
  WHERE ${PENDING_STEPS.where} AND ${PENDING_STEPS.dueAt} <= now()
  ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`;

/** A due SLA step as claimed (raw row). */
export interface DueSlaJob {
  id: string;
  kind: string;
  instance_id: string;
  timer_id: string;
}

/** An SLA step to arm (a `workflow.job` row keyed by task and kind). */
export interface SlaStepJob {
  kind: string;
  instanceId: string;
  timerId: string;
  elementId: string;
  dueAt: Date;
}

/**
 * The SLA ladder's queries on workflow.job (kinds `sla.*`) and the rows a step reads. Every method runs
 * in the caller's transaction, so the repository holds no connection of its own.
 */
@Injectable()
export class SlaRepository {
  /**
   * Arms the steps in one statement, in the order given; a step already armed for the task is left as
   * it is (each fires once).
   */
  async arm(manager: EntityManager, steps: readonly SlaStepJob[]): Promise<void> {
    if (steps.length === 0) return;
    // arrays, not a VALUES list: a step creating many tasks stays within the bind-parameter limit; new job
    // rows cannot see the writes held for the commit (a new instance's row), which stay held
    await sendStatementsAhead(manager, [
      {
        sql: `INSERT INTO workflow.job (kind, instance_id, timer_id, element_id, due_at, status)
              SELECT kind, instance_id, timer_id, element_id, due_at, 'pending'
                FROM unnest($1::varchar[], $2::bigint[], $3::varchar[], $4::varchar[], $5::timestamptz[])
                     WITH ORDINALITY AS s(kind, instance_id, timer_id, element_id, due_at, n)
               ORDER BY n
              ON CONFLICT DO NOTHING`,
        params: [
          steps.map((s) => s.kind),
          steps.map((s) => s.instanceId),
          steps.map((s) => s.timerId),
          steps.map((s) => s.elementId),
          steps.map((s) => s.dueAt),
        ],
      },
    ]);
  }

  /** Milliseconds until the next SLA step falls due (the runner's probe, outside a transaction). */
  dueIn(dataSource: DataSource, withinMs: number): Promise<number | null> {
    return msUntilDue(dataSource, PENDING_STEPS, withinMs);
  }

  /** The next due SLA step, locked (SKIP LOCKED: any number of replicas). */
  async claimNextDue(manager: EntityManager): Promise<DueSlaJob | undefined> {
    const due: DueSlaJob[] = await manager.query(CLAIM_NEXT_DUE);
    return due[0];
  }

  async finish(manager: EntityManager, id: string, status: 'done' | 'cancelled'): Promise<void> {
    await manager.query(`UPDATE workflow.job SET status = $2, finished_at = now() WHERE id = $1`, [
      id,
      status,
    ]);
  }

  task(manager: EntityManager, id: string): Promise<TaskEntity | null> {
    return manager.findOneBy(TaskEntity, { id });
  }

  /** What an SLA event says about the task's instance. */
  async instanceSummary(
    manager: EntityManager,
    instanceId: string,
  ): Promise<{ serial_no: string; process_name: string; initiator_id: string } | undefined> {
    const [instance] = (await manager.query(
      `SELECT serial_no, process_name, initiator_id FROM workflow.process_instance WHERE id = $1`,
      [instanceId],
    )) as { serial_no: string; process_name: string; initiator_id: string }[];
    return instance;
  }
}
