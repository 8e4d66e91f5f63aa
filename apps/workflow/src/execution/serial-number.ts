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
 * Marks a new instance whose serial number its transaction's COMMIT message takes: until then reading
 * `serialNo` throws (a value read earlier would be wrong, not late), and the function answered sets it.
 */
export function numberedAtCommit(instance: ProcessInstanceEntity): (serialNo: string) => void {
  Object.defineProperty(instance, 'serialNo', {
    configurable: true,
    enumerable: true,
    get(): never {
      throw new Error(
        `instance ${instance.id} takes its serial number with the commit: read it through ExecutionService.serialNoOf`,
      );
    },
    set(value: string) {
      Object.defineProperty(instance, 'serialNo', {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
  });
  return (serialNo) => {
    instance.serialNo = serialNo;
  };
}
