import { Catch } from '@nestjs/common';
import { LegacyExceptionFilter, type LegacyFailure } from './legacy-exception.filter';

/** Seed 000's business failures: the platform's `{code,msg,data}` error body with HTTP 200 (A-02). */
@Catch()
export class LegacyBodyStatusFilter extends LegacyExceptionFilter {
  protected shape({ answer }: LegacyFailure): unknown {
    return answer.body;
  }
}
