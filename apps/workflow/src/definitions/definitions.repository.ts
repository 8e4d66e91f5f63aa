import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { containsPattern } from '@app/common';
import type { ListDefinitionsCommand } from '@app/contracts';
import {
  DefinitionCategoryEntity,
  FormDefinitionEntity,
  ProcessDefinitionEntity,
  queryRows,
} from '@app/database';
import { startableSql } from '../common/starters';
import { hydrate, selection } from '../execution/entity-sql';
import { sendStatements } from '../execution/statement-pipeline';

/** What a definition list shows of a definition (`mapDefinition`). */
export type ListedDefinition = Omit<ProcessDefinitionEntity, 'xml' | 'fingerprint' | 'starters'>;

const LATEST_VERSION = '(SELECT max(v.version) FROM workflow.process_definition v WHERE v.key = d.key)';

export interface DefinitionRow {
  entity: ListedDefinition;
  latest: boolean;
}

@Injectable()
export class DefinitionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A page of definitions with whether each is its key's latest version, and the total. Through pg
   * (the count only when the page is full or past the end): a list never needs the documents, and the
   * query builder with entity hydration was most of its CPU (docs/performance.md).
   */
  async findPage(query: ListDefinitionsCommand): Promise<{ rows: DefinitionRow[]; total: number }> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (query.key) where.push(`d.key = ${param(query.key)}`);
    if (query.name) where.push(`d.name ILIKE ${param(containsPattern(query.name))}`);
    if (query.category) where.push(`d.category = ${param(query.category)}`);
    if (query.latestOnly || query.startableOnly) where.push(`d.version = ${LATEST_VERSION}`);
    if (query.startableOnly) {
      where.push('d.suspended = false');
      const mine = startableSql(query.actor, 'd.starters', param);
      if (mine) where.push(mine);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const offset = (query.pageNum - 1) * query.pageSize;
    const rows = await queryRows<ListedDefinition & { latest: boolean }>(
      this.dataSource,
      `SELECT d.id, d.key, d.version, d.name, d.category, d.description, d.serial_code AS "serialCode",
              d.resource_name AS "resourceName", d.start_form_key AS "startFormKey", d.suspended,
              d.deployed_by AS "deployedBy", d.deployed_at AS "deployedAt", d.version = ${LATEST_VERSION} AS latest
         FROM workflow.process_definition d ${filter}
        ORDER BY d.key ASC, d.version DESC LIMIT ${query.pageSize} OFFSET ${offset}`,
      params,
    );
    const page = rows.map(({ latest, ...entity }) => ({ entity, latest }));
    if (rows.length > 0 ? rows.length < query.pageSize : offset === 0)
      return { rows: page, total: offset + rows.length };
    const [{ total }] = await queryRows<{ total: number }>(
      this.dataSource,
      `SELECT count(*)::int AS total FROM workflow.process_definition d ${filter}`,
      params,
    );
    return { rows: page, total };
  }

  /** Versions whose starters were never read from their XML (stored by code older than the column). */
  withoutStarters(skip: string[]): Promise<Array<{ id: string; xml: string }>> {
    return queryRows(
      this.dataSource,
      `SELECT id, xml FROM workflow.process_definition
        WHERE starters IS NULL AND NOT (id = ANY($1::bigint[])) ORDER BY id`,
      [skip],
    );
  }

  async setStarters(id: string, starters: string[]): Promise<void> {
    await this.dataSource.query('UPDATE workflow.process_definition SET starters = $2 WHERE id = $1', [
      id,
      starters,
    ]);
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

  /**
   * One version; in `manager`'s transaction when given. Without `withXml` the document is left out
   * (`xml` is then empty): the registry keeps the XML of the versions it has compiled.
   */
  findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
    withXml = true,
  ): Promise<ProcessDefinitionEntity | null> {
    return this.version(manager, withXml, 'd.id = $1', id);
  }

  /** The newest version of a key (see findById for `withXml`). */
  findLatestVersion(
    key: string,
    manager: EntityManager = this.dataSource.manager,
    withXml = true,
  ): Promise<ProcessDefinitionEntity | null> {
    return this.version(manager, withXml, 'd.key = $1 ORDER BY d.version DESC LIMIT 1', key);
  }

  async xmlOf(id: string, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const rows: Array<{ xml: string }> = await manager.query(
      'SELECT xml FROM workflow.process_definition WHERE id = $1',
      [id],
    );
    return rows[0]?.xml ?? '';
  }

  /**
   * One row of `SELECT … WHERE <where>` (raw: a start's first statement, which carries its BEGIN when
   * the transaction is pipelined).
   */
  private async version(
    manager: EntityManager,
    withXml: boolean,
    where: string,
    value: string,
  ): Promise<ProcessDefinitionEntity | null> {
    const columns = selection(
      manager.connection.getMetadata(ProcessDefinitionEntity),
      'd',
      withXml ? [] : ['xml'],
    );
    const [found] = await sendStatements(manager, [
      { sql: `SELECT ${columns} FROM workflow.process_definition d WHERE ${where}`, params: [value] },
    ]);
    return found.rows[0] ? hydrate(ProcessDefinitionEntity, found.rows[0], 'd') : null;
  }
}
