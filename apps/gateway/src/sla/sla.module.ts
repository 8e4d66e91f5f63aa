import { Module } from '@nestjs/common';
import { EscalationManagers } from './escalation-managers';
import { SlaEscalationHandler } from './sla-escalation.handler';

/** The gateway's half of the SLA ladder: escalation needs the directory, which lives here. */
@Module({
  providers: [EscalationManagers, SlaEscalationHandler],
  exports: [SlaEscalationHandler],
})
export class SlaModule {}
