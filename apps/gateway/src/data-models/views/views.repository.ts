import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { DataViewEntity } from '@app/database';

type ViewFields = Pick<DataViewEntity, 'name' | 'type' | 'shared' | 'config'>;

/** Queries of saved views; a caller sees the shared views of a model and their own, nothing else. */
@Injectable()
export class ViewsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Shared first, then by id. */
  listVisible(modelId: string, viewerId: string): Promise<DataViewEntity[]> {
    return this.visible(modelId, viewerId).orderBy('v.shared', 'DESC').addOrderBy('v.id', 'ASC').getMany();
  }

  findVisible(modelId: string, viewerId: string, id: string): Promise<DataViewEntity | null> {
    return this.visible(modelId, viewerId).andWhere('v.id = :id', { id }).getOne();
  }

  async insert(view: ViewFields & Pick<DataViewEntity, 'modelId' | 'ownerId'>): Promise<string> {
    const inserted = await this.dataSource.manager.insert(DataViewEntity, view as never); // TypeORM's deep partial refuses a jsonb Record
    return String(inserted.identifiers[0].id);
  }

  async update(id: string, fields: ViewFields): Promise<void> {
    await this.dataSource.manager.update(DataViewEntity, { id }, fields as never);
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.manager.delete(DataViewEntity, { id });
  }

  private visible(modelId: string, viewerId: string): SelectQueryBuilder<DataViewEntity> {
    return this.dataSource.manager
      .createQueryBuilder(DataViewEntity, 'v')
      .where('v.model_id = :modelId', { modelId })
      .andWhere('(v.shared OR v.owner_id = :me)', { me: viewerId });
  }
}
