import { Inject, Injectable } from '@nestjs/common';
import { RateLimitedException } from '@app/common';
import { rateLimitedTotal } from '@app/observability';
import { GatewayEnv } from '../../config/gateway.env';
import { RateLimitStore } from '../../rate-limit/rate-limit.store';
import { IdentityReason } from '../identity.exception';

/**
 * Sign-in brute-force limits, on the gateway's one rate-limit store (shared by every replica). Per client
 * IP every attempt counts; per account only failures count (a success clears them), counted *before*
 * the password is checked so parallel guesses cannot slip past the limit. These sit under the API-wide
 * `auth` group limits, which count requests, not sign-in attempts.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  /** Counts an attempt from this IP; 429 past the limit. */
  async hitIp(ip: string): Promise<void> {
    await this.hit(
      `login:ip:${ip}`,
      this.config.LOGIN_RATE_IP_LIMIT,
      this.config.LOGIN_RATE_IP_WINDOW_SECONDS,
      'ip',
    );
  }

  /** Reserves a failure for this account (undone by `clearAccount` on success); 429 past the limit. */
  async hitAccount(account: string): Promise<void> {
    await this.hit(
      `login:account:${account.toLowerCase()}`,
      this.config.LOGIN_RATE_ACCOUNT_LIMIT,
      this.config.LOGIN_RATE_ACCOUNT_WINDOW_SECONDS,
      'account',
    );
  }

  async clearAccount(account: string): Promise<void> {
    await this.store.clear(`login:account:${account.toLowerCase()}`);
  }

  private async hit(key: string, limit: number, windowSeconds: number, dimension: string): Promise<void> {
    const [count] = await this.store.hit([{ key, limit, windowSeconds }]);
    if (count.over) {
      rateLimitedTotal.inc({ group: 'login', dimension });
      throw new RateLimitedException(
        IdentityReason.LoginRateLimited,
        count.retryAfterSeconds,
        `too many sign-in attempts; retry in ${count.retryAfterSeconds} s`,
      );
    }
  }
}
