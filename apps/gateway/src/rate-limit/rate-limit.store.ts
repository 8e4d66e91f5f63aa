import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

const MAX_KEY_LENGTH = 200;

/** One counter to bump: `limit` hits allowed per fixed window of `windowSeconds`. */
export interface RateCounter {
  key: string;
  limit: number;
  windowSeconds: number;
}

export interface RateCount {
  key: string;
  hits: number;
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

  /** Counts one hit on each counter; returns each counter's hits in its window and whether it is over. */
  async hit(counters: RateCounter[]): Promise<RateCount[]> {
    if (counters.length === 0) return [];
    const keys = counters.map((c) => c.key.slice(0, MAX_KEY_LENGTH));
    // one upsert may not touch a row twice: a key named twice is counted once
    const unique = [...new Map(keys.map((k, i) => [k, counters[i].windowSeconds])).entries()];
    const rows: { key: string; hits: number; retry: number }[] = await this.dataSource.query(
      `INSERT INTO core.rate_limit_counters AS c (key, hits, window_ends_at)
       SELECT k, 1, now() + make_interval(secs => w) FROM unnest($1::varchar[], $2::int[]) AS t(k, w)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.window_ends_at <= now() THEN 1 ELSE c.hits + 1 END,
         window_ends_at = CASE WHEN c.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE c.window_ends_at END
       RETURNING key, hits, CEIL(EXTRACT(EPOCH FROM (window_ends_at - now())))::int AS retry`,
      [unique.map(([k]) => k), unique.map(([, w]) => w)],
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return counters.map((counter, i) => {
      const row = byKey.get(keys[i]);
      const hits = row?.hits ?? 1;
      return {
        key: counter.key,
        hits,
        retryAfterSeconds: Math.max(row?.retry ?? counter.windowSeconds, 1),
        over: hits > counter.limit,
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
