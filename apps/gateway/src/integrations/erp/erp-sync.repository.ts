import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { ErpSyncRunEntity, type ErpSyncMode } from '@app/database';

/** Identifiers that reach SQL: form ids and field keys are checked against this before quoting. */
export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,59}$/;

const quote = (identifier: string): string => {
  if (!IDENTIFIER.test(identifier)) throw new Error(`refused identifier ${identifier}`);
  return `"${identifier}"`;
};

/** `erp."ERP_{formId}"`: the local copy of an ERP form's main table. */
export const erpTable = (formId: string): string => `"erp".${quote(`ERP_${formId}`)}`;

/** Local copies of ERP forms (schema `erp`) and the record of every sync (`core.erp_sync_runs`). */
@Injectable()
export class ErpSyncRepository {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(ErpSyncRunEntity) private readonly runs: Repository<ErpSyncRunEntity>,
  ) {}

  /** Starts a run; null when another run of the form is still going (a crashed one is given up after 2 h). */
  async startRun(
    formId: string,
    mode: ErpSyncMode,
    windowFrom: Date,
    triggeredBy: string,
  ): Promise<ErpSyncRunEntity | null> {
    await this.dataSource.query(
      `UPDATE core.erp_sync_runs SET status = 'failed', finished_at = now(), error = 'abandoned (no end recorded)'
        WHERE form_id = $1 AND status = 'running' AND started_at < now() - interval '2 hours'`,
      [formId],
    );
    const rows: ErpSyncRunEntity[] = await this.dataSource.query(
      `INSERT INTO core.erp_sync_runs (form_id, mode, window_from, triggered_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (form_id) WHERE status = 'running' DO NOTHING RETURNING id::text AS id`,
      [formId, mode, windowFrom, triggeredBy],
    );
    return rows.length ? this.runs.findOneByOrFail({ id: rows[0].id }) : null;
  }

  async finishRun(
    id: string,
    outcome: { failed: boolean; rowsRead: number; rowsWritten: number; error: string | null },
  ): Promise<ErpSyncRunEntity> {
    await this.runs.update(
      { id },
      {
        status: outcome.failed ? 'failed' : 'succeeded',
        finishedAt: new Date(),
        rowsRead: outcome.rowsRead,
        rowsWritten: outcome.rowsWritten,
        error: outcome.error?.slice(0, 2000) ?? null,
      },
    );
    return this.runs.findOneByOrFail({ id });
  }

  findRun(id: string): Promise<ErpSyncRunEntity | null> {
    return this.runs.findOneBy({ id });
  }

  listRuns(formId: string | undefined, pageNum: number, pageSize: number) {
    return this.runs.findAndCount({
      where: formId ? { formId } : {},
      order: { id: 'DESC' },
      skip: (pageNum - 1) * pageSize,
      take: pageSize,
    });
  }

  /** Runs the work in one transaction: a failed create leaves the previous table as it was. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Drops and recreates `ERP_{formId}`: the primary key plus one text column per field key. */
  async recreateTable(
    manager: EntityManager,
    formId: string,
    primaryKey: string,
    columns: string[],
  ): Promise<void> {
    const table = erpTable(formId);
    const others = columns.filter((c) => c !== primaryKey).map((c) => `${quote(c)} text`);
    await manager.query(`DROP TABLE IF EXISTS ${table}`);
    await manager.query(
      `CREATE TABLE ${table} (${[`${quote(primaryKey)} text PRIMARY KEY`, ...others, `"synced_at" timestamptz NOT NULL DEFAULT now()`].join(', ')})`,
    );
  }

  /** The columns the local table has (it may have been extended since its create sync); empty if missing. */
  async localColumns(formId: string): Promise<string[]> {
    const rows: { column_name: string }[] = await this.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'erp' AND table_name = $1`,
      [`ERP_${formId}`],
    );
    return rows.map((r) => r.column_name);
  }

  /** Inserts or updates rows by primary key (values as text, in `columns` order). */
  async upsert(
    manager: EntityManager,
    formId: string,
    primaryKey: string,
    columns: string[],
    rows: (string | null)[][],
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const names = columns.map(quote);
    const updates = columns
      .filter((c) => c !== primaryKey)
      .map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`)
      .concat(`"synced_at" = now()`);
    // One statement per page: each column travels as a text array, unnest turns them back into rows.
    const selects = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
    const result: unknown = await manager.query(
      `INSERT INTO ${erpTable(formId)} (${names.join(', ')})
       SELECT * FROM unnest(${selects})
       ON CONFLICT (${quote(primaryKey)}) DO UPDATE SET ${updates.join(', ')}`,
      columns.map((_, i) => rows.map((row) => row[i])),
    );
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : rows.length;
  }
}
