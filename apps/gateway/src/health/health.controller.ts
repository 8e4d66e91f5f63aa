import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ErrorCode, HTTP_STATUS_BY_CODE } from '@app/contracts';
import { API_PREFIX, RawResponse } from '@app/common';
import { Public } from '@app/auth';
import { WorkflowLinkHealthIndicator } from './workflow-link.health';

/** A health report in the envelope: `data` is terminus's report, on success and on failure alike. */
const report = (extra: Record<string, object> = {}) => ({
  'application/json': {
    schema: {
      type: 'object',
      required: ['code', 'msg', 'data'],
      properties: {
        code: { type: 'integer', example: 200 },
        msg: { type: 'string', example: 'ok' },
        data: {
          type: 'object',
          required: ['status'],
          properties: {
            status: { type: 'string', example: 'ok' },
            info: { type: 'object', additionalProperties: true },
            error: { type: 'object', additionalProperties: true },
            details: { type: 'object', additionalProperties: true },
            ...extra,
          },
        },
      },
    },
  },
});
const WORKFLOW = { workflow: { type: 'object', additionalProperties: true } };

@ApiTags('health')
@Public()
@Controller(`${API_PREFIX}/health`)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly workflowLink: WorkflowLinkHealthIndicator,
  ) {}

  @Get()
  @RawResponse()
  @ApiOperation({
    summary:
      'Dependency report (not a probe: use /health/live and /health/ready): database and workflow link, 200 when both are up, 503 (code 5003 or 5004) otherwise',
  })
  @ApiResponse({
    status: 200,
    description: '`{ code: 200, msg, data: { status, info, error, details } }`',
    content: report(),
  })
  @ApiResponse({
    status: 503,
    description: 'code 5003 (database down) or 5004 (workflow link down), same data',
    content: report(),
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply) {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.database.pingCheck('database', { timeout: 1500 }),
        () => this.workflowLink.isHealthy('workflow', 1500),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
      const code = result.error?.database ? ErrorCode.DatabaseFailure : ErrorCode.WorkflowUnavailable;
      void reply.status(HTTP_STATUS_BY_CODE[code] === 500 ? 503 : HTTP_STATUS_BY_CODE[code]);
      return { code, msg: 'unhealthy', data: result };
    }
    return { code: ErrorCode.Ok, msg: 'ok', data: result };
  }

  @Get('live')
  @RawResponse()
  @ApiOperation({ summary: 'Liveness probe: 200 while the process answers (restart only when this fails)' })
  @ApiResponse({ status: 200, description: '`{ code: 200, msg, data: { status: "up", uptimeSeconds } }`' })
  live() {
    return {
      code: ErrorCode.Ok,
      msg: 'ok',
      data: { status: 'up', uptimeSeconds: Math.round(process.uptime()) },
    };
  }

  /**
   * Readiness: this replica can serve when its database answers. The workflow link is reported (under
   * `data.details.workflow`) but does not count: without it identity, CRM and statistics still work and
   * workflow routes answer 5004, so taking the gateway out of the load balancer would only widen the outage.
   */
  @Get('ready')
  @RawResponse()
  @ApiOperation({
    summary:
      'Readiness probe: 200 when the database answers (workflow link reported, not required), 503 with 5003 otherwise and from SIGTERM on (`shutting down`)',
  })
  @ApiResponse({
    status: 200,
    description: '`{ code: 200, msg, data: { status, info, error, details, workflow } }`',
    content: report(WORKFLOW),
  })
  @ApiResponse({
    status: 503,
    description: 'code 5003: the database does not answer, or shutting down; same data',
    content: report(WORKFLOW),
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const [database, workflow] = await Promise.all([
      this.health
        .check([() => this.database.pingCheck('database', { timeout: 1500 })])
        .catch((error: unknown) => {
          if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
          throw error;
        }),
      this.workflowLink.isHealthy('workflow', 1500),
    ]);
    const data = { ...database, workflow: workflow.workflow };
    if (database.status !== 'ok') {
      void reply.status(503);
      const msg = database.status === 'shutting_down' ? 'shutting down' : 'not ready';
      return { code: ErrorCode.DatabaseFailure, msg, data };
    }
    return { code: ErrorCode.Ok, msg: 'ok', data };
  }
}
