import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Actor } from '@app/contracts';
import { ErrorCode } from '@app/contracts';
import { AppException } from '@app/common';
import type { ErpSyncMode, ErpSyncRunEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { type ErpSyncRunDto, mapErpSyncRun } from './erp.dto';
import { ErpSyncRepository, IDENTIFIER } from './erp-sync.repository';
import { type K3FormMeta, K3CloudClient } from './k3cloud.client';

/** Form ids the ERP knows look like `SAL_SaleOrder`, `BD_Customer`. */
const FORM_ID = /^[A-Za-z][A-Za-z0-9_]{0,55}$/;

/**
 * Seed 002's ERP sync over the K/3 Cloud connector. `create` drops and recreates `erp."ERP_{formId}"`
 * (main table, one text column per metadata field key, rows changed in the last two years) in one
 * transaction; `update` upserts the rows changed in the last ERP_SYNC_UPDATE_MONTHS into the existing
 * table, writing only the metadata columns it has. Every run is recorded with its counts and error.
 */
@Injectable()
export class ErpSyncService {
  private readonly logger = new Logger(ErpSyncService.name);
  private readonly allowedForms: Set<string> | null;

  constructor(
    private readonly k3: K3CloudClient,
    private readonly repository: ErpSyncRepository,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {
    const forms = (config.ERP_SYNC_FORMS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    this.allowedForms = forms.length ? new Set(forms) : null;
  }

  /** Runs one sync to its end and answers its record; a failed run is recorded, then its error thrown. */
  async run(actor: Actor, formId: string, mode: ErpSyncMode): Promise<ErpSyncRunDto> {
    this.checkForm(formId);
    if (!this.k3.configured)
      throw AppException.conflict('ERP_NOT_CONFIGURED', 'the ERP connector is not configured (ERP_K3_URL …)');
    if (mode === 'update' && (await this.repository.localColumns(formId)).length === 0) {
      throw AppException.conflict(
        'ERP_TABLE_MISSING',
        `ERP_${formId} does not exist yet: run a create sync first`,
      );
    }
    const windowFrom = this.windowStart(mode);
    const run = await this.repository.startRun(formId, mode, windowFrom, actor.id);
    if (!run) throw AppException.conflict('ERP_SYNC_RUNNING', `a sync of ${formId} is already running`);
    const counts = { rowsRead: 0, rowsWritten: 0 };
    let finished: ErpSyncRunEntity;
    try {
      const skipped = await this.copy(run, counts);
      // A run that left out odd field keys succeeded in what it could do; the note says what it left out.
      finished = await this.repository.finishRun(run.id, {
        failed: false,
        ...counts,
        error: skipped.length ? `field keys not copied (not plain identifiers): ${skipped.join(', ')}` : null,
      });
    } catch (error) {
      const message = error instanceof AppException ? error.message : 'internal error (see the log)';
      if (!(error instanceof AppException))
        this.logger.error({ err: error, runId: run.id }, 'ERP sync failed');
      await this.repository.finishRun(run.id, {
        failed: true,
        rowsRead: counts.rowsRead,
        rowsWritten: 0,
        error: message,
      });
      throw error;
    }
    return mapErpSyncRun(finished);
  }

  async getRun(id: string): Promise<ErpSyncRunDto> {
    const run = /^\d{1,18}$/.test(id) ? await this.repository.findRun(id) : null;
    if (!run) throw AppException.notFound('ERP sync run', id);
    return mapErpSyncRun(run);
  }

  async listRuns(formId: string | undefined, pageNum: number, pageSize: number) {
    const [rows, total] = await this.repository.listRuns(formId, pageNum, pageSize);
    return { total, pageNum, pageSize, rows: rows.map(mapErpSyncRun) };
  }

  /** Reads the form page by page into the local table; answers the field keys it had to leave out. */
  private async copy(run: ErpSyncRunEntity, counts: { rowsRead: number; rowsWritten: number }) {
    const meta = await this.k3.formMeta(run.formId);
    const usable = (key: string) => IDENTIFIER.test(key) && key !== 'synced_at';
    const skipped = meta.fields.map((f) => f.key).filter((key) => !usable(key));
    if (!usable(meta.primaryKey))
      throw new AppException(
        ErrorCode.UpstreamFailure,
        'UPSTREAM_FAILURE',
        `ERP K/3 Cloud: odd primary key ${meta.primaryKey}`,
      );
    let columns = unique([meta.primaryKey, ...meta.fields.map((f) => f.key).filter(usable)]);
    if (run.mode === 'update') {
      const local = new Set(await this.repository.localColumns(run.formId));
      columns = columns.filter((c) => local.has(c));
      if (!local.has(meta.primaryKey))
        throw AppException.conflict(
          'ERP_TABLE_CHANGED',
          `ERP_${run.formId} has no ${meta.primaryKey} column`,
        );
    }
    await this.repository.transaction(async (manager) => {
      if (run.mode === 'create')
        await this.repository.recreateTable(manager, run.formId, meta.primaryKey, columns);
      for await (const page of this.k3.billRows(
        this.query(meta, columns, run.windowFrom),
        this.config.ERP_SYNC_PAGE_SIZE,
      )) {
        counts.rowsRead += page.length;
        const rows = lastPerKey(page.map((row) => columns.map((_, i) => text(row[i]))));
        counts.rowsWritten += await this.repository.upsert(
          manager,
          run.formId,
          meta.primaryKey,
          columns,
          rows,
        );
      }
    });
    return skipped;
  }

  private query(meta: K3FormMeta, columns: string[], from: Date) {
    const day = from.toISOString().slice(0, 10);
    return {
      formId: meta.formId,
      fieldKeys: columns,
      filterString: `${this.config.ERP_SYNC_DATE_FIELD}>='${day}'`,
      // A stable order keeps StartRow paging from skipping or repeating rows.
      orderString: `${meta.primaryKey} ASC`,
    };
  }

  /** create: two years back; update: ERP_SYNC_UPDATE_MONTHS back (seed 002: "最近2年" / "最近2个月"). */
  private windowStart(mode: ErpSyncMode): Date {
    const from = new Date();
    if (mode === 'create') from.setUTCFullYear(from.getUTCFullYear() - 2);
    else from.setUTCMonth(from.getUTCMonth() - this.config.ERP_SYNC_UPDATE_MONTHS);
    from.setUTCHours(0, 0, 0, 0);
    return from;
  }

  private checkForm(formId: string): void {
    if (!FORM_ID.test(formId)) {
      throw AppException.invalid([
        { field: 'formId', reason: 'must be an ERP form id such as SAL_SaleOrder (letters, digits, _)' },
      ]);
    }
    if (this.allowedForms && !this.allowedForms.has(formId)) {
      throw AppException.invalid([{ field: 'formId', reason: `${formId} is not in ERP_SYNC_FORMS` }]);
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Values land in text columns; objects (reference data) as JSON. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A key twice in one page would fail the upsert statement: the later row wins. */
function lastPerKey(rows: (string | null)[][]): (string | null)[][] {
  const byKey = new Map<string | null, (string | null)[]>();
  for (const row of rows) byKey.set(row[0], row);
  return [...byKey.values()].filter((row) => row[0] !== null);
}
