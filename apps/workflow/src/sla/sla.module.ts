import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { SlaLadderService } from './sla-ladder.service';
import { SlaRunnerService } from './sla-runner.service';
import { SlaRepository } from './sla.repository';

/** The SLA ladder: armed by the execution step (`SlaLadderService`), fired by the runner. */
@Module({
  imports: [EventsModule],
  providers: [SlaRepository, SlaLadderService, SlaRunnerService],
  exports: [SlaLadderService],
})
export class SlaModule {}
