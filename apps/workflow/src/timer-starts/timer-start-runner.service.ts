import { Inject, Injectable, Logger } from '@nestjs/common';
import { PollingWorker } from '@app/common';
import { TimerStartEntity } from '@app/database';
import { WorkflowEnv } from '../config/workflow.env';
import { DefinitionRegistry } from '../definitions/definition.registry';
import { nextTimerStart } from '../engine';
import type { TimerKind } from '../engine/definition/iso8601';
import { ExecutionService } from '../execution/execution.service';

const MISSED_FIRING_MS = 60_000;

/** Who starts a timer-started instance (no person: `$INITIATOR` and `initiator` stay empty). */
export const TIMER_STARTER = 'system:timer';

interface DueRow {
  id: string;
  definition_id: string;
  element_id: string;
  timer_kind: TimerKind;
  timer_value: string;
  anchor: Date;
  fired: number;
  due_at: Date;
}

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
    @Inject(WorkflowEnv) config: WorkflowEnv,
  ) {
    super();
    this.pollMs = config.WORKFLOW_JOB_POLL_MS;
  }

  /** Fires at most 50 due starts per round; answers how many fired. */
  async runOnce(): Promise<number> {
    let fired = 0;
    while (fired < 50 && (await this.fireNext())) fired += 1;
    return fired;
  }

  private fireNext(): Promise<boolean> {
    return this.execution.transaction(async (manager) => {
      const due: DueRow[] = await manager.query(
        `SELECT t.id::text AS id, t.definition_id::text AS definition_id, t.element_id, t.timer_kind, t.timer_value,
                t.anchor, t.fired, t.due_at
           FROM workflow.timer_start t
           JOIN workflow.process_definition d ON d.id = t.definition_id
          WHERE t.status = 'pending' AND t.due_at <= now() AND NOT d.suspended
          ORDER BY t.due_at, t.id
          LIMIT 1
          FOR UPDATE OF t SKIP LOCKED`,
      );
      const row = due[0];
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
      let next = nextTimerStart(row.timer_kind, row.timer_value, state);
      while (next && next.getTime() <= now) {
        state = { ...state, fired: state.fired + 1, previousDue: next };
        next = nextTimerStart(row.timer_kind, row.timer_value, state);
      }
      await manager.getRepository(TimerStartEntity).update(
        { id: row.id },
        {
          fired: state.fired,
          previousDue: state.previousDue,
          dueAt: next,
          status: next ? 'pending' : 'done',
          lastInstanceId: step.instance.id,
        },
      );
      this.logger.log(
        { definition: definition.key, element: row.element_id, instance: step.instance.id },
        'timer start fired',
      );
      return true;
    });
  }
}
