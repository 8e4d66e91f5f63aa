import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DataModelEntity, DataModelVersionEntity } from '@app/database';
import { FIELD_ID, type FieldSpec, NUMERIC_TYPES } from './field-types';

/** Index names and DDL for one field; the names carry only the numeric model id and a checked field id. */
export function fieldIndexNames(modelId: string, fieldId: string): { plain: string; unique: string } {
  if (!/^[1-9]\d{0,18}$/.test(modelId) || !FIELD_ID.test(fieldId))
    throw new Error(`refusing index name for ${modelId}/${fieldId}`);
  return { plain: `ix_dr_${modelId}_${fieldId}`, unique: `uq_dr_${modelId}_${fieldId}` };
}

/** The index expression of a field: the same text as the query's (`record-query.ts`), without the alias. */
export function indexExpression(field: Pick<FieldSpec, 'id' | 'type'>): string {
  if (!FIELD_ID.test(field.id)) throw new Error(`refusing field id ${field.id}`);
  return NUMERIC_TYPES.includes(field.type) ? `((data->>'${field.id}')::numeric)` : `(data->>'${field.id}')`;
}

/** Queries and DDL of model definitions. */
@Injectable()
export class ModelsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByKey(key: string, manager: EntityManager = this.dataSource.manager, lock = false) {
    const qb = manager.createQueryBuilder(DataModelEntity, 'm').where('m.key = :key', { key });
    if (lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOneBy(DataModelEntity, { id });
  }

  page(offset: number, limit: number) {
    return this.dataSource.manager.findAndCount(DataModelEntity, {
      order: { key: 'ASC' },
      skip: offset,
      take: limit,
    });
  }

  /** Models whose flow bindings name this process key (seed 002 launches read dataId as their record). */
  async bindingFlow(flowCode: string): Promise<DataModelEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(DataModelEntity, 'm')
      .where(`m.flows @> CAST(:flow AS jsonb)`, { flow: JSON.stringify([{ flowCode }]) })
      .getMany();
  }

  versions(modelId: string, offset: number, limit: number) {
    return this.dataSource.manager.findAndCount(DataModelVersionEntity, {
      where: { modelId },
      order: { version: 'DESC' },
      skip: offset,
      take: limit,
    });
  }

  async insertVersion(
    manager: EntityManager,
    model: DataModelEntity,
    change: Record<string, unknown>,
    actorId: string,
  ): Promise<void> {
    await manager.insert(DataModelVersionEntity, {
      modelId: model.id,
      version: model.version,
      change: change as never,
      fields: model.fields as never,
      actorId,
    });
  }

  /**
   * A unique index on the field's live values, built inside the schema change's transaction so that
   * duplicates already stored refuse the change (23505) instead of leaving half a constraint.
   */
  async createUniqueIndex(manager: EntityManager, modelId: string, field: FieldSpec): Promise<void> {
    const { unique } = fieldIndexNames(modelId, field.id);
    await manager.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS "${unique}" ON core.data_record (${indexExpression(field)}) WHERE model_id = ${Number(modelId)} AND deleted_at IS NULL`,
    );
  }

  /** A btree on (value, id) for the model's live records: serves range filters and sorted pages. */
  async createPlainIndex(modelId: string, field: FieldSpec): Promise<void> {
    const { plain } = fieldIndexNames(modelId, field.id);
    await this.dataSource.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "${plain}" ON core.data_record (${indexExpression(field)}, id) WHERE model_id = ${Number(modelId)} AND deleted_at IS NULL`,
    );
  }

  async dropIndex(manager: EntityManager, name: string): Promise<void> {
    if (!/^(ix|uq)_dr_\d{1,19}_f\d{1,6}$/.test(name)) throw new Error(`refusing to drop ${name}`);
    await manager.query(`DROP INDEX IF EXISTS core."${name}"`);
  }
}
