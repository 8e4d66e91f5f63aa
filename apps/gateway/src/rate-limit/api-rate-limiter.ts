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

/**
 * Hits a replica takes from a shared counter at once: 1 under a limit of 200 (every hit counted, exact as
 * the limit tests need), then a hundredth of the limit, at most 50. The budget's default of 12,000 reads a
 * minute per caller then costs one upsert per 50 requests instead of one each (a fifth of the gateway's
 * statements in a test run were these), and at most 49 hits per replica and window stay unused. Taken
 * hits count against the limit whether used or not, so replicas together still never allow more than it.
 */
export function hitsTakenAtOnce(limit: number): number {
  return Math.min(Math.max(Math.floor(limit / 100), 1), 50);
}

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
 * the body is read and before authentication's database work, so a flood costs at most one upsert a
 * request (fewer under large limits: a replica takes hits in advance, `hitsTakenAtOnce`).
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
  /** key → hits this replica took in advance and has not used yet, until the window ends */
  private readonly taken = new Map<string, { left: number; until: number }>();
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
    this.taken.clear();
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
    // hits taken in advance were granted: they serve even once a concurrent request found the key over
    let refusal = counters
      .filter((c) => !this.takenOf(c.key, now))
      .map((c) => ({ counter: c, until: this.blocked.get(c.key) ?? 0 }))
      .find((b) => b.until > now);
    let retryAfter = refusal ? Math.ceil((refusal.until - now) / 1000) : 0;
    const toCount = refusal ? [] : counters.filter((c) => !this.useTaken(c.key, now));
    if (toCount.length > 0) {
      let counts;
      try {
        counts = await this.store.hit(toCount.map((c) => ({ ...c, take: hitsTakenAtOnce(c.limit) })));
      } catch (error) {
        if (now - this.lastStoreWarning > STORE_WARNING_EVERY_MS) {
          this.lastStoreWarning = now;
          this.logger.warn({ err: error }, 'rate limits not counted: the database did not answer');
        }
        return undefined;
      }
      counts.forEach((count, i) => {
        if (!count.over) {
          if (count.granted > 1) this.keepTaken(count.key, count.granted - 1, now + count.windowLeftMs, now);
          return;
        }
        this.block(count.key, now + count.retryAfterSeconds * 1000);
        if (!refusal) {
          refusal = { counter: toCount[i], until: 0 };
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

  /** The hits taken in advance for this key that are left in their window, if any. */
  private takenOf(key: string, now: number): { left: number; until: number } | undefined {
    const taken = this.taken.get(key);
    return taken && taken.until > now ? taken : undefined;
  }

  /** Uses one hit taken in advance for this key, if any is left in its window. */
  private useTaken(key: string, now: number): boolean {
    const taken = this.takenOf(key, now);
    if (!taken) return false;
    if (--taken.left <= 0) this.taken.delete(key);
    return true;
  }

  private keepTaken(key: string, left: number, until: number, now: number): void {
    // concurrent requests may each have taken hits: keep them all (same window), or none are used
    const kept = this.takenOf(key, now);
    if (kept) kept.left += left;
    // dropping what was taken is safe: those hits stay counted, the next request takes more
    else setBounded(this.taken, key, { left, until }, (t) => t.until);
  }

  private block(key: string, until: number): void {
    setBounded(this.blocked, key, until, (t) => t);
  }
}

/** Sets `key`, first dropping ended entries (or all) when the map holds MAX_LOCAL_BLOCKS. */
function setBounded<V>(map: Map<string, V>, key: string, value: V, endsAt: (value: V) => number): void {
  if (map.size >= MAX_LOCAL_BLOCKS) {
    const now = Date.now();
    for (const [k, v] of map) if (endsAt(v) <= now) map.delete(k);
    if (map.size >= MAX_LOCAL_BLOCKS) map.clear();
  }
  map.set(key, value);
}
