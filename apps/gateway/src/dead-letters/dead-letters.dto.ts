import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PageQueryDto } from '@app/common';
import { DEAD_LETTER_STATUSES, type DeadLetterEntity, type DeadLetterStatus } from '@app/database';

export class DeadLetterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'workflow-events', description: 'the consumer that parked it' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/)
  source?: string;

  @ApiPropertyOptional({ enum: DEAD_LETTER_STATUSES, description: 'dead: waiting for a replay' })
  @IsOptional()
  @IsIn(DEAD_LETTER_STATUSES)
  status?: DeadLetterStatus;
}

export class DeadLetterDto {
  @ApiProperty({ example: '12' }) id!: string;
  @ApiProperty({ example: 'workflow-events' }) source!: string;
  @ApiProperty({ description: "the message's id at its source (a workflow event id)" }) messageId!: string;
  @ApiProperty({ example: 'task.created' }) topic!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'the message as the consumer received it; a replay sends exactly this',
  })
  payload!: Record<string, unknown>;
  @ApiProperty({ description: 'deliveries tried before it was parked, plus failed replays' })
  attempts!: number;
  @ApiProperty({ description: 'why the last attempt failed' }) lastError!: string;
  @ApiProperty({ enum: DEAD_LETTER_STATUSES }) status!: DeadLetterStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) replayedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) replayedBy!: string | null;
}

export function mapDeadLetter(d: DeadLetterEntity): DeadLetterDto {
  return {
    id: String(d.id),
    source: d.source,
    messageId: d.messageId,
    topic: d.topic,
    payload: d.payload,
    attempts: d.attempts,
    lastError: d.lastError,
    status: d.status,
    createdAt: d.createdAt.toISOString(),
    replayedAt: d.replayedAt?.toISOString() ?? null,
    replayedBy: d.replayedBy,
  };
}
