import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { CommonEnv } from '@app/common';

/** Every variable the workflow app reads; validated once at boot (see .env.example). */
export class WorkflowEnv extends CommonEnv {
  /** Bind the TCP transport to an internal address: only the gateway may reach it (DESIGN §1). */
  @IsString()
  WORKFLOW_TCP_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(1)
  @Max(65535)
  WORKFLOW_TCP_PORT: number = 3001;

  @IsString()
  WORKFLOW_HTTP_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(1)
  @Max(65535)
  WORKFLOW_HTTP_PORT: number = 3002;

  /** NATS queue group of the workflow replicas (WORKFLOW_TRANSPORT=nats): each command goes to one of them. */
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'NATS_QUEUE must be letters, digits, _, - and .' })
  NATS_QUEUE: string = 'flowdesk-workflow';

  /** How often due timer jobs are polled (ms); 0 turns the job runner off on this replica. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  WORKFLOW_JOB_POLL_MS: number = 1000;

  /** Urge (催办) rate limit: at most one urge per instance within this many seconds. */
  @IsInt()
  @Min(0)
  @Max(86_400)
  WORKFLOW_URGE_INTERVAL_S: number = 600;
}
