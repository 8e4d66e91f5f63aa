import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { containsPattern } from '@app/common';
import type { ListDefinitionsCommand } from '@app/contracts';
import { DefinitionCategoryEntity, FormDefinitionEntity, ProcessDefinitionEntity } from '@app/database';

export interface DefinitionRow {
  entity: ProcessDefinitionEntity;
  latest: boolean;
}

@Injectable()
export class DefinitionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findPage(query: ListDefinitionsCommand): Promise<{ rows: DefinitionRow[]; total: number }> {
    // A list never needs the documents themselves: reading every row's XML was most of its cost.
    const listed = this.dataSource
      .getMetadata(ProcessDefinitionEntity)
      .columns.filter((column) => column.propertyName !== 'xml')
      .map((column) => `d.${column.propertyName}`);
    const qb = this.dataSource
      .getRepository(ProcessDefinitionEntity)
      .createQueryBuilder('d')
      .select(listed)
      .addSelect(
        '(d.version = (SELECT max(v.version) FROM workflow.process_definition v WHERE v.key = d.key))',
        'd_is_latest',
      );
    if (query.key) qb.andWhere('d.key = :key', { key: query.key });
    if (query.name) qb.andWhere('d.name ILIKE :name', { name: containsPattern(query.name) });
    if (query.category) qb.andWhere('d.category = :category', { category: query.category });
    if (query.latestOnly || query.startableOnly) {
      qb.andWhere(
        'd.version = (SELECT max(v.version) FROM workflow.process_definition v WHERE v.key = d.key)',
      );
    }
    if (query.startableOnly) qb.andWhere('d.suspended = false');
    qb.orderBy('d.key', 'ASC')
      .addOrderBy('d.version', 'DESC')
      .skip((query.pageNum - 1) * query.pageSize)
      .take(query.pageSize);
    const [{ entities, raw }, total] = await Promise.all([qb.getRawAndEntities(), qb.getCount()]);
    return {
      rows: entities.map((entity, i) => ({
        entity,
        latest: (raw[i] as { d_is_latest: boolean }).d_is_latest,
      })),
      total,
    };
  }

  async isLatest(entity: ProcessDefinitionEntity): Promise<boolean> {
    const max = await this.dataSource
      .getRepository(ProcessDefinitionEntity)
      .maximum('version', { key: entity.key });
    return max === entity.version;
  }

  /** Runs `work` in a transaction of its own. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Serializes deploys of one key (transaction-scoped), so versions never collide. */
  async lockKey(manager: EntityManager, key: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`definition:${key}`]);
  }

  newestVersion(key: string, manager: EntityManager = this.dataSource.manager): Promise<number | null> {
    return manager.getRepository(ProcessDefinitionEntity).maximum('version', { key });
  }

  insert(
    manager: EntityManager,
    definition: Omit<ProcessDefinitionEntity, 'id' | 'deployedAt'>,
  ): Promise<ProcessDefinitionEntity> {
    const repo = manager.getRepository(ProcessDefinitionEntity);
    return repo.save(repo.create(definition));
  }

  async update(
    id: string,
    changes: Partial<Pick<ProcessDefinitionEntity, 'suspended' | 'category'>>,
  ): Promise<void> {
    await this.dataSource.getRepository(ProcessDefinitionEntity).update({ id }, changes);
  }

  /** Which of these form keys have a stored form. */
  async existingFormKeys(keys: string[]): Promise<Set<string>> {
    const rows = await this.dataSource
      .getRepository(FormDefinitionEntity)
      .createQueryBuilder('f')
      .select('DISTINCT f.formKey', 'formKey')
      .where('f.formKey IN (:...keys)', { keys })
      .getRawMany<{ formKey: string }>();
    return new Set(rows.map((row) => row.formKey));
  }

  categories(): Promise<DefinitionCategoryEntity[]> {
    return this.dataSource
      .getRepository(DefinitionCategoryEntity)
      .find({ order: { sortOrder: 'ASC', code: 'ASC' } });
  }

  findCategory(id: string): Promise<DefinitionCategoryEntity | null> {
    return this.dataSource.getRepository(DefinitionCategoryEntity).findOneBy({ id });
  }

  categoryExists(code: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(DefinitionCategoryEntity).existsBy({ code });
  }

  /** Inserts or updates a category (a duplicate code fails with 23505). */
  saveCategory(category: Partial<DefinitionCategoryEntity>): Promise<DefinitionCategoryEntity> {
    const repo = this.dataSource.getRepository(DefinitionCategoryEntity);
    return repo.save(category.id ? (category as DefinitionCategoryEntity) : repo.create(category));
  }

  isCategoryUsed(code: string): Promise<boolean> {
    return this.dataSource.getRepository(ProcessDefinitionEntity).existsBy({ category: code });
  }

  async deleteCategory(id: string): Promise<void> {
    await this.dataSource.getRepository(DefinitionCategoryEntity).delete({ id });
  }

  /** One version (with its XML); in `manager`'s transaction when given. */
  findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProcessDefinitionEntity | null> {
    return manager.getRepository(ProcessDefinitionEntity).findOneBy({ id });
  }

  /** The newest version of a key (with its XML). */
  findLatestVersion(
    key: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProcessDefinitionEntity | null> {
    return manager
      .getRepository(ProcessDefinitionEntity)
      .findOne({ where: { key }, order: { version: 'DESC' } });
  }
}
