import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { SlaRunnerService } from './sla-runner.service';
import { SlaRepository } from './sla.repository';

/** Fires due SLA steps; the ladder itself is armed by the execution step (`sla-ladder.ts`). */
@Module({ imports: [EventsModule], providers: [SlaRepository, SlaRunnerService] })
export class SlaModule {}
