import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IdempotentCommand } from './common';

/**
 * POST /workflow/signals: broadcast to every waiting signal subscription of every running instance,
 * and start one instance of every active definition with a signal start event for the name.
 */
export class BroadcastSignalCommand extends IdempotentCommand {
  @ApiProperty({ example: 'The Signal' }) @IsString() @MinLength(1) @MaxLength(255) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() variables?: Record<string, unknown>;
}

export class SignalReply {
  @ApiProperty({ description: 'running instances that had a subscription and received the signal' })
  deliveries!: number;
  @ApiProperty({ type: [String] }) instanceIds!: string[];
  @ApiProperty({
    type: [String],
    description: 'instances started by a signal start event (the newest active version of each definition)',
  })
  startedInstanceIds!: string[];
}

/**
 * POST /workflow/messages (Camunda's correlation API): exactly one waiting subscription (receive task,
 * message catch / boundary event, message event sub-process) of a running instance, or else exactly
 * one message start event of an active definition; none or several → an error.
 */
export class CorrelateMessageGloballyCommand extends IdempotentCommand {
  @ApiProperty({ example: 'newInvoiceMessage' }) @IsString() @MinLength(1) @MaxLength(255) name!: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  businessKey?: string | null;
  @ApiPropertyOptional({ description: 'process variables the instance must hold with these values' })
  @IsOptional()
  @IsObject()
  correlationKeys?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsObject() variables?: Record<string, unknown>;
}

export class MessageCorrelationReply {
  @ApiProperty() instanceId!: string;
  @ApiProperty({ description: 'true when a message start event started the instance' }) started!: boolean;
  @ApiProperty({ example: 'running' }) status!: string;
}

/**
 * POST /workflow/instances/:id/trigger (Camunda's `RuntimeService.signal(executionId)`): resumes a
 * receive task of the instance that waits for no named message.
 */
export class TriggerReceiveTaskCommand extends IdempotentCommand {
  @IsString() @Matches(/^\d{1,18}$/) id!: string;
  @ApiProperty({ example: 'waitAfterLink1' }) @IsString() @MinLength(1) @MaxLength(255) elementId!: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() variables?: Record<string, unknown>;
}

export class TriggerReply {
  @ApiProperty() instanceId!: string;
  @ApiProperty({ example: 'running' }) status!: string;
}
