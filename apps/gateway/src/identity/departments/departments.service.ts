import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppException } from '@app/common';
import type { DepartmentEntity } from '@app/database';
import { DirectoryRepository } from '../directory/directory.repository';
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
import { DepartmentsRepository } from './departments.repository';

/**
 * The department tree. Any change may move records in or out of someone's `department_and_below`
 * scope, so every write tells all replicas to re-resolve callers.
 */
@Injectable()
export class DepartmentsService {
  constructor(
    private readonly departments: DepartmentsRepository,
    private readonly directory: DirectoryRepository,
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
    const id = await this.feed.directoryChange(async (manager, changed) => {
      await this.checkRefs(manager, dto);
      const departmentId = await this.departments.insert(manager, {
        name: dto.name,
        parentId: dto.parentId ?? null,
        managerId: dto.managerId ?? null,
        sortOrder: dto.sortOrder ?? 0,
        note: dto.note ?? null,
      });
      changed({ kind: 'all' });
      return departmentId;
    });
    return this.get(id);
  }

  async update(id: string, dto: UpdateDepartmentDto): Promise<DepartmentDto> {
    await this.feed.directoryChange(async (manager, changed) => {
      const current = await this.departments.lockById(manager, id);
      if (!current) throw AppException.notFound('department', id);
      await this.checkRefs(manager, dto);
      if (dto.parentId) {
        if ((await this.departments.subtreeIds(manager, id)).includes(dto.parentId)) {
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
      if (Object.keys(values).length > 0) await this.departments.update(manager, id, values);
      changed({ kind: 'all' });
    });
    return this.get(id);
  }

  /** Only an empty department goes: no sub-departments, no members (deleted ones included). */
  async remove(id: string): Promise<void> {
    await this.feed.directoryChange(async (manager, changed) => {
      if (!(await this.departments.exists(manager, id))) throw AppException.notFound('department', id);
      if (await this.departments.hasChildren(manager, id)) {
        throw IdentityException.inConflict(
          IdentityReason.DepartmentHasChildren,
          'move or delete its sub-departments first',
        );
      }
      if (await this.departments.hasStaff(manager, id)) {
        throw IdentityException.inConflict(IdentityReason.DepartmentHasStaff, 'move its members first');
      }
      await this.departments.delete(manager, id);
      changed({ kind: 'all' });
    });
  }

  private async checkRefs(manager: EntityManager, dto: UpdateDepartmentDto): Promise<void> {
    if (dto.parentId && !(await this.departments.exists(manager, dto.parentId))) {
      throw AppException.invalid([{ field: 'parentId', reason: 'unknown department' }]);
    }
    if (dto.managerId && (await this.directory.members([dto.managerId], manager)).length === 0) {
      throw AppException.invalid([{ field: 'managerId', reason: 'unknown or deleted staff member' }]);
    }
  }

  /** Departments with their managers' names and member counts (the tree's, or one node's). */
  private async rows(id?: string): Promise<DepartmentRow[]> {
    const rows = await this.departments.findWithManagerNames(id);
    const counts = await this.directory.memberCounts(
      'department',
      rows.map((row) => row.id),
    );
    return rows.map(({ managerName, ...department }) => ({
      department,
      managerName,
      staffCount: counts.get(department.id) ?? 0,
    }));
  }
}
