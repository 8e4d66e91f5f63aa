import { Inject, Injectable, Logger } from '@nestjs/common';
import { PollingWorker } from '@app/common';
import { GatewayEnv } from '../config/gateway.env';
import { AttachmentsRepository, type DueFile } from './attachments.repository';
import { FileStorages } from './storage/storages';

const LEASE_MS = 5 * 60_000;

/**
 * Removes files whose time is up from their store (disk or S3), then their rows: files removed one by
 * one, files of instances deleted for good (their comments go with them), and, with
 * ATTACHMENT_RETENTION_DAYS, files of CRM records soft-deleted longer ago than that. A store that is
 * down only delays a purge (the row stays queued and is tried again after a lease).
 */
@Injectable()
export class AttachmentPurger extends PollingWorker {
  protected readonly logger = new Logger(AttachmentPurger.name);
  protected readonly roundName = 'attachment purge';

  constructor(
    private readonly repository: AttachmentsRepository,
    private readonly storages: FileStorages,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {
    super();
  }

  protected get pollMs(): number {
    return this.config.ATTACHMENT_PURGE_POLL_MS;
  }

  async runOnce(limit = 50): Promise<number> {
    if (this.config.ATTACHMENT_RETENTION_DAYS > 0)
      await this.repository.markExpiredCrmFiles(this.config.ATTACHMENT_RETENTION_DAYS);
    const due = await this.repository.claimDue(limit, LEASE_MS);
    let purged = 0;
    for (const file of due) {
      try {
        await this.purge(file);
        purged++;
      } catch (error) {
        this.logger.warn({ err: error, attachmentId: file.id }, 'attachment purge failed; retried later');
      }
    }
    return purged;
  }

  /** Purges one file at once (a removal by its uploader); the worker retries if this fails. */
  purgeNow(file: { id: string; storage: 'local' | 's3'; storageKey: string }): Promise<void> {
    return this.purge({ id: file.id, storage: file.storage, storage_key: file.storageKey });
  }

  private async purge(file: DueFile): Promise<void> {
    await this.storages.of(file.storage).remove(file.storage_key);
    await this.repository.deletePurged(file.id);
  }
}
