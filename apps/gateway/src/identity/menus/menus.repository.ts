import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { pageOffset, type PageQueryDto } from '@app/common';
import { MenuEntity } from '@app/database';

export type NewMenu = Pick<MenuEntity, 'name' | 'content' | 'note' | 'permissions' | 'sortOrder'>;

/** Menu queries; writes take the caller's transaction (the change feed's). */
@Injectable()
export class MenusRepository {
  constructor(private readonly dataSource: DataSource) {}

  findPage(page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>): Promise<[MenuEntity[], number]> {
    return this.dataSource.manager.findAndCount(MenuEntity, {
      order: { sortOrder: 'ASC', id: 'ASC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<MenuEntity | null> {
    return manager.findOne(MenuEntity, { where: { id } });
  }

  /** The menus among these ids (a grant checks that every one exists). */
  findByIds(manager: EntityManager, ids: string[]): Promise<MenuEntity[]> {
    return ids.length ? manager.find(MenuEntity, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  lockById(manager: EntityManager, id: string): Promise<MenuEntity | null> {
    return manager.findOne(MenuEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(menu: NewMenu): Promise<string> {
    const inserted = await this.dataSource.manager.insert(MenuEntity, menu);
    return String(inserted.identifiers[0].id);
  }

  async update(manager: EntityManager, id: string, values: Partial<MenuEntity>): Promise<void> {
    await manager.update(MenuEntity, { id }, values);
  }

  /** Group and member grants of the menu go with it (foreign keys cascade). */
  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(MenuEntity, { id });
  }
}
