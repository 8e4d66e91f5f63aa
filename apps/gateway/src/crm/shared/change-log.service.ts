import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/contracts';
import { type Page, type PageQueryDto, pageOffset, toPage } from '@app/common';
import { CrmChangeEntity } from '@app/database';
import type { ChangeDto } from './crm-dto';
import { StaffDirectory } from './staff-directory';

export type CrmEntityType =
  | 'organization'
  | 'customer'
  | 'potential'
  | 'follow_up'
  | 'demand'
  | 'satisfaction'
  | 'contract'
  | 'data_record';

export type CrmChangeAction = 'created' | 'updated' | 'deleted' | 'restored' | 'imported' | 'import_undone';

export interface CrmChange {
  entityType: CrmEntityType;
  entityId: string;
  organizationId?: string | null;
  customerId?: string | null;
  action: CrmChangeAction;
  actor: Actor;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

const comparable = (value: unknown): unknown =>
  value instanceof Date ? value.toISOString() : Array.isArray(value) ? JSON.stringify(value) : value;

/** The fields that differ between two snapshots, as `{ field: { from, to } }`. */
export function diff(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (['createdAt', 'updatedAt', 'id'].includes(key)) continue;
    const from = comparable(before?.[key] ?? null);
    const to = comparable(after?.[key] ?? null);
    if (from !== to) changes[key] = { from: before?.[key] ?? null, to: after?.[key] ?? null };
  }
  return changes;
}

/** Writes the audit timeline of CRM and model records (who changed what, old and new values). */
@Injectable()
export class ChangeLogService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly staff: StaffDirectory,
  ) {}

  async record(manager: EntityManager, change: CrmChange): Promise<void> {
    const changes = diff(change.before, change.after);
    if (change.action === 'updated' && Object.keys(changes).length === 0) return;
    await manager.insert(CrmChangeEntity, {
      entityType: change.entityType,
      entityId: change.entityId,
      organizationId: change.organizationId ?? null,
      customerId: change.customerId ?? null,
      action: change.action,
      actorId: change.actor.id,
      changes: changes as never,
    });
  }

  /** Changes filed under an organization or a customer, or of one record, newest first. */
  async timeline(
    where: { organizationId?: string; customerId?: string } | { entityType: CrmEntityType; entityId: string },
    page: PageQueryDto,
  ): Promise<Page<ChangeDto>> {
    const [rows, total] = await this.dataSource.manager.findAndCount(CrmChangeEntity, {
      where,
      order: { id: 'DESC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
    const names = await this.staff.names(rows.map((r) => r.actorId));
    return toPage(
      rows.map((r) => ({
        id: r.id,
        entityType: r.entityType,
        entityId: r.entityId,
        action: r.action,
        actorId: r.actorId,
        actorName: names.get(r.actorId) ?? null,
        changes: r.changes,
        at: r.at.toISOString(),
      })),
      total,
      page,
    );
  }
}
