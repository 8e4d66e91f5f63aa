import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ExecuteJobCommand, ListJobsCommand, WorkflowPattern } from '@app/contracts';
import { JobsService } from './jobs.service';

@Controller()
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @MessagePattern(WorkflowPattern.JobList)
  list(@Payload('body') command: ListJobsCommand) {
    return this.jobs.list(command);
  }

  @MessagePattern(WorkflowPattern.JobExecute)
  execute(@Payload('body') command: ExecuteJobCommand) {
    return this.jobs.execute(command);
  }
}
