import { Catch } from '@nestjs/common';
import { LegacyExceptionFilter, type LegacyFailure } from '../legacy-exception.filter';

/**
 * Seed 001 failures: `{status:1,msg}` with HTTP 200 (its clients read the body, A-02). Invalid fields
 * read `<field>: <why>`; `code` carries the platform code for integrators that want it.
 */
@Catch()
export class CrmBackendStatusFilter extends LegacyExceptionFilter {
  protected shape({ answer, msg }: LegacyFailure): unknown {
    const { code, errorId } = answer.body;
    return { status: 1, msg, code, ...(errorId ? { errorId } : {}) };
  }
}
