import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PingCommand, type PingReply, WorkflowPattern } from '@app/contracts';
import { appVersion } from '@app/common';

const startedAt = Date.now();

@Controller()
export class SystemController {
  @MessagePattern(WorkflowPattern.Ping)
  ping(@Payload('body') command: PingCommand): PingReply {
    return {
      app: 'workflow',
      version: appVersion(),
      echo: command.echo,
      uptimeMs: Date.now() - startedAt,
      pid: process.pid,
      at: new Date().toISOString(),
    };
  }
}
