import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { DefinitionsModule } from '../definitions/definitions.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { SlaModule } from '../sla/sla.module';
import { ExecutionRepository } from './execution.repository';
import { ExecutionService } from './execution.service';
import { MovePlanner } from './move-planner.service';

/** The durable step around the engine (transactions, instance locks, outbox) and the move planner's glue. */
@Module({
  imports: [DefinitionsModule, EventsModule, IncidentsModule, SlaModule],
  providers: [ExecutionRepository, ExecutionService, MovePlanner],
  exports: [ExecutionService, MovePlanner],
})
export class ExecutionModule {}
