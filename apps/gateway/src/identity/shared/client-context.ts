import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Where a request comes from, for audit rows, sessions and rate limits. */
export interface ClientContext {
  /** Client IP (from X-Forwarded-For only when TRUST_PROXY is on). */
  ip: string;
  userAgent: string | null;
  requestId: string;
}

export const RequestClient = createParamDecorator((_: unknown, context: ExecutionContext): ClientContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const agent = request.headers['user-agent'];
  return {
    ip: request.ip.slice(0, 64),
    userAgent: typeof agent === 'string' ? agent.slice(0, 255) : null,
    requestId: request.id,
  };
});
