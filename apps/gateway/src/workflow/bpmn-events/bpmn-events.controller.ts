import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import {
  BroadcastSignalCommand,
  CorrelateMessageGloballyCommand,
  ErrorCode,
  IdRef,
  MessageCorrelationReply,
  SignalReply,
  TriggerReceiveTaskCommand,
  TriggerReply,
  WorkflowPattern,
} from '@app/contracts';
import { Actor, CurrentActor } from '@app/auth';
import { ApiEnvelope, ApiWorkflowCommand, IdempotencyKey, PlatformController } from '@app/common';
import { WorkflowClient } from '../../workflow-client/workflow.client';

export class SignalBodyDto {
  @ApiProperty({ example: 'The Signal' }) @IsString() @MinLength(1) @MaxLength(255) name!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class MessageBodyDto {
  @ApiProperty({ example: 'newInvoiceMessage' }) @IsString() @MinLength(1) @MaxLength(255) name!: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  businessKey?: string | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'process variables the instance must hold with these values',
  })
  @IsOptional()
  @IsObject()
  correlationKeys?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class TriggerBodyDto {
  @ApiProperty({ example: 'waitAfterLink1', description: 'id of the waiting receive task' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  elementId!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A retried request with the same key is applied once',
};

@ApiBearerAuth()
@PlatformController('workflow', 'workflow: signals and messages')
export class BpmnEventsController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Post('signals')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Broadcast a BPMN signal to every waiting subscription of every running instance (requires workflow:admin)',
  })
  @ApiEnvelope(SignalReply, { errors: [ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable] })
  signal(@CurrentActor() actor: Actor, @Body() body: SignalBodyDto) {
    return this.workflow.send(
      WorkflowPattern.SignalBroadcast,
      BroadcastSignalCommand.create({ ...body, actor }),
    );
  }

  @Post('messages')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary:
      'Correlate a BPMN message to exactly one waiting instance, or start one by its message start event (requires workflow:admin); none → 404, several → 4090',
  })
  @ApiWorkflowCommand(MessageCorrelationReply)
  message(
    @CurrentActor() actor: Actor,
    @Body() body: MessageBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.MessageCorrelate,
      CorrelateMessageGloballyCommand.create({ ...body, idempotencyKey, actor }),
    );
  }

  @Post('instances/:id/trigger')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary:
      'Resume a waiting receive task of the instance by element id (Camunda runtimeService.signal; requires workflow:admin)',
  })
  @ApiWorkflowCommand(TriggerReply)
  trigger(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdRef,
    @Body() body: TriggerBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.ReceiveTaskTrigger,
      TriggerReceiveTaskCommand.create({ ...body, id, idempotencyKey, actor }),
    );
  }
}
