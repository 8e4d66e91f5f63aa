import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { PollingWorker } from '@app/common';
import { WorkflowEnv } from '../config/workflow.env';
import { EventsRepository } from '../events/events.repository';
import { SLA_STEPS } from './sla-ladder.service';
import { SlaRepository } from './sla.repository';

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
    private readonly sla: SlaRepository,
    private readonly events: EventsRepository,
    @Inject(WorkflowEnv) config: WorkflowEnv,
  ) {
    super();
    this.pollMs = config.WORKFLOW_JOB_POLL_MS;
  }

  protected override dueIn(withinMs: number): Promise<number | null> {
    return this.sla.dueIn(this.dataSource, withinMs);
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
    const job = await this.sla.claimNextDue(manager);
    if (!job) return false;
    const taskId = job.timer_id.split(':').pop()!;
    const task = await this.sla.task(manager, taskId);
    if (!task || task.status !== 'open') {
      await this.sla.finish(manager, job.id, 'cancelled');
      return true;
    }
    const step = SLA_STEPS.find((s) => s.kind === job.kind);
    await this.sla.finish(manager, job.id, 'done');
    if (!step) return true;
    const instance = await this.sla.instanceSummary(manager, task.instanceId);
    await this.events.append(manager, {
      topic: step.topic,
      instanceId: task.instanceId,
      payload: {
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
      },
    });
    return true;
  }
}
