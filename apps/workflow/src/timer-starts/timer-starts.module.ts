import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { ExecutionModule } from '../execution/execution.module';
import { TimerStartRunnerService } from './timer-start-runner.service';
import { TimerStartsRepository } from './timer-starts.repository';

/** Timer start events: their schedules (written at deploy) and the runner that fires them. */
@Module({
  imports: [DefinitionsModule, ExecutionModule],
  providers: [TimerStartsRepository, TimerStartRunnerService],
})
export class TimerStartsModule {}
