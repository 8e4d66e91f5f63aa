import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckService,
  type HealthCheckResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '@app/contracts';
import { RawResponse } from '@app/common';
import { LinkServerState } from '../link/link-server';

/**
 * HTTP probes on WORKFLOW_HTTP_PORT for orchestrators (the command transport speaks only the Nest
 * protocol). Served at `/health…` and at the gateway's paths `/api/v1/health…`, so one probe config fits both.
 */
@Controller(['health', 'api/v1/health'])
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly link: LinkServerState,
  ) {}

  /** Liveness: the process answers (restart it only when this fails). */
  @Get('live')
  @RawResponse()
  live() {
    return {
      code: ErrorCode.Ok,
      msg: 'ok',
      data: { status: 'up', uptimeSeconds: Math.round(process.uptime()) },
    };
  }

  /** Readiness: the database answers and the command transport is connected (NATS); 503 otherwise. */
  @Get('ready')
  @RawResponse()
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.check(reply);
  }

  /** The older single check (same as ready). */
  @Get()
  @RawResponse()
  report(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.check(reply);
  }

  private async check(reply: FastifyReply) {
    try {
      const result = await this.health.check([
        () => this.database.pingCheck('database', { timeout: 1500 }),
        () => {
          const state = this.link.ready();
          const check = this.indicator.check('link');
          return state.connected
            ? check.up({ transport: state.transport })
            : check.down({ transport: state.transport });
        },
      ]);
      return { code: ErrorCode.Ok, msg: 'ok', data: result };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      const data = error.getResponse() as HealthCheckResult;
      return {
        code: data.error?.database ? ErrorCode.DatabaseFailure : ErrorCode.WorkflowUnavailable,
        msg: data.status === 'shutting_down' ? 'shutting down' : 'unhealthy',
        data,
      };
    }
  }
}
