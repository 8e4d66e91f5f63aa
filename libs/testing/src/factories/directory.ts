import type { DataSource } from 'typeorm';
import type { Actor } from '@app/contracts';
import type { CrmCustomerEntity, DepartmentEntity, StaffEntity } from '@app/database';
import { database } from '../lazy-libs';
import { makeActor } from './actor';

let seq = 0;
const unique = (prefix: string) => `${prefix}${(seq += 1)}_${process.pid}`;

export interface MadeStaff {
  staff: StaffEntity;
  /** The caller the gateway would build for this person (scope `own` unless given). */
  actor: Actor;
}

/** Rows of the gateway's directory (core schema): departments and staff, each with its actor. */
export class DirectoryFactory {
  constructor(private readonly core: DataSource) {}

  department(name = unique('dept'), parentId: string | null = null): Promise<DepartmentEntity> {
    const repo = this.core.getRepository(database().DepartmentEntity);
    return repo.save(repo.create({ name, parentId }));
  }

  async staff(options: { department?: DepartmentEntity; actor?: Partial<Actor> } = {}): Promise<MadeStaff> {
    const repo = this.core.getRepository(database().StaffEntity);
    const account = unique('user');
    const staff = await repo.save(
      repo.create({ account, realName: account, departmentId: options.department?.id ?? null }),
    );
    const actor = makeActor({
      id: String(staff.id),
      account,
      departmentId: staff.departmentId,
      ...options.actor,
    });
    return { staff, actor };
  }
}

/** CRM records (core schema) owned by a staff member, for scope and list rules. */
export class CrmFactory {
  constructor(private readonly core: DataSource) {}

  customer(owner: MadeStaff, fields: Partial<CrmCustomerEntity> = {}): Promise<CrmCustomerEntity> {
    const repo = this.core.getRepository(database().CrmCustomerEntity);
    return repo.save(
      repo.create({
        realName: unique('customer'),
        creatorId: String(owner.staff.id),
        ownerId: String(owner.staff.id),
        departmentId: owner.staff.departmentId,
        ...fields,
      }),
    );
  }
}
