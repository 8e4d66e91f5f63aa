import { Catch } from '@nestjs/common';
import { LegacyExceptionFilter, type LegacyFailure } from '../legacy-exception.filter';

/**
 * Seed 002's failure body `{code,msg}` with HTTP 200 (its clients read the body, A-02): the platform
 * code (4004 token, 4001 denied, 404, 4090, 4101 …) and a message naming the field and the reason.
 * Successes keep the platform envelope `{code:200,msg,data}` (A-01: the seed documents no response).
 */
@Catch()
export class FlowServiceExceptionFilter extends LegacyExceptionFilter {
  protected shape({ answer, msg }: LegacyFailure): unknown {
    const { code, errorId } = answer.body;
    return errorId ? { code, msg, errorId } : { code, msg };
  }
}
