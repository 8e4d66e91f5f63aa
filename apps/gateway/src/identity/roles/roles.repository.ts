import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { pageOffset, type PageQueryDto } from '@app/common';
import { RoleEntity, StaffRoleEntity } from '@app/database';

export type NewRole = Pick<RoleEntity, 'code' | 'name' | 'description' | 'permissions' | 'dataScope'>;

/** Role queries; writes take the caller's transaction (the change feed's). */
@Injectable()
export class RolesRepository {
  constructor(private readonly dataSource: DataSource) {}

  findPage(page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>): Promise<[RoleEntity[], number]> {
    return this.dataSource.manager.findAndCount(RoleEntity, {
      order: { id: 'ASC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
  }

  findById(id: string): Promise<RoleEntity | null> {
    return this.dataSource.manager.findOne(RoleEntity, { where: { id } });
  }

  lockById(manager: EntityManager, id: string): Promise<RoleEntity | null> {
    return manager.findOne(RoleEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, role: NewRole): Promise<string> {
    const inserted = await manager.insert(RoleEntity, role);
    return String(inserted.identifiers[0].id);
  }

  async update(manager: EntityManager, id: string, values: Partial<RoleEntity>): Promise<void> {
    await manager.update(RoleEntity, { id }, values);
  }

  /** Held by anyone, deleted members included (their grants stay on record). */
  isHeld(manager: EntityManager, id: string): Promise<boolean> {
    return manager.exists(StaffRoleEntity, { where: { roleId: id } });
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(RoleEntity, { id });
  }
}
