import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DepartmentEntity, StaffEntity } from '@app/database';

export type NewDepartment = Pick<DepartmentEntity, 'name' | 'parentId' | 'managerId' | 'sortOrder' | 'note'>;

/** Department tree queries; writes take the caller's transaction (the change feed's). */
@Injectable()
export class DepartmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The whole tree (or one node) in display order, with each manager's name. */
  findWithManagerNames(id?: string): Promise<(DepartmentEntity & { managerName: string | null })[]> {
    return this.dataSource.query(
      `SELECT d.id::text AS id, d.name, d.parent_id::text AS "parentId", d.manager_id::text AS "managerId",
              d.sort_order AS "sortOrder", d.note, d.created_at AS "createdAt", d.updated_at AS "updatedAt",
              m.real_name AS "managerName"
         FROM core.departments d LEFT JOIN core.staff m ON m.id = d.manager_id
        WHERE $1::bigint IS NULL OR d.id = $1::bigint
        ORDER BY d.sort_order, d.id`,
      [id ?? null],
    );
  }

  lockById(manager: EntityManager, id: string): Promise<DepartmentEntity | null> {
    return manager.findOne(DepartmentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The department and every department below it. */
  async subtreeIds(manager: EntityManager, id: string): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `WITH RECURSIVE tree AS (SELECT id FROM core.departments WHERE id = $1
         UNION SELECT d.id FROM core.departments d JOIN tree t ON d.parent_id = t.id)
       SELECT id::text AS id FROM tree`,
      [id],
    );
    return rows.map((row) => row.id);
  }

  exists(manager: EntityManager, id: string): Promise<boolean> {
    return manager.exists(DepartmentEntity, { where: { id } });
  }

  hasChildren(manager: EntityManager, id: string): Promise<boolean> {
    return manager.exists(DepartmentEntity, { where: { parentId: id } });
  }

  /** Any member, deleted ones included: their records still point at the department. */
  hasStaff(manager: EntityManager, id: string): Promise<boolean> {
    return manager.exists(StaffEntity, { where: { departmentId: id } });
  }

  async insert(manager: EntityManager, department: NewDepartment): Promise<string> {
    const inserted = await manager.insert(DepartmentEntity, department);
    return String(inserted.identifiers[0].id);
  }

  async update(manager: EntityManager, id: string, values: Partial<DepartmentEntity>): Promise<void> {
    await manager.update(DepartmentEntity, { id }, values);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(DepartmentEntity, { id });
  }
}
