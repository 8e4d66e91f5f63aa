import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { ExecutionModule } from '../execution/execution.module';
import { BpmnEventsController } from './bpmn-events.controller';
import { BpmnEventsRepository } from './bpmn-events.repository';
import { BpmnEventsService } from './bpmn-events.service';

/** Global signals (broadcast) and messages (correlation, message start events). */
@Module({
  imports: [DefinitionsModule, ExecutionModule],
  controllers: [BpmnEventsController],
  providers: [BpmnEventsRepository, BpmnEventsService],
})
export class BpmnEventsModule {}
