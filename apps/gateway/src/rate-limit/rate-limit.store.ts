import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

const MAX_KEY_LENGTH = 200;

/** One counter to bump: `limit` hits allowed per fixed window of `windowSeconds`. */
export interface RateCounter {
  key: string;
  limit: number;
  windowSeconds: number;
  /** Hits to count at once (a replica taking part of the budget in advance); 1 by default. */
  take?: number;
}

export interface RateCount {
  key: string;
  /** How many of the hits taken fall within the limit (0: this request is over it). */
  granted: number;
  /** Milliseconds until the counter's window ends. */
  windowLeftMs: number;
  /** Seconds until the counter's window ends (at least 1). */
  retryAfterSeconds: number;
  over: boolean;
}

/**
 * The one store of every rate limit in the gateway (API-wide limits and sign-in brute-force limits):
 * fixed-window counters in `core.rate_limit_counters`, shared by all gateway replicas. All counters of a
 * request go up in one atomic upsert (one round trip), so N replicas can never each allow the limit.
 */
@Injectable()
export class RateLimitStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts `take` hits (1 by default) on each counter; returns what each counter's window then holds. */
  async hit(counters: RateCounter[]): Promise<RateCount[]> {
    if (counters.length === 0) return [];
    const keys = counters.map((c) => c.key.slice(0, MAX_KEY_LENGTH));
    const takes = counters.map((c) => Math.max(1, Math.floor(c.take ?? 1)));
    // one upsert may not touch a row twice: a key named twice is counted once (its first take)
    const first = new Map<string, number>();
    keys.forEach((key, i) => first.has(key) || first.set(key, i));
    const unique = [...first.entries()];
    const rows: { key: string; hits: number; left: number }[] = await this.dataSource.query(
      `INSERT INTO core.rate_limit_counters AS c (key, hits, window_ends_at)
       SELECT k, n, now() + make_interval(secs => w) FROM unnest($1::varchar[], $2::int[], $3::int[]) AS t(k, w, n)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.window_ends_at <= now() THEN EXCLUDED.hits ELSE c.hits + EXCLUDED.hits END,
         window_ends_at = CASE WHEN c.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE c.window_ends_at END
       RETURNING key, hits, (EXTRACT(EPOCH FROM (window_ends_at - now())) * 1000)::int AS left`,
      [
        unique.map(([k]) => k),
        unique.map(([, i]) => counters[i].windowSeconds),
        unique.map(([, i]) => takes[i]),
      ],
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return counters.map((counter, i) => {
      const row = byKey.get(keys[i]);
      const take = takes[first.get(keys[i])!];
      const hits = row?.hits ?? take;
      const windowLeftMs = Math.max(row?.left ?? counter.windowSeconds * 1000, 0);
      const granted = Math.max(0, Math.min(take, counter.limit - (hits - take)));
      return {
        key: counter.key,
        granted,
        windowLeftMs,
        retryAfterSeconds: Math.max(Math.ceil(windowLeftMs / 1000), 1),
        over: granted === 0,
      };
    });
  }

  /** Forgets a counter (a successful sign-in clears the account's failures). */
  async clear(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM core.rate_limit_counters WHERE key = $1`, [
      key.slice(0, MAX_KEY_LENGTH),
    ]);
  }

  /** Deletes the counters whose window has ended (the sweeper's round). */
  async sweepExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM core.rate_limit_counters WHERE window_ends_at < now()`);
  }
}
