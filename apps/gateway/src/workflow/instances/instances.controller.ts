import { Body, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation } from '@nestjs/swagger';
import {
  CorrelateMessageCommand,
  DeletedReply,
  DiagramReply,
  ErrorCode,
  GetInstanceCommand,
  IdRef,
  InstanceDetailReply,
  InstanceRefCommand,
  InstanceSummaryReply,
  JumpInstanceCommand,
  ListInstancesCommand,
  MoveReply,
  RelaunchInstanceCommand,
  RelaunchReply,
  SignerCommand,
  StartInstanceCommand,
  StartInstanceReply,
  UrgeReply,
  WorkflowPattern,
} from '@app/contracts';
import { Actor, CurrentActor } from '@app/auth';
import {
  ApiEnvelope,
  ApiWorkflowCommand,
  AppException,
  IdempotencyKey,
  PlatformController,
} from '@app/common';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import { ApiFormFieldQuery, type FormFieldQuery, FormFields } from '../form-field-query';
import {
  CorrelateBodyDto,
  InstanceCommentBodyDto,
  JumpBodyDto,
  ListInstancesQueryDto,
  RelaunchBodyDto,
  SignerBodyDto,
  StartInstanceBodyDto,
} from './instances.dto';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A replay with the same key returns the first result',
};

@ApiBearerAuth()
@PlatformController('workflow/instances', 'workflow: instances')
export class InstancesController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Post()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Start a process by definition id or key, with business key and variables' })
  @ApiWorkflowCommand(StartInstanceReply)
  start(
    @CurrentActor() actor: Actor,
    @Body() body: StartInstanceBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    if (body.definitionId !== undefined && body.definitionKey !== undefined)
      throw AppException.invalid([
        {
          field: 'definitionKey',
          reason: 'give definitionId (one version) or definitionKey (its newest), not both',
        },
      ]);
    return this.workflow.send(
      WorkflowPattern.InstanceStart,
      StartInstanceCommand.create({ ...body, idempotencyKey, actor }),
    );
  }

  @Get()
  @ApiOperation({
    summary:
      'Instances: mine (scope=started) or all I may see, running or finished; filter and show by form fields (formField.<key>[<op>], formFields)',
  })
  @ApiFormFieldQuery('instance variables')
  @ApiEnvelope(InstanceSummaryReply, { paged: true, errors: [ErrorCode.WorkflowUnavailable] })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListInstancesQueryDto,
    @FormFields() formFields: FormFieldQuery,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceList,
      ListInstancesCommand.create({ ...query, ...formFields, actor }),
    );
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Detail: variables, open tasks, history (each node entered/left, by whom), comments',
  })
  @ApiEnvelope(InstanceDetailReply, { errors: [ErrorCode.NotFound, ErrorCode.WorkflowUnavailable] })
  get(@CurrentActor() actor: Actor, @Param() { id }: IdRef) {
    return this.workflow.send(WorkflowPattern.InstanceGet, GetInstanceCommand.create({ id, actor }));
  }

  @Get(':id/diagram')
  @ApiOperation({ summary: 'BPMN XML plus active and completed activity ids and taken flows, for bpmn-js' })
  @ApiEnvelope(DiagramReply, { errors: [ErrorCode.NotFound, ErrorCode.WorkflowUnavailable] })
  diagram(@CurrentActor() actor: Actor, @Param() { id }: IdRef) {
    return this.workflow.send(WorkflowPattern.InstanceDiagram, GetInstanceCommand.create({ id, actor }));
  }

  @Post(':id/messages')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Deliver a BPMN message or signal to the instance (message/signal catch events, receive tasks)',
  })
  @ApiEnvelope(InstanceSummaryReply, {
    errors: [ErrorCode.NotFound, ErrorCode.Conflict, ErrorCode.WorkflowUnavailable],
  })
  correlate(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: CorrelateBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceCorrelate,
      CorrelateMessageCommand.create({ ...body, id, idempotencyKey, actor }),
    );
  }

  @Post(':id/stop')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Stop (取消): the initiator or an admin ends the instance; it stays in history' })
  @ApiWorkflowCommand(InstanceSummaryReply)
  stop(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: InstanceCommentBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceStop,
      InstanceRefCommand.create({ ...body, id, idempotencyKey, actor }),
    );
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Discard (废弃, seed 002): the initiator or an admin ends the instance as discarded',
  })
  @ApiWorkflowCommand(InstanceSummaryReply)
  discard(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: InstanceCommentBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceDiscard,
      InstanceRefCommand.create({ ...body, id, idempotencyKey, actor }),
    );
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete (admin): remove an ended instance with its tasks, history and comments' })
  @ApiWorkflowCommand(DeletedReply)
  delete(@CurrentActor() actor: Actor, @Param() { id }: IdRef) {
    return this.workflow.send(WorkflowPattern.InstanceDelete, InstanceRefCommand.create({ id, actor }));
  }

  @Post(':id/relaunch')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary:
      'Relaunch (重新发起, seed 002): the initiator starts a rejected/stopped/discarded instance again',
  })
  @ApiWorkflowCommand(RelaunchReply)
  relaunch(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: RelaunchBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceRelaunch,
      RelaunchInstanceCommand.create({ ...body, id, idempotencyKey, actor }),
    );
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Revoke (撤回): the last handler or the initiator takes back the last completion',
  })
  @ApiWorkflowCommand(MoveReply)
  revoke(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: InstanceCommentBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceRevoke,
      InstanceRefCommand.create({ ...body, id, idempotencyKey, actor }),
    );
  }

  @Post(':id/urge')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary:
      'Urge (催办, seed 002): notify current assignees and candidates; once per interval (4090 sooner)',
  })
  @ApiWorkflowCommand(UrgeReply)
  urge(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: InstanceCommentBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceUrge,
      InstanceRefCommand.create({ ...body, id, idempotencyKey, actor }),
    );
  }

  @Post(':id/jump')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Jump (admin, seed 002 nextNodeSeq): move to a named node, with the legality checks of a return',
  })
  @ApiWorkflowCommand(MoveReply, { errors: [ErrorCode.InvalidParameter] })
  jump(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: JumpBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceJump,
      JumpInstanceCommand.create({ ...body, id, idempotencyKey, actor }),
    );
  }

  @Post(':id/signers')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Countersign (加签): add a signer to a running multi-instance node' })
  @ApiWorkflowCommand(StartInstanceReply, { errors: [ErrorCode.InvalidParameter] })
  addSigner(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: SignerBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceAddSigner,
      SignerCommand.create({ ...body, id, idempotencyKey, actor }),
    );
  }

  @Delete(':id/signers')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Countersign (减签): remove a signer of a running multi-instance node' })
  @ApiWorkflowCommand(StartInstanceReply, { errors: [ErrorCode.InvalidParameter] })
  removeSigner(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: SignerBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceRemoveSigner,
      SignerCommand.create({ ...body, id, idempotencyKey, actor }),
    );
  }
}
