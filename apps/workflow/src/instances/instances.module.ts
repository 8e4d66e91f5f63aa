import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { ExecutionModule } from '../execution/execution.module';
import { FormsDataModule } from '../forms/forms-data.module';
import { InstanceCommandsController } from './commands/instance-commands.controller';
import { InstanceCommandsService } from './commands/instance-commands.service';
import { InstanceQueriesController } from './queries/instance-queries.controller';
import { InstanceQueriesService } from './queries/instance-queries.service';
import { InstancesRepository } from './instances.repository';
import { RevokeRule } from './revoke-rule';
import { UrgeRule } from './urge-rule';

/** Process instances: start and the commands on a run, the instance queries. */
@Module({
  imports: [DefinitionsModule, ExecutionModule, FormsDataModule],
  controllers: [InstanceCommandsController, InstanceQueriesController],
  providers: [InstancesRepository, RevokeRule, UrgeRule, InstanceCommandsService, InstanceQueriesService],
  exports: [InstancesRepository, InstanceCommandsService, InstanceQueriesService],
})
export class InstancesModule {}
