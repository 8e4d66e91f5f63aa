import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IDEMPOTENCY_KEY_PATTERN } from '@app/contracts';
import { AppException } from '../exceptions/app.exception';

/** The `Idempotency-Key` header (DESIGN §2): a replay of the same key returns the first result. */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => {
    const raw = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === '') return undefined;
    if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
      throw AppException.invalid([
        { field: 'Idempotency-Key', reason: 'must be 1-200 characters of [A-Za-z0-9_.:-]' },
      ]);
    }
    return value;
  },
);
