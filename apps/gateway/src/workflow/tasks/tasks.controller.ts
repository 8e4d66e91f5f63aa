import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation } from '@nestjs/swagger';
import {
  CompleteAndJumpCommand,
  CompleteTaskCommand,
  ErrorCode,
  GetTaskCommand,
  HandOverTaskCommand,
  IdRef,
  ListTasksCommand,
  MoveReply,
  ReturnTargetReply,
  ReturnTaskCommand,
  TaskActionReply,
  TaskCommentCommand,
  TaskDetailReply,
  TaskRefCommand,
  TaskReply,
  WorkflowPattern,
} from '@app/contracts';
import { Actor, CurrentActor } from '@app/auth';
import { ApiEnvelope, ApiWorkflowCommand, IdempotencyKey, PlatformController } from '@app/common';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import {
  CommentBodyDto,
  CompleteTaskBodyDto,
  HandOverBodyDto,
  ListTasksQueryDto,
  ReturnBodyDto,
} from './tasks.dto';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A replay with the same key returns the first result',
};
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
    // answered as the workflow app wrote it: the page's JSON is not parsed and serialized again here
    return this.workflow.relay(WorkflowPattern.TaskList, ListTasksCommand.create({ ...query, actor }));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A task, with the operations the caller may do on it now (actions)' })
  @ApiEnvelope(TaskDetailReply, { errors: [ErrorCode.NotFound, ErrorCode.WorkflowUnavailable] })
  get(@CurrentActor() actor: Actor, @Param() { id }: IdRef) {
    return this.workflow.send(WorkflowPattern.TaskGet, GetTaskCommand.create({ taskId: id, actor }));
  }

  @Post(':id/claim')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Take a task I am a candidate of (4090 if someone else holds it)' })
  @ApiWorkflowCommand(TaskActionReply)
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
  @ApiWorkflowCommand(TaskActionReply)
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
  @ApiWorkflowCommand(TaskActionReply)
  complete(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: CompleteTaskBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    const { targetElementId, ...completion } = body;
    const command = { ...completion, taskId: id, idempotencyKey, actor };
    return targetElementId
      ? this.workflow.send(
          WorkflowPattern.TaskCompleteAndJump,
          CompleteAndJumpCommand.create({ ...command, targetElementId }),
        )
      : this.workflow.send(WorkflowPattern.TaskComplete, CompleteTaskCommand.create(command));
  }

  @Get(':id/return-targets')
  @ApiOperation({ summary: 'Earlier user tasks this task may legally return to (退回)' })
  @ApiEnvelope(ReturnTargetReply, {
    isArray: true,
    errors: [ErrorCode.NotFound, ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable],
  })
  returnTargets(@CurrentActor() actor: Actor, @Param() { id }: IdRef) {
    return this.workflow.send(
      WorkflowPattern.TaskReturnTargets,
      GetTaskCommand.create({ taskId: id, actor }),
    );
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Reject (驳回): end the instance as rejected; the initiator may relaunch it' })
  @ApiWorkflowCommand(TaskActionReply)
  reject(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: CommentBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.TaskReject,
      TaskCommentCommand.create({ ...body, taskId: id, idempotencyKey, actor }),
    );
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Return (退回) to an earlier user task; dryRun reports the tasks cancelled and nodes started',
  })
  @ApiWorkflowCommand(MoveReply, { errors: [ErrorCode.InvalidParameter] })
  returnTask(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: ReturnBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.TaskReturn,
      ReturnTaskCommand.create({ ...body, taskId: id, idempotencyKey, actor }),
    );
  }

  @Post(':id/delegate')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Delegate (委派): the user works the task and resolves it back to me' })
  @ApiWorkflowCommand(TaskActionReply)
  delegate(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: HandOverBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.TaskDelegate,
      HandOverTaskCommand.create({ ...body, taskId: id, idempotencyKey, actor }),
    );
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Resolve a delegated task back to its owner' })
  @ApiWorkflowCommand(TaskActionReply)
  resolve(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: CommentBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.TaskResolve,
      TaskCommentCommand.create({ ...body, taskId: id, idempotencyKey, actor }),
    );
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Transfer (转办): the assignee changes for good' })
  @ApiWorkflowCommand(TaskActionReply)
  transfer(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: HandOverBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.TaskTransfer,
      HandOverTaskCommand.create({ ...body, taskId: id, idempotencyKey, actor }),
    );
  }
}
