import { Module } from '@nestjs/common';
import { DefinitionRegistryModule } from '../definitions/definition-registry.module';
import { ExecutionModule } from '../execution/execution.module';
import { TimerStartRunnerService } from './timer-start-runner.service';
import { TimerStartScheduleService } from './timer-start-schedule.service';
import { TimerStartsRepository } from './timer-starts.repository';

/** Timer start events: their schedules (written by the deploy) and the runner that fires them. */
@Module({
  imports: [DefinitionRegistryModule, ExecutionModule],
  providers: [TimerStartsRepository, TimerStartScheduleService, TimerStartRunnerService],
  exports: [TimerStartScheduleService],
})
export class TimerStartsModule {}
