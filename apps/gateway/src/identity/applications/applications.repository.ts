import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { pageOffset, type PageQueryDto } from '@app/common';
import { ApplicationEntity } from '@app/database';

export type NewApplication = Pick<
  ApplicationEntity,
  | 'type'
  | 'clientId'
  | 'name'
  | 'note'
  | 'secretHash'
  | 'secretHint'
  | 'secretRotatedAt'
  | 'permissions'
  | 'dataScope'
  | 'createdBy'
>;

/** Registered application queries; writes take the caller's transaction (the change feed's). */
@Injectable()
export class ApplicationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findPage(
    filter: Partial<Pick<ApplicationEntity, 'type' | 'status'>>,
    page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
  ): Promise<[ApplicationEntity[], number]> {
    return this.dataSource.manager.findAndCount(ApplicationEntity, {
      where: {
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
      order: { id: 'ASC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
  }

  findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<ApplicationEntity | null> {
    return manager.findOne(ApplicationEntity, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  async insert(manager: EntityManager, app: NewApplication): Promise<string> {
    const inserted = await manager.insert(ApplicationEntity, app);
    return String(inserted.identifiers[0].id);
  }

  async update(manager: EntityManager, id: string, values: Partial<ApplicationEntity>): Promise<void> {
    await manager.update(ApplicationEntity, { id }, values);
  }
}
