import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import {
  CompleteExternalTaskCommand,
  ErrorCode,
  ExtendExternalTaskLockCommand,
  ExternalTaskBpmnErrorCommand,
  ExternalTaskReply,
  FailExternalTaskCommand,
  FetchExternalTasksCommand,
  IdRef,
  ListExternalTasksCommand,
  LockedExternalTaskReply,
  SetExternalTaskRetriesCommand,
  WorkflowPattern,
} from '@app/contracts';
import { Actor, CurrentActor } from '@app/auth';
import { ApiEnvelope, PlatformController } from '@app/common';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import {
  CompleteExternalTaskBodyDto,
  ExtendLockBodyDto,
  ExternalTaskBpmnErrorBodyDto,
  ExternalTaskFailureBodyDto,
  FetchAndLockBodyDto,
  ListExternalTasksQueryDto,
  SetRetriesBodyDto,
} from './external-tasks.dto';

const WORKER_ERRORS = {
  errors: [
    ErrorCode.InvalidParameter,
    ErrorCode.NotFound,
    ErrorCode.Conflict,
    ErrorCode.NoPermission,
    ErrorCode.WorkflowUnavailable,
  ],
};

/** External-task workers (Camunda's external-task REST API); workers need workflow:external-task. */
@ApiBearerAuth()
@PlatformController('workflow/external-tasks', 'workflow: external tasks')
export class ExternalTasksController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Get()
  @ApiOperation({ summary: 'External tasks by instance, topic or status (workflow:admin or a worker)' })
  @ApiEnvelope(ExternalTaskReply, {
    isArray: true,
    errors: [ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable],
  })
  list(@CurrentActor() actor: Actor, @Query() query: ListExternalTasksQueryDto) {
    return this.workflow.send(
      WorkflowPattern.ExternalTaskList,
      ListExternalTasksCommand.create({ ...query, actor }),
    );
  }

  @Post('fetch-and-lock')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Fetch and lock up to maxTasks open tasks of the topics for this worker (an expired lock is fetchable again)',
  })
  @ApiEnvelope(LockedExternalTaskReply, { isArray: true, ...WORKER_ERRORS })
  fetchAndLock(@CurrentActor() actor: Actor, @Body() body: FetchAndLockBodyDto) {
    return this.workflow.send(
      WorkflowPattern.ExternalTaskFetchAndLock,
      FetchExternalTasksCommand.create({ ...body, actor }),
    );
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a task this worker holds, with variables; anyone else → 4090' })
  @ApiEnvelope(ExternalTaskReply, WORKER_ERRORS)
  complete(@CurrentActor() actor: Actor, @Param() { id }: IdRef, @Body() body: CompleteExternalTaskBodyDto) {
    return this.workflow.send(
      WorkflowPattern.ExternalTaskComplete,
      CompleteExternalTaskCommand.create({ ...body, id, actor }),
    );
  }

  @Post(':id/failure')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Report a technical failure: the lock is released, the task is fetchable again after retryTimeout; retries 0 raises an incident (monitoring centre)',
  })
  @ApiEnvelope(ExternalTaskReply, WORKER_ERRORS)
  failure(@CurrentActor() actor: Actor, @Param() { id }: IdRef, @Body() body: ExternalTaskFailureBodyDto) {
    return this.workflow.send(
      WorkflowPattern.ExternalTaskFailure,
      FailExternalTaskCommand.create({ ...body, id, actor }),
    );
  }

  @Post(':id/extend-lock')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extend the lock this worker holds by newDuration ms from now (an expired lock → 4090)',
  })
  @ApiEnvelope(ExternalTaskReply, WORKER_ERRORS)
  extendLock(@CurrentActor() actor: Actor, @Param() { id }: IdRef, @Body() body: ExtendLockBodyDto) {
    return this.workflow.send(
      WorkflowPattern.ExternalTaskExtendLock,
      ExtendExternalTaskLockCommand.create({ ...body, id, actor }),
    );
  }

  @Post(':id/bpmn-error')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Report a BPMN error (a business outcome, no retry): the model routes it to its error boundary or event sub-process; a code nothing catches → 4101 and the task stays',
  })
  @ApiEnvelope(ExternalTaskReply, WORKER_ERRORS)
  bpmnError(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: ExternalTaskBpmnErrorBodyDto,
  ) {
    return this.workflow.send(
      WorkflowPattern.ExternalTaskBpmnError,
      ExternalTaskBpmnErrorCommand.create({ ...body, id, actor }),
    );
  }

  @Post(':id/retries')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a task new retries and resolve its incident (requires workflow:admin)' })
  @ApiEnvelope(ExternalTaskReply, WORKER_ERRORS)
  setRetries(@CurrentActor() actor: Actor, @Param() { id }: IdRef, @Body() body: SetRetriesBodyDto) {
    return this.workflow.send(
      WorkflowPattern.ExternalTaskSetRetries,
      SetExternalTaskRetriesCommand.create({ ...body, id, actor }),
    );
  }
}
