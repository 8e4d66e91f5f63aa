import { Catch } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { LegacyExceptionFilter, type LegacyFailure } from '../legacy-exception.filter';

/** What seed 003 answers to a missing, invalid, expired or revoked token. */
export const BAD_TOKEN = { code: 500, msg: '不合法的token' } as const;

/**
 * Seed 003's failure bodies, on its paths only: a token failure is `{code:500,msg:"不合法的token"}`,
 * any other business failure `{code:1,msg}` with the field and the reason in `msg`, both HTTP 200.
 * The platform `/api/v1` keeps its 401 and envelope.
 */
@Catch()
export class SalesAssistantExceptionFilter extends LegacyExceptionFilter {
  protected shape({ answer, transport, msg }: LegacyFailure): unknown {
    const { code } = answer.body;
    if (transport) return { code, msg: answer.body.msg, errorId: answer.body.errorId };
    if (code === ErrorCode.InvalidToken) return BAD_TOKEN;
    return { code: 1, msg };
  }
}
