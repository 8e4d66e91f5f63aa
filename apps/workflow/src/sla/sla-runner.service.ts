import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { PollingWorker } from '@app/common';
import { TaskEntity } from '@app/database';
import { WorkflowEnv } from '../config/workflow.env';
import { SLA_STEPS } from './sla-ladder';

interface DueSlaJob {
  id: string;
  kind: string;
  instance_id: string;
  timer_id: string;
}

/**
 * Fires due SLA steps. Jobs are claimed with FOR UPDATE SKIP LOCKED (any number of replicas), each
 * in its own transaction with the outbox event it produces. A step of a task that is no longer open
 * is cancelled instead. Escalation (transfer to the manager) needs the directory, which the gateway
 * owns: the `sla.escalated` event carries the task, and the gateway resolves the manager and
 * transfers the task back through the workflow API (idempotent per task).
 */
@Injectable()
export class SlaRunnerService extends PollingWorker {
  protected readonly logger = new Logger(SlaRunnerService.name);
  protected readonly pollMs: number;
  protected readonly roundName = 'SLA';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WorkflowEnv) config: WorkflowEnv,
  ) {
    super();
    this.pollMs = config.WORKFLOW_JOB_POLL_MS;
  }

  async runOnce(limit = 200): Promise<number> {
    let fired = 0;
    while (fired < limit && !this.stopping) {
      const done = await this.dataSource.transaction((manager) => this.fireNext(manager));
      if (!done) break;
      fired += 1;
    }
    return fired;
  }

  private async fireNext(manager: EntityManager): Promise<boolean> {
    const due: DueSlaJob[] = await manager.query(
      `SELECT id::text, kind, instance_id::text, timer_id FROM workflow.job
        WHERE status = 'pending' AND kind LIKE 'sla.%' AND due_at <= now()
        ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    if (due.length === 0) return false;
    const job = due[0];
    const taskId = job.timer_id.split(':').pop()!;
    const task = await manager.findOneBy(TaskEntity, { id: taskId });
    if (!task || task.status !== 'open') {
      await manager.query(`UPDATE workflow.job SET status = 'cancelled', finished_at = now() WHERE id = $1`, [
        job.id,
      ]);
      return true;
    }
    const step = SLA_STEPS.find((s) => s.kind === job.kind);
    await manager.query(`UPDATE workflow.job SET status = 'done', finished_at = now() WHERE id = $1`, [
      job.id,
    ]);
    if (!step) return true;
    const [instance] = (await manager.query(
      `SELECT serial_no, process_name, initiator_id FROM workflow.process_instance WHERE id = $1`,
      [task.instanceId],
    )) as { serial_no: string; process_name: string; initiator_id: string }[];
    await manager.query(
      `INSERT INTO workflow.outbox_event (id, topic, instance_id, payload) VALUES ($1, $2, $3, $4::jsonb)`,
      [
        randomUUID(),
        step.topic,
        task.instanceId,
        JSON.stringify({
          instanceId: String(task.instanceId),
          taskId: String(task.id),
          name: task.name,
          elementId: task.elementId,
          assigneeId: task.assigneeId,
          candidates: task.candidates,
          dueAt: task.dueAt?.toISOString() ?? null,
          serialNo: instance?.serial_no ?? null,
          processName: instance?.process_name ?? null,
          initiatorId: instance?.initiator_id ?? null,
          step: step.kind,
        }),
      ],
    );
    return true;
  }
}
