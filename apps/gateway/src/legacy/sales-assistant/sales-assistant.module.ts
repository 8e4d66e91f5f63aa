import { Module } from '@nestjs/common';
import { CrmModule } from '../../crm/crm.module';
import { IdentityModule } from '../../identity/identity.module';
import { SalesAssistantController } from './sales-assistant.controller';
import { SalesAssistantRepository } from './sales-assistant.repository';
import { SalesAssistantService } from './sales-assistant.service';

/** Seed 003 (融助手 sales assistant) at its original paths over the platform's identity and CRM services. */
@Module({
  imports: [IdentityModule, CrmModule],
  controllers: [SalesAssistantController],
  providers: [SalesAssistantService, SalesAssistantRepository],
})
export class SalesAssistantLegacyModule {}
