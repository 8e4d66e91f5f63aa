/**
 * Percentiles from the log-bucketed histograms of `workflow.report_duration_day` (migration ReportAggregates):
 * bucket 0 holds durations under 1 ms, bucket i ≥ 1 holds [γ^(i-1), γ^i) with γ = 1.01 / 0.99.
 */
export const RELATIVE_ERROR = 0.01;
const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);

/** The value a bucket stands for: within 1 % of every duration in it (0 for bucket 0, off by < 1 ms). */
export function bucketValue(bucket: number): number {
  return bucket === 0 ? 0 : (2 * GAMMA ** bucket) / (GAMMA + 1);
}

/**
 * percentile_cont over a histogram: the two order statistics around rank p·(n−1), each replaced by its
 * bucket's value, interpolated as percentile_cont does. Both ends are within 1 % of the true order statistics
 * and interpolation keeps that, so the answer is within 1 % (or 1 ms) of the exact percentile_cont.
 * `buckets` are [bucket, count] pairs in ascending bucket order.
 */
export function histogramPercentile(buckets: [number, number][], p: number): number | null {
  const total = buckets.reduce((n, [, count]) => n + count, 0);
  if (total === 0) return null;
  const rank = p * (total - 1);
  const lo = Math.floor(rank);
  const at = (index: number) => {
    let seen = 0;
    for (const [bucket, count] of buckets) {
      seen += count;
      if (index < seen) return bucketValue(bucket);
    }
    return bucketValue(buckets[buckets.length - 1][0]);
  };
  const low = at(lo);
  return rank === lo ? low : low + (at(lo + 1) - low) * (rank - lo);
}
