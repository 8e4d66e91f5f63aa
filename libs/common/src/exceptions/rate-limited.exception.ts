import { ErrorCode } from '@app/contracts';
import { AppException } from './app.exception';

/**
 * 429 with the seconds until the caller may try again: the HTTP answer carries them as `Retry-After`
 * (RFC 9110 §10.2.3). Thrown by the API-wide limits and the sign-in brute-force limits alike.
 */
export class RateLimitedException extends AppException {
  constructor(
    reason: string,
    readonly retryAfterSeconds: number,
    message = `too many requests; retry in ${retryAfterSeconds} s`,
  ) {
    super(ErrorCode.TooManyRequests, reason, message);
  }
}
