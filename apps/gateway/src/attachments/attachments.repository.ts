import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AttachmentEntity, type AttachmentOwner } from '@app/database';

export interface DueFile {
  id: string;
  storage: 'local' | 's3';
  storage_key: string;
}

/** Every query on core.attachment: live files of a record, and the purge queue. */
@Injectable()
export class AttachmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  countLive(ownerType: AttachmentOwner, ownerId: string): Promise<number> {
    return this.dataSource.manager.countBy(AttachmentEntity, { ownerType, ownerId, deletedAt: IsNull() });
  }

  listLive(ownerType: AttachmentOwner, ownerId: string): Promise<AttachmentEntity[]> {
    return this.dataSource.manager.find(AttachmentEntity, {
      where: { ownerType, ownerId, deletedAt: IsNull() },
      order: { id: 'ASC' },
    });
  }

  findLive(id: string): Promise<AttachmentEntity | null> {
    return this.dataSource.manager.findOneBy(AttachmentEntity, { id, deletedAt: IsNull() });
  }

  /**
   * Adds a file unless its record already holds `max` live ones (null then). Uploads to one record
   * serialize on its lock, so the count cannot be read by two at once and both pass it.
   */
  addWithin(
    row: Omit<AttachmentEntity, 'id' | 'createdAt' | 'deletedAt' | 'purgeAt'>,
    max: number,
  ): Promise<AttachmentEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `attachment:${row.ownerType}:${row.ownerId}`,
      ]);
      const live = await manager.countBy(AttachmentEntity, {
        ownerType: row.ownerType,
        ownerId: row.ownerId,
        deletedAt: IsNull(),
      });
      if (live >= max) return null;
      const repo = manager.getRepository(AttachmentEntity);
      return repo.save(repo.create(row));
    });
  }

  /** Hides one file and queues its purge; answers when it was hidden. */
  async markForPurge(id: string): Promise<Date> {
    const now = new Date();
    await this.dataSource.manager.update(AttachmentEntity, { id }, { deletedAt: now, purgeAt: now });
    return now;
  }

  /** Files on the comments of instances deleted for good (in the transaction that handles the event). */
  async markCommentsOfInstances(manager: EntityManager, instanceIds: string[]): Promise<void> {
    await manager.query(
      `UPDATE core.attachment SET deleted_at = coalesce(deleted_at, now()), purge_at = coalesce(purge_at, now())
        WHERE owner_type = 'task-comment' AND parent_id = ANY($1::varchar[])`,
      [instanceIds],
    );
  }

  /** Files of CRM records soft-deleted more than `days` days ago: their retention has ended. */
  async markExpiredCrmFiles(days: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH marked AS (
         UPDATE core.attachment a SET deleted_at = coalesce(a.deleted_at, now()), purge_at = now()
          WHERE a.purge_at IS NULL AND (
            (a.owner_type = 'crm-customer' AND EXISTS (SELECT 1 FROM core.crm_customer r
               WHERE r.id::text = a.owner_id AND r.deleted_at < now() - $1 * interval '1 day'))
            OR (a.owner_type = 'crm-organization' AND EXISTS (SELECT 1 FROM core.crm_organization r
               WHERE r.id::text = a.owner_id AND r.deleted_at < now() - $1 * interval '1 day')))
          RETURNING a.id)
       SELECT id FROM marked`,
      [days],
    );
    return rows.length;
  }

  /**
   * Claims up to `limit` due purges (SKIP LOCKED, any number of gateways) and moves them past a lease,
   * so a store that fails is tried again after the lease, not in a tight loop.
   */
  claimDue(limit: number, leaseMs: number): Promise<DueFile[]> {
    return this.dataSource.query(
      `WITH claimed AS (UPDATE core.attachment SET purge_at = now() + $2 * interval '1 millisecond'
         WHERE id IN (SELECT id FROM core.attachment WHERE purge_at <= now()
                       ORDER BY purge_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id::text, storage, storage_key)
       SELECT * FROM claimed`,
      [limit, leaseMs],
    );
  }

  async deletePurged(id: string): Promise<void> {
    await this.dataSource.manager.delete(AttachmentEntity, { id });
  }
}
