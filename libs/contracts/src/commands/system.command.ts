import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Command } from './command';

export class PingCommand extends Command {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  echo?: string;
}

export interface PingReply {
  app: 'workflow';
  version: string;
  echo?: string;
  /** Milliseconds since the workflow process started. */
  uptimeMs: number;
  pid: number;
  at: string;
}
