import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ProcessDefinitionEntity } from '@app/database';
import { type CompiledDefinition, nextTimerStart } from '../engine';
import { type NewTimerStart, TimerStartsRepository } from './timer-starts.repository';

/** The process-level timer start events of a compiled definition. */
function timerStartEvents(compiled: CompiledDefinition) {
  return compiled.model.process.elements.filter(
    (e) =>
      e.kind === 'startEvent' &&
      e.parentId === compiled.processId &&
      e.eventDefinition?.kind === 'timer' &&
      e.eventDefinition.timer !== undefined,
  );
}

@Injectable()
export class TimerStartScheduleService {
  constructor(private readonly timerStarts: TimerStartsRepository) {}

  /**
   * Run in the deploy's transaction: the new version's timer start events replace every pending
   * schedule of older versions of the key (Camunda and Flowable do the same), then each gets its first
   * due time counted from `now`.
   */
  async schedule(
    manager: EntityManager,
    definition: Pick<ProcessDefinitionEntity, 'id' | 'key'>,
    compiled: CompiledDefinition,
    now: Date,
  ): Promise<void> {
    await this.timerStarts.cancelOtherVersions(manager, definition);
    const rows = timerStartEvents(compiled).flatMap((start): NewTimerStart[] => {
      const timer = start.eventDefinition!.timer!;
      const dueAt = nextTimerStart(
        timer.kind,
        timer.value,
        { anchor: now, fired: 0, previousDue: null },
        compiled.timeZone,
      );
      if (!dueAt) return [];
      return [
        {
          definitionId: definition.id,
          definitionKey: definition.key,
          elementId: start.id,
          timerKind: timer.kind,
          timerValue: timer.value.trim().slice(0, 255),
          anchor: now,
          fired: 0,
          previousDue: null,
          dueAt,
          status: 'pending' as const,
        },
      ];
    });
    await this.timerStarts.insert(manager, rows);
  }
}
