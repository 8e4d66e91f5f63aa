import { businessMonth } from '@app/common';
import type { EntityManager } from 'typeorm';

/** `yyyyMM` of a moment in the business time zone. */
export function periodOf(at: Date, timeZone: string): string {
  return businessMonth(at, timeZone);
}

/**
 * Next serial number `{code}_{yyyyMM}_{seq}` (seed 002: `ztbxx01_202108_0001`). The counter row is
 * bumped in the caller's transaction: a rolled-back start gives its number back (no gaps), and
 * concurrent starts queue on the row (no duplicates).
 */
export async function nextSerialNumber(
  manager: EntityManager,
  code: string,
  at: Date,
  timeZone: string,
): Promise<string> {
  const period = periodOf(at, timeZone);
  const rows: { last_value: number }[] = await manager.query(
    `INSERT INTO workflow.serial_counter (code, period, last_value) VALUES ($1, $2, 1)
     ON CONFLICT (code, period) DO UPDATE SET last_value = workflow.serial_counter.last_value + 1
     RETURNING last_value`,
    [code, period],
  );
  return `${code}_${period}_${String(rows[0].last_value).padStart(4, '0')}`;
}
