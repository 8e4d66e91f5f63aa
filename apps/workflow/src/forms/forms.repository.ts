import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, LessThanOrEqual } from 'typeorm';
import { containsPattern } from '@app/common';
import type { Actor } from '@app/contracts';
import {
  FormDefinitionEntity,
  ProcessDefinitionEntity,
  ProcessInstanceEntity,
  TaskEntity,
} from '@app/database';

/** Versioned form definitions, and the rows a process form is read from. */
@Injectable()
export class FormsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in a transaction of its own. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Saves the next version of a key; the advisory lock on the key makes concurrent saves take 1, 2, 3 … */
  async saveNextVersion(
    manager: EntityManager,
    input: { formKey: string; name: string; schema: Record<string, unknown>; actor?: Actor },
  ): Promise<FormDefinitionEntity> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('form:' || $1))`, [input.formKey]);
    const [{ next }] = (await manager.query(
      `SELECT COALESCE(max(version), 0) + 1 AS next FROM workflow.form_definition WHERE form_key = $1`,
      [input.formKey],
    )) as { next: number }[];
    const repo = manager.getRepository(FormDefinitionEntity);
    return repo.save(
      repo.create({
        formKey: input.formKey,
        version: Number(next),
        name: input.name,
        schema: input.schema,
        createdBy: input.actor?.id ?? null,
      }),
    );
  }

  /** The newest version of every key (optionally matching a keyword in key or name), one page. */
  async pageOfNewest(
    keyword: string | undefined,
    pageNum: number,
    pageSize: number,
  ): Promise<{ rows: FormDefinitionEntity[]; total: number }> {
    const filter = keyword ? `WHERE form_key ILIKE $1 OR name ILIKE $1` : '';
    const params: unknown[] = keyword ? [containsPattern(keyword)] : [];
    const latest = `SELECT DISTINCT ON (form_key) id FROM workflow.form_definition ${filter} ORDER BY form_key, version DESC`;
    const ids: { id: string }[] = await this.dataSource.query(
      `${latest} LIMIT ${pageSize} OFFSET ${(pageNum - 1) * pageSize}`,
      params,
    );
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM (${latest}) l`,
      params,
    )) as { total: number }[];
    const rows = ids.length
      ? await this.dataSource.getRepository(FormDefinitionEntity).find({
          where: ids.map((r) => ({ id: String(r.id) })),
          order: { formKey: 'ASC' },
        })
      : [];
    return { rows, total };
  }

  /** One version of a key, or its newest. */
  findVersion(formKey: string, version?: number): Promise<FormDefinitionEntity | null> {
    return this.dataSource.getRepository(FormDefinitionEntity).findOne({
      where: { formKey, ...(version ? { version } : {}) },
      order: { version: 'DESC' },
    });
  }

  versionsOf(formKey: string): Promise<FormDefinitionEntity[]> {
    return this.dataSource
      .getRepository(FormDefinitionEntity)
      .find({ where: { formKey }, order: { version: 'DESC' } });
  }

  /**
   * The form a definition version uses for a (normalised) key: the newest version saved before the
   * definition was deployed (forms are versioned with the deployment), or the oldest if all came later.
   */
  async formAsDeployed(
    formKey: string,
    deployedAt: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<FormDefinitionEntity | null> {
    const repo = manager.getRepository(FormDefinitionEntity);
    return (
      (await repo.findOne({
        where: { formKey, createdAt: LessThanOrEqual(deployedAt) },
        order: { version: 'DESC' },
      })) ?? (await repo.findOne({ where: { formKey }, order: { version: 'ASC' } }))
    );
  }

  newestDefinition(definitionKey: string): Promise<ProcessDefinitionEntity | null> {
    return this.dataSource
      .getRepository(ProcessDefinitionEntity)
      .findOne({ where: { key: definitionKey }, order: { version: 'DESC' } });
  }

  instanceVariables(manager: EntityManager, instanceId: string): Promise<ProcessInstanceEntity | null> {
    return manager.findOneBy(ProcessInstanceEntity, { id: instanceId });
  }

  /** The named task of the instance, or its first open one. */
  taskOf(instanceId: string, taskId?: string): Promise<TaskEntity | null> {
    const manager = this.dataSource.manager;
    return taskId
      ? manager.findOneBy(TaskEntity, { id: taskId, instanceId })
      : manager.findOne(TaskEntity, { where: { instanceId, status: 'open' }, order: { id: 'ASC' } });
  }
}
