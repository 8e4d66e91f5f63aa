import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation } from '@nestjs/swagger';
import {
  CompleteTaskCommand,
  ErrorCode,
  GetTaskCommand,
  IdRef,
  ListTasksCommand,
  TaskActionReply,
  TaskRefCommand,
  TaskReply,
  WorkflowPattern,
} from '@app/contracts';
import { Actor, CurrentActor } from '@app/auth';
import { ApiEnvelope, IdempotencyKey, PlatformController } from '@app/common';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import { CompleteTaskBodyDto, ListTasksQueryDto } from './tasks.dto';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A replay with the same key returns the first result',
};
const TASK_ERRORS = [
  ErrorCode.NotFound,
  ErrorCode.NoPermission,
  ErrorCode.Conflict,
  ErrorCode.WorkflowUnavailable,
];

@ApiBearerAuth()
@PlatformController('workflow/tasks', 'workflow: tasks')
export class TasksController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Get()
  @ApiOperation({
    summary: 'My tasks: todo (assigned + claimable), claimable, done by me; filters of seed 004',
  })
  @ApiEnvelope(TaskReply, { paged: true, errors: [ErrorCode.WorkflowUnavailable] })
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQueryDto) {
    return this.workflow.send(WorkflowPattern.TaskList, ListTasksCommand.create({ ...query, actor }));
  }

  @Get(':id')
  @ApiEnvelope(TaskReply, { errors: [ErrorCode.NotFound, ErrorCode.WorkflowUnavailable] })
  get(@CurrentActor() actor: Actor, @Param() { id }: IdRef) {
    return this.workflow.send(WorkflowPattern.TaskGet, GetTaskCommand.create({ taskId: id, actor }));
  }

  @Post(':id/claim')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Take a task I am a candidate of (4090 if someone else holds it)' })
  @ApiEnvelope(TaskActionReply, { errors: TASK_ERRORS })
  claim(@CurrentActor() actor: Actor, @Param() { id }: IdRef, @IdempotencyKey() idempotencyKey?: string) {
    return this.workflow.send(
      WorkflowPattern.TaskClaim,
      TaskRefCommand.create({ taskId: id, idempotencyKey, actor }),
    );
  }

  @Post(':id/unclaim')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Give a claimed task back to its candidates' })
  @ApiEnvelope(TaskActionReply, { errors: TASK_ERRORS })
  unclaim(@CurrentActor() actor: Actor, @Param() { id }: IdRef, @IdempotencyKey() idempotencyKey?: string) {
    return this.workflow.send(
      WorkflowPattern.TaskUnclaim,
      TaskRefCommand.create({ taskId: id, idempotencyKey, actor }),
    );
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Approve with comment and variables (4001 wrong caller, 4090 already handled, 404 unknown)',
  })
  @ApiEnvelope(TaskActionReply, { errors: TASK_ERRORS })
  complete(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: CompleteTaskBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.TaskComplete,
      CompleteTaskCommand.create({ ...body, taskId: id, idempotencyKey, actor }),
    );
  }
}
