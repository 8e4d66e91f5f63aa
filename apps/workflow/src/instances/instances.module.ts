import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { ExecutionModule } from '../execution/execution.module';
import { InstanceCommandsController } from './commands/instance-commands.controller';
import { InstanceCommandsService } from './commands/instance-commands.service';
import { InstanceQueriesController } from './queries/instance-queries.controller';
import { InstanceQueriesService } from './queries/instance-queries.service';

/** Process instances: start and the commands on a run, the instance queries. */
@Module({
  imports: [DefinitionsModule, ExecutionModule],
  controllers: [InstanceCommandsController, InstanceQueriesController],
  providers: [InstanceCommandsService, InstanceQueriesService],
  exports: [InstanceCommandsService, InstanceQueriesService],
})
export class InstancesModule {}
