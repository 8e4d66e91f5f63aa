import { Module } from '@nestjs/common';
import { SlaRunnerService } from './sla-runner.service';

/** Fires due SLA steps; the ladder itself is armed by the execution step (`sla-ladder.ts`). */
@Module({ providers: [SlaRunnerService] })
export class SlaModule {}
