import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { PingCommand, WorkflowPattern } from '@app/contracts';
import { WorkflowClient } from '../workflow-client/workflow.client';

@Injectable()
export class WorkflowLinkHealthIndicator {
  constructor(
    private readonly workflow: WorkflowClient,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async isHealthy(key: string, timeoutMs: number) {
    const check = this.indicator.check(key);
    const started = process.hrtime.bigint();
    try {
      const reply = await this.workflow.send(WorkflowPattern.Ping, PingCommand.create({}), { timeoutMs });
      const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
      return check.up({ version: reply.version, latencyMs: Math.round(latencyMs * 100) / 100 });
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
