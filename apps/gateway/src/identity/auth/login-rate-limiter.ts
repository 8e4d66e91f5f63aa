import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@app/contracts';
import { GatewayEnv } from '../../config/gateway.env';
import { IdentityException, IdentityReason } from '../identity.exception';

const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * Login rate limits shared by every gateway replica: fixed-window counters in PostgreSQL, one atomic
 * upsert per hit (so N replicas cannot each allow the limit). Per client IP every attempt counts; per
 * account only failures count (a success clears them), counted *before* the password is checked so
 * parallel guesses cannot slip past the limit.
 */
@Injectable()
export class LoginRateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LoginRateLimiter.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** Counts an attempt from this IP; 429 past the limit. */
  async hitIp(ip: string): Promise<void> {
    await this.hit(
      `login:ip:${ip}`,
      this.config.LOGIN_RATE_IP_LIMIT,
      this.config.LOGIN_RATE_IP_WINDOW_SECONDS,
    );
  }

  /** Reserves a failure for this account (undone by `clearAccount` on success); 429 past the limit. */
  async hitAccount(account: string): Promise<void> {
    await this.hit(
      `login:account:${account.toLowerCase()}`,
      this.config.LOGIN_RATE_ACCOUNT_LIMIT,
      this.config.LOGIN_RATE_ACCOUNT_WINDOW_SECONDS,
    );
  }

  async clearAccount(account: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM core.rate_limit_counters WHERE key = $1`, [
      `login:account:${account.toLowerCase()}`,
    ]);
  }

  private async hit(key: string, limit: number, windowSeconds: number): Promise<void> {
    const rows: { hits: number; retry: number }[] = await this.dataSource.query(
      `INSERT INTO core.rate_limit_counters AS c (key, hits, window_ends_at)
       VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.window_ends_at <= now() THEN 1 ELSE c.hits + 1 END,
         window_ends_at = CASE WHEN c.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE c.window_ends_at END
       RETURNING hits, CEIL(EXTRACT(EPOCH FROM (window_ends_at - now())))::int AS retry`,
      [key.slice(0, 200), windowSeconds],
    );
    const { hits, retry } = rows[0];
    if (hits > limit) {
      throw new IdentityException(
        ErrorCode.TooManyRequests,
        IdentityReason.LoginRateLimited,
        `too many sign-in attempts; retry in ${Math.max(retry, 1)} s`,
      );
    }
  }

  private async sweep(): Promise<void> {
    try {
      await this.dataSource.query(`DELETE FROM core.rate_limit_counters WHERE window_ends_at < now()`);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not sweep rate-limit counters');
    }
  }
}
