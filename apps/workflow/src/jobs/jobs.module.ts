import { Module } from '@nestjs/common';
import { ExecutionModule } from '../execution/execution.module';
import { JobRunnerService } from './job-runner.service';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

/** Timer and retry jobs: the runner that fires due ones and the admin list / execute commands. */
@Module({
  imports: [ExecutionModule],
  controllers: [JobsController],
  providers: [JobsRepository, JobsService, JobRunnerService],
})
export class JobsModule {}
