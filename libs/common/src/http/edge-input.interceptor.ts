import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { AppException } from '../exceptions/app.exception';
import { findRequestProblem } from './input-limits';

/**
 * Checks a request's body, query and path against the edge limits before any parameter is built:
 * custom parameter decorators (the legacy surfaces merge query and body themselves) run before pipes,
 * so the global pipe alone would be too late for them. Runs after authentication (the guard), so an
 * anonymous caller still gets 4004 first; refusals go through the route's own exception filter.
 */
@Injectable()
export class EdgeInputInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const problem = findRequestProblem(context.switchToHttp().getRequest());
      if (problem) throw AppException.invalid([problem]);
    }
    return next.handle();
  }
}
