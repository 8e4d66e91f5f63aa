import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { containsPattern } from '@app/common';
import type { ListDefinitionsCommand } from '@app/contracts';
import { ProcessDefinitionEntity } from '@app/database';

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
}
