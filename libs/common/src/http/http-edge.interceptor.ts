import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { EnvelopeInterceptor } from '../envelope/envelope.interceptor';
import { AppException } from '../exceptions/app.exception';
import { findRequestProblem } from './input-limits';
import { ACCEPTS_MULTIPART } from './upload-refusals';

/**
 * The gateway's one global interceptor. First it checks a request's body, query and path against the
 * edge limits before any parameter is built: custom parameter decorators (the legacy surfaces merge
 * query and body themselves) run before pipes, so the global pipe alone would be too late for them.
 * A multipart body is refused outside upload routes (`AcceptsMultipart`): it would not be parsed.
 * Runs after authentication (the guard), so an anonymous caller still gets 4004 first; refusals go
 * through the route's own exception filter. Then it wraps the answer in the envelope (EnvelopeInterceptor).
 * One interceptor rather than two: Nest adds an rxjs layer and an async resource per interceptor.
 */
@Injectable()
export class HttpEdgeInterceptor implements NestInterceptor {
  private readonly envelope: EnvelopeInterceptor;

  constructor(private readonly reflector: Reflector) {
    this.envelope = new EnvelopeInterceptor(reflector);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      if (request.isMultipart?.() && !this.reflector.get<boolean>(ACCEPTS_MULTIPART, context.getHandler()))
        throw AppException.invalid([
          {
            field: 'body',
            reason:
              'multipart/form-data is taken by upload routes only; send JSON or application/x-www-form-urlencoded',
          },
        ]);
      const problem = findRequestProblem(request);
      if (problem) throw AppException.invalid([problem]);
    }
    return this.envelope.intercept(context, next);
  }
}
