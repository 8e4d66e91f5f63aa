import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation } from '@nestjs/swagger';
import {
  CorrelateMessageCommand,
  DiagramReply,
  ErrorCode,
  GetInstanceCommand,
  IdRef,
  InstanceDetailReply,
  InstanceSummaryReply,
  ListInstancesCommand,
  StartInstanceCommand,
  StartInstanceReply,
  WorkflowPattern,
} from '@app/contracts';
import { Actor, CurrentActor } from '@app/auth';
import { ApiEnvelope, IdempotencyKey, PlatformController } from '@app/common';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import { CorrelateBodyDto, ListInstancesQueryDto, StartInstanceBodyDto } from './instances.dto';

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
  @ApiEnvelope(StartInstanceReply, {
    errors: [ErrorCode.NotFound, ErrorCode.NoPermission, ErrorCode.Conflict, ErrorCode.WorkflowUnavailable],
  })
  start(
    @CurrentActor() actor: Actor,
    @Body() body: StartInstanceBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.InstanceStart,
      StartInstanceCommand.create({ ...body, idempotencyKey, actor }),
    );
  }

  @Get()
  @ApiOperation({ summary: 'Instances: mine (scope=started) or all I may see, running or finished' })
  @ApiEnvelope(InstanceSummaryReply, { paged: true, errors: [ErrorCode.WorkflowUnavailable] })
  list(@CurrentActor() actor: Actor, @Query() query: ListInstancesQueryDto) {
    return this.workflow.send(WorkflowPattern.InstanceList, ListInstancesCommand.create({ ...query, actor }));
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
}
