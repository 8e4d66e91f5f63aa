import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { ExecutionService } from './execution.service';
import { MovePlanner } from './move-planner.service';

/** The durable step around the engine (transactions, instance locks, outbox) and the move planner's glue. */
@Module({
  imports: [DefinitionsModule],
  providers: [ExecutionService, MovePlanner],
  exports: [ExecutionService, MovePlanner],
})
export class ExecutionModule {}
