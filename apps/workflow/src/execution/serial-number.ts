import { businessMonth } from '@app/common';
import type { ProcessInstanceEntity } from '@app/database';

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

/**
 * A new instance whose serial number its transaction's COMMIT message takes: '' until then (read it through
 * ExecutionService.serialNoOf); the function answered sets it. A plain property, not a throwing accessor:
 * redefining it turned the entities into dictionary-mode objects, and the code they pass through slowed
 * completions too (workflow CPU per completion 11.6 → 18.2 ms in one bench pair).
 */
export function numberedAtCommit(instance: ProcessInstanceEntity): (serialNo: string) => void {
  instance.serialNo = '';
  return (serialNo) => {
    instance.serialNo = serialNo;
  };
}
