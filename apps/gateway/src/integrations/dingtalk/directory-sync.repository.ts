import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DepartmentEntity, StaffEntity } from '@app/database';

export interface LocalDepartment {
  id: string;
  name: string;
  parentId: string | null;
  dingtalkId: string | null;
}
export interface LocalStaff {
  id: string;
  realName: string;
  phone: string | null;
  employeeNo: string | null;
  title: string | null;
  departmentId: string | null;
  dingtalkUserId: string | null;
  status: string;
}

/** The directory rows a DingTalk sync reads and writes (departments and staff, by their DingTalk link). */
@Injectable()
export class DirectorySyncRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Reads outside a transaction (the dry run). */
  manager(): EntityManager {
    return this.dataSource.manager;
  }

  linkedDepartments(manager: EntityManager = this.dataSource.manager): Promise<LocalDepartment[]> {
    return manager
      .getRepository(DepartmentEntity)
      .createQueryBuilder('d')
      .select(['d.id', 'd.name', 'd.parentId', 'd.dingtalkId'])
      .where('d.dingtalkId IS NOT NULL')
      .getMany();
  }

  /** Members a DingTalk user may be: already linked, or matching by phone or employee number. */
  candidateStaff(
    userIds: string[],
    phones: string[],
    employeeNos: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LocalStaff[]> {
    return manager
      .getRepository(StaffEntity)
      .createQueryBuilder('s')
      .select([
        's.id',
        's.realName',
        's.phone',
        's.employeeNo',
        's.title',
        's.departmentId',
        's.dingtalkUserId',
        's.status',
      ])
      .where('s.status <> :deleted', { deleted: 'deleted' })
      .andWhere(
        '(s.dingtalkUserId = ANY(:userIds) OR s.phone = ANY(:phones) OR s.employeeNo = ANY(:employeeNos) OR s.dingtalkUserId IS NOT NULL)',
        { userIds, phones, employeeNos },
      )
      .getMany();
  }

  async insertDepartment(
    manager: EntityManager,
    values: { name: string; parentId: string | null; dingtalkId: string },
  ): Promise<string> {
    const inserted = await manager.insert(DepartmentEntity, { ...values, sortOrder: 0, note: null });
    return String(inserted.identifiers[0].id);
  }

  async updateDepartment(
    manager: EntityManager,
    id: string,
    values: Partial<Pick<DepartmentEntity, 'name' | 'parentId'>>,
  ): Promise<void> {
    await manager.update(DepartmentEntity, { id }, values);
  }

  async insertStaff(
    manager: EntityManager,
    values: Pick<
      StaffEntity,
      'realName' | 'phone' | 'employeeNo' | 'title' | 'departmentId' | 'dingtalkUserId'
    >,
  ): Promise<string> {
    // No account and no password: the member signs in once an administrator gives them both.
    const inserted = await manager.insert(StaffEntity, { ...values, status: 'enabled', type: 'staff' });
    return String(inserted.identifiers[0].id);
  }

  async updateStaff(
    manager: EntityManager,
    id: string,
    values: Partial<
      Pick<StaffEntity, 'realName' | 'phone' | 'employeeNo' | 'title' | 'departmentId' | 'dingtalkUserId'>
    >,
  ): Promise<void> {
    await manager.update(StaffEntity, { id }, values);
  }
}
