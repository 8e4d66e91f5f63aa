import { type Actor } from '@app/contracts';
import { AppException, parseClientRange } from '@app/common';
import { scopedRowsSql } from '../common/visibility';

/** Collects `WHERE` clauses with numbered parameters for hand-written report SQL. */
export class SqlFilter {
  readonly params: unknown[] = [];
  private readonly clauses: string[] = [];

  /** Adds a parameter and returns its placeholder (`$n`). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds a clause; `$?` marks are replaced by placeholders of `values`, in order. */
  where(clause: string, ...values: unknown[]): this {
    let i = 0;
    this.clauses.push(clause.replace(/\$\?/g, () => this.param(values[i++])));
    return this;
  }

  sql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

export interface ReportWindow {
  from?: Date;
  to?: Date;
}

/**
 * `from` inclusive, `to` exclusive, both read in the business time zone when they carry no offset;
 * a bare day as `to` means up to the end of that day (the first instant of the next day).
 */
export function reportWindow(range: { from?: string; to?: string }, timeZone: string): ReportWindow {
  const { from, to } = parseClientRange(range, timeZone);
  if (from && to && from >= to)
    throw AppException.invalid([{ field: 'to', reason: 'to must be after from' }]);
  return { from, to };
}

/**
 * Reports and the monitoring centre count by scope (docs/monitoring-and-reports.md): the rule of
 * `scopedRowsSql` (common/visibility.ts) on the owner column `initiatorColumn` and its department
 * column `departmentColumn`.
 */
export function scopeInstances(
  filter: SqlFilter,
  actor: Actor,
  initiatorColumn: string,
  departmentColumn: string,
): void {
  const scoped = scopedRowsSql(actor, initiatorColumn, departmentColumn, (value) => filter.param(value));
  if (scoped) filter.where(scoped);
}

/** Milliseconds as a whole number, or null (the percentile of nothing). */
export function ms(value: number | string | null): number | null {
  return value === null ? null : Math.round(Number(value));
}
