import { businessMonth } from '@app/common';

/** `yyyyMM` of a moment in the business time zone. */
export function periodOf(at: Date, timeZone: string): string {
  return businessMonth(at, timeZone);
}

/**
 * Serial number `{code}_{yyyyMM}_{seq}` (seed 002: `ztbxx01_202108_0001`). `seq` comes from the counter
 * row of (code, period), bumped in the start's transaction (ExecutionRepository.insertInstanceAtCommit): a
 * rolled-back start gives its number back (no gaps), concurrent starts queue on the row (no duplicates).
 */
export function serialNumber(code: string, period: string, seq: number): string {
  return `${code}_${period}_${String(seq).padStart(4, '0')}`;
}
