import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '@app/contracts';
import { RawResponse } from '@app/common';

/** HTTP health on WORKFLOW_HTTP_PORT for orchestrators (the TCP port speaks only the Nest protocol). */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @RawResponse()
  async check(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      const result = await this.health.check([() => this.database.pingCheck('database', { timeout: 1500 })]);
      return { code: ErrorCode.Ok, msg: 'ok', data: result };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return {
        code: ErrorCode.DatabaseFailure,
        msg: 'unhealthy',
        data: error.getResponse() as HealthCheckResult,
      };
    }
  }
}
