import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import {
  ErrorCode,
  ExecuteJobCommand,
  IdRef,
  JobReply,
  ListJobsCommand,
  WorkflowPattern,
} from '@app/contracts';
import { Actor, CurrentActor } from '@app/auth';
import { ApiEnvelope, ApiWorkflowCommand, PlatformController } from '@app/common';
import { WorkflowClient } from '../../workflow-client/workflow.client';

export class ListJobsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^\d{1,18}$/) instanceId?: string;
  @ApiPropertyOptional({ enum: ['pending', 'failed', 'done', 'cancelled'] })
  @IsOptional()
  @IsIn(['pending', 'failed', 'done', 'cancelled'])
  status?: string;
}

@ApiBearerAuth()
@PlatformController('workflow/jobs', 'workflow: jobs')
export class JobsController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Get()
  @ApiOperation({ summary: 'Timer and due jobs (requires workflow:admin)' })
  @ApiEnvelope(JobReply, { isArray: true, errors: [ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable] })
  list(@CurrentActor() actor: Actor, @Query() query: ListJobsQueryDto) {
    return this.workflow.send(WorkflowPattern.JobList, ListJobsCommand.create({ ...query, actor }));
  }

  @Post(':id/execute')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a pending job now, or retry a failed one (requires workflow:admin)' })
  @ApiWorkflowCommand(JobReply)
  execute(@CurrentActor() actor: Actor, @Param() { id }: IdRef) {
    return this.workflow.send(WorkflowPattern.JobExecute, ExecuteJobCommand.create({ id, actor }));
  }
}
