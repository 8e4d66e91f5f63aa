import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { SlaEscalationHandler } from './sla-escalation.handler';

/** The gateway's half of the SLA ladder: escalation needs the directory, which lives here. */
@Module({
  imports: [IdentityModule],
  providers: [SlaEscalationHandler],
  exports: [SlaEscalationHandler],
})
export class SlaModule {}
