import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { PingReply } from '@app/contracts';

export class WorkflowPingQueryDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'Echoed back by the workflow app' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  echo?: string;
}

export class WorkflowPingResponseDto {
  @ApiProperty({ example: 'workflow' }) app!: string;
  @ApiProperty({ example: '0.1.0' }) version!: string;
  @ApiPropertyOptional() echo?: string;
  @ApiProperty({ description: 'Workflow process uptime in ms' }) uptimeMs!: number;
  @ApiProperty({ description: 'Gateway → workflow → gateway round trip in ms' }) roundTripMs!: number;
}

export function mapPing(reply: PingReply, roundTripMs: number): WorkflowPingResponseDto {
  return { app: reply.app, version: reply.version, echo: reply.echo, uptimeMs: reply.uptimeMs, roundTripMs };
}
