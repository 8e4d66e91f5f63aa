import { forwardRef, Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ExternalTasksModule } from '../external-tasks/external-tasks.module';
import { DefinitionRegistryModule } from '../definitions/definition-registry.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { SlaModule } from '../sla/sla.module';
import { ExecutionRepository } from './execution.repository';
import { ExecutionService } from './execution.service';
import { HotEngines } from './hot-engines';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { JobWakeups } from './job-wakeups';
import { MovePlanner } from './move-planner.service';

/**
 * The durable step around the engine (transactions, instance locks, outbox) and the move planner's glue.
 * The step keeps the rows of the features it drives in sync (SLA ladders, external tasks); the
 * commands around it apply once per idempotency key.
 */
@Module({
  imports: [
    DefinitionRegistryModule,
    EventsModule,
    IncidentsModule,
    SlaModule,
    // its worker commands run steps (ExternalTasksModule imports this one)
    forwardRef(() => ExternalTasksModule),
  ],
  providers: [
    ExecutionRepository,
    ExecutionService,
    HotEngines,
    JobWakeups,
    MovePlanner,
    IdempotencyRepository,
    IdempotencyService,
  ],
  exports: [ExecutionService, MovePlanner, IdempotencyService, JobWakeups],
})
export class ExecutionModule {}
