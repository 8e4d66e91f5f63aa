import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccessTokenService, readCredentials } from '@app/auth';
import {
  type ForgetsForTest,
  forgetOnTestReset,
  languageOf,
  RateLimitedException,
  toErrorAnswer,
} from '@app/common';
import { rateLimitedTotal } from '@app/observability';
import { GatewayEnv } from '../config/gateway.env';
import { type RateCounter, RateLimitStore } from './rate-limit.store';
import {
  RATE_LIMIT_GROUPS,
  rateLimitGroupOf,
  type RateLimitGroup,
  type RateLimitPolicy,
} from './route-groups';

const MAX_LOCAL_BLOCKS = 10_000;
const STORE_WARNING_EVERY_MS = 10_000;

export function policyOf(config: GatewayEnv): RateLimitPolicy {
  const limits = (group: RateLimitGroup) => {
    const name = group.toUpperCase() as Uppercase<RateLimitGroup>;
    return {
      perCaller: config[`RATE_LIMIT_${name}_PER_CALLER`],
      perIp: config[`RATE_LIMIT_${name}_PER_IP`],
    };
  };
  return {
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    groups: Object.fromEntries(RATE_LIMIT_GROUPS.map((g) => [g, limits(g)])) as RateLimitPolicy['groups'],
  };
}

/**
 * API-wide rate limits (issue 18): per route group, a budget per caller and per client IP per window,
 * counted in PostgreSQL so every gateway replica shares them. Checked in a Fastify `onRequest` hook, before
 * the body is read and before authentication's database work, so a flood costs one upsert a request.
 * The caller is the verified access token's member (a forged token counts against its IP only) or the
 * application credential (keyed by a hash of id and secret, so a wrong secret cannot drain the real
 * application's budget). Once a key is over, this replica answers 429 from memory until its window ends.
 * If PostgreSQL cannot count, requests pass (the database's own failure answers them).
 */
@Injectable()
export class ApiRateLimiter implements OnApplicationBootstrap, ForgetsForTest {
  private readonly logger = new Logger(ApiRateLimiter.name);
  private readonly policy: RateLimitPolicy;
  /** key → epoch ms until which it is known to be over its limit */
  private readonly blocked = new Map<string, number>();
  private lastStoreWarning = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly store: RateLimitStore,
    private readonly tokens: AccessTokenService,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {
    this.policy = policyOf(config);
    forgetOnTestReset(this);
  }

  forgetForTest(): void {
    this.blocked.clear();
  }

  /** After every module's own hooks (the legacy cookie → Authorization rewrite runs first). */
  onApplicationBootstrap(): void {
    if (!this.config.RATE_LIMIT_ENABLED) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply) => this.check(request, reply));
  }

  private async check(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const group = rateLimitGroupOf(request.method, request.url);
    if (!group) return undefined;
    const { perCaller, perIp } = this.policy.groups[group];
    const windowSeconds = this.policy.windowSeconds;
    const counters: (RateCounter & { dimension: 'caller' | 'ip' })[] = [];
    const caller = perCaller > 0 ? this.callerOf(request) : null;
    if (caller)
      counters.push({
        key: `api:${group}:c:${caller}`,
        limit: perCaller,
        windowSeconds,
        dimension: 'caller',
      });
    if (perIp > 0)
      counters.push({ key: `api:${group}:ip:${request.ip}`, limit: perIp, windowSeconds, dimension: 'ip' });
    if (counters.length === 0) return undefined;

    const now = Date.now();
    let refusal = counters
      .map((c) => ({ counter: c, until: this.blocked.get(c.key) ?? 0 }))
      .find((b) => b.until > now);
    let retryAfter = refusal ? Math.ceil((refusal.until - now) / 1000) : 0;
    if (!refusal) {
      let counts;
      try {
        counts = await this.store.hit(counters);
      } catch (error) {
        if (now - this.lastStoreWarning > STORE_WARNING_EVERY_MS) {
          this.lastStoreWarning = now;
          this.logger.warn({ err: error }, 'rate limits not counted: the database did not answer');
        }
        return undefined;
      }
      counts.forEach((count, i) => {
        if (!count.over) return;
        this.block(count.key, now + count.retryAfterSeconds * 1000);
        if (!refusal) {
          refusal = { counter: counters[i], until: 0 };
          retryAfter = count.retryAfterSeconds;
        }
      });
    }
    if (!refusal) return undefined;
    const { dimension } = refusal.counter;
    rateLimitedTotal.inc({ group, dimension });
    const answer = toErrorAnswer(
      new RateLimitedException(
        'RATE_LIMITED',
        retryAfter,
        `too many ${group} requests from this ${dimension === 'ip' ? 'address' : 'caller'}; retry in ${retryAfter} s`,
      ),
      languageOf(request.headers['accept-language']),
    );
    // an async hook that answers returns the reply, so Fastify runs nothing further
    return reply
      .status(answer.status)
      .header('retry-after', String(retryAfter))
      .header('content-type', 'application/json; charset=utf-8')
      .send(answer.body);
  }

  /** Who is calling, from credentials checked without the database; null = count the IP only. */
  private callerOf(request: FastifyRequest): string | null {
    let credentials;
    try {
      credentials = readCredentials(request.headers);
    } catch {
      return null; // malformed credentials: the guard answers them
    }
    if (credentials.type === 'none') return null;
    if (credentials.token) {
      try {
        return `staff:${this.tokens.verify(credentials.token).sub}`;
      } catch {
        if (credentials.type === 'bearer') return null;
      }
    }
    if (credentials.type === 'bearer') return null;
    const digest = createHash('sha256')
      .update(`${credentials.type}\0${credentials.clientId}\0${credentials.secret}`)
      .digest('base64url')
      .slice(0, 22);
    return `${credentials.type}:${digest}`;
  }

  private block(key: string, until: number): void {
    if (this.blocked.size >= MAX_LOCAL_BLOCKS) {
      const now = Date.now();
      for (const [k, t] of this.blocked) if (t <= now) this.blocked.delete(k);
      if (this.blocked.size >= MAX_LOCAL_BLOCKS) this.blocked.clear();
    }
    this.blocked.set(key, until);
  }
}
