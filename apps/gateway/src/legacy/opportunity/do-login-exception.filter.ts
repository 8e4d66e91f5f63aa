import { Catch } from '@nestjs/common';
import { LegacyExceptionFilter, type LegacyFailure } from '../legacy-exception.filter';

/**
 * `/doLogin` documents one answer shape, `{msg, status}`: its validation failures (an empty `accountId`
 * or `pass`) answer `{msg:"<field>: <why>", status:"error"}` too, not the platform's `{code,msg}`.
 * A transport failure (rate limit) keeps its HTTP status.
 */
@Catch()
export class DoLoginExceptionFilter extends LegacyExceptionFilter {
  protected shape({ msg }: LegacyFailure): unknown {
    return { msg, status: 'error' };
  }
}
