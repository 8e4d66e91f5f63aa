import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PollingWorker } from '@app/common';
import { WorkflowEnv } from '../config/workflow.env';
import { DefinitionRegistry } from '../definitions/definition.registry';
import { nextTimerStart } from '../engine';
import { ExecutionService } from '../execution/execution.service';
import { TimerStartsRepository } from './timer-starts.repository';

const MISSED_FIRING_MS = 60_000;

/** Who starts a timer-started instance (no person: `$INITIATOR` and `initiator` stay empty). */
export const TIMER_STARTER = 'system:timer';

/**
 * Fires due timer start events. Each firing is one transaction: claim the due row (SKIP LOCKED, only
 * rows of definitions that are not suspended), start one instance at that start event, write the
 * next due time. Any number of replicas poll; each firing starts exactly one instance.
 */
@Injectable()
export class TimerStartRunnerService extends PollingWorker {
  protected readonly logger = new Logger(TimerStartRunnerService.name);
  protected readonly pollMs: number;
  protected readonly roundName = 'timer start';

  constructor(
    private readonly execution: ExecutionService,
    private readonly registry: DefinitionRegistry,
    private readonly timerStarts: TimerStartsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WorkflowEnv) config: WorkflowEnv,
  ) {
    super();
    this.pollMs = config.WORKFLOW_JOB_POLL_MS;
  }

  protected override dueIn(withinMs: number): Promise<number | null> {
    return this.timerStarts.dueIn(this.dataSource, withinMs);
  }

  /** Fires at most 50 due starts per round; answers how many fired. */
  async runOnce(): Promise<number> {
    let fired = 0;
    while (fired < 50 && (await this.fireNext())) fired += 1;
    return fired;
  }

  private fireNext(): Promise<boolean> {
    return this.execution.transaction(async (manager) => {
      const row = await this.timerStarts.claimNextDue(manager);
      if (!row) return false;
      const definition = await this.registry.byId(row.definition_id, manager);
      const step = await this.execution.start(manager, {
        definition,
        actor: { id: TIMER_STARTER, departmentId: null },
        initiator: null,
        startEventId: row.element_id,
      });
      // After a long suspension (or outage) firings missed by more than a minute are skipped, not
      // replayed one after another; a firing that is merely late still runs.
      const now = Date.now() - MISSED_FIRING_MS;
      let state = { anchor: new Date(row.anchor), fired: row.fired + 1, previousDue: new Date(row.due_at) };
      // the due time stored (also one computed before cron was read in TZ_BUSINESS) stays; the next
      // is read in the business zone
      const zone = this.registry.options.timeZone;
      let next = nextTimerStart(row.timer_kind, row.timer_value, state, zone);
      while (next && next.getTime() <= now) {
        state = { ...state, fired: state.fired + 1, previousDue: next };
        next = nextTimerStart(row.timer_kind, row.timer_value, state, zone);
      }
      await this.timerStarts.update(manager, row.id, {
        fired: state.fired,
        previousDue: state.previousDue,
        dueAt: next,
        status: next ? 'pending' : 'done',
        lastInstanceId: step.instance.id,
      });
      this.logger.log(
        { definition: definition.key, element: row.element_id, instance: step.instance.id },
        'timer start fired',
      );
      return true;
    });
  }
}
