import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AppException } from '@app/common';
import { WorkflowEnv } from '../config/workflow.env';

/** When WORKFLOW_LINK_SECRET is set, a TCP message without it is refused (defence in depth behind the network). */
@Injectable()
export class LinkSecretGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(WorkflowEnv) config: WorkflowEnv) {
    this.expected = config.WORKFLOW_LINK_SECRET ? Buffer.from(config.WORKFLOW_LINK_SECRET) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc' || !this.expected) return true;
    const secret = context.switchToRpc().getData<{ meta?: { secret?: unknown } }>()?.meta?.secret;
    const given = Buffer.from(typeof secret === 'string' ? secret : '');
    if (given.length === this.expected.length && timingSafeEqual(given, this.expected)) return true;
    throw AppException.forbidden('LINK_SECRET_MISMATCH', 'the workflow link secret does not match');
  }
}
