import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppException } from '@app/common';
import { DepartmentEntity, StaffEntity } from '@app/database';
import { IdentityException, IdentityReason } from '../identity.exception';
import { IdentityChangeFeed } from '../shared/identity-change-feed';
import {
  type CreateDepartmentDto,
  type DepartmentDto,
  type DepartmentNodeDto,
  type DepartmentRow,
  mapDepartment,
  toTree,
  type UpdateDepartmentDto,
} from './department.dto';

/**
 * The department tree. Any change may move records in or out of someone's `department_and_below`
 * scope, so every write tells all replicas to re-resolve callers.
 */
@Injectable()
export class DepartmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly feed: IdentityChangeFeed,
  ) {}

  async tree(): Promise<DepartmentNodeDto[]> {
    return toTree(await this.rows());
  }

  async get(id: string): Promise<DepartmentDto> {
    const [row] = await this.rows(id);
    if (!row) throw AppException.notFound('department', id);
    return mapDepartment(row);
  }

  async create(dto: CreateDepartmentDto): Promise<DepartmentDto> {
    const id = await this.feed.transaction(async (manager, changed) => {
      await this.checkRefs(manager, dto);
      const inserted = await manager.insert(DepartmentEntity, {
        name: dto.name,
        parentId: dto.parentId ?? null,
        managerId: dto.managerId ?? null,
        sortOrder: dto.sortOrder ?? 0,
        note: dto.note ?? null,
      });
      changed({ kind: 'all' });
      return String(inserted.identifiers[0].id);
    });
    return this.get(id);
  }

  async update(id: string, dto: UpdateDepartmentDto): Promise<DepartmentDto> {
    await this.feed.transaction(async (manager, changed) => {
      const current = await manager
        .getRepository(DepartmentEntity)
        .createQueryBuilder('d')
        .setLock('pessimistic_write')
        .where('d.id = :id', { id })
        .getOne();
      if (!current) throw AppException.notFound('department', id);
      await this.checkRefs(manager, dto);
      if (dto.parentId) {
        const below: { id: string }[] = await manager.query(
          `WITH RECURSIVE tree AS (SELECT id FROM core.departments WHERE id = $1
             UNION SELECT d.id FROM core.departments d JOIN tree t ON d.parent_id = t.id)
           SELECT id::text AS id FROM tree`,
          [id],
        );
        if (below.some((row) => row.id === dto.parentId)) {
          throw IdentityException.inConflict(
            IdentityReason.DepartmentCycle,
            'a department cannot move under itself',
            [{ field: 'parentId', reason: 'parentId is the department itself or below it' }],
          );
        }
      }
      const values: Partial<DepartmentEntity> = {};
      if (dto.name !== undefined) values.name = dto.name;
      if (dto.parentId !== undefined) values.parentId = dto.parentId;
      if (dto.managerId !== undefined) values.managerId = dto.managerId;
      if (dto.sortOrder !== undefined) values.sortOrder = dto.sortOrder;
      if (dto.note !== undefined) values.note = dto.note;
      if (Object.keys(values).length > 0) await manager.update(DepartmentEntity, { id }, values);
      changed({ kind: 'all' });
    });
    return this.get(id);
  }

  /** Only an empty department goes: no sub-departments, no members (deleted ones included). */
  async remove(id: string): Promise<void> {
    await this.feed.transaction(async (manager, changed) => {
      if (!(await manager.exists(DepartmentEntity, { where: { id } })))
        throw AppException.notFound('department', id);
      if (await manager.exists(DepartmentEntity, { where: { parentId: id } })) {
        throw IdentityException.inConflict(
          IdentityReason.DepartmentHasChildren,
          'move or delete its sub-departments first',
        );
      }
      if (await manager.exists(StaffEntity, { where: { departmentId: id } })) {
        throw IdentityException.inConflict(IdentityReason.DepartmentHasStaff, 'move its members first');
      }
      await manager.delete(DepartmentEntity, { id });
      changed({ kind: 'all' });
    });
  }

  private async checkRefs(manager: EntityManager, dto: UpdateDepartmentDto): Promise<void> {
    if (dto.parentId && !(await manager.exists(DepartmentEntity, { where: { id: dto.parentId } }))) {
      throw AppException.invalid([{ field: 'parentId', reason: 'unknown department' }]);
    }
    if (dto.managerId) {
      const manager_ = await manager.findOne(StaffEntity, { where: { id: dto.managerId } });
      if (!manager_ || manager_.status === 'deleted') {
        throw AppException.invalid([{ field: 'managerId', reason: 'unknown or deleted staff member' }]);
      }
    }
  }

  /** One query for the whole tree (or one node): departments with manager name and member count. */
  private async rows(id?: string): Promise<DepartmentRow[]> {
    const rows: (DepartmentEntity & { managerName: string | null; staffCount: number })[] =
      await this.dataSource.query(
        `SELECT d.id::text AS id, d.name, d.parent_id::text AS "parentId", d.manager_id::text AS "managerId",
              d.sort_order AS "sortOrder", d.note, d.created_at AS "createdAt", d.updated_at AS "updatedAt",
              m.real_name AS "managerName",
              (SELECT count(*) FROM core.staff s WHERE s.department_id = d.id AND s.status <> 'deleted')::int AS "staffCount"
         FROM core.departments d LEFT JOIN core.staff m ON m.id = d.manager_id
        WHERE $1::bigint IS NULL OR d.id = $1::bigint
        ORDER BY d.sort_order, d.id`,
        [id ?? null],
      );
    return rows.map(({ managerName, staffCount, ...department }) => ({
      department,
      managerName,
      staffCount,
    }));
  }
}
