import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '@app/auth';
import { type MenuEntity, StaffEntity } from '@app/database';
import { mapStaff, type MenuRefDto, type UpdateProfileDto } from '../staff/staff.dto';
import { StaffService } from '../staff/staff.service';
import { StaffRepository } from '../staff/staff.repository';
import type { MeDto } from './me.dto';

/** The signed-in member's own view: profile, menus, permissions, data scope. */
@Injectable()
export class MeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly staff: StaffRepository,
    private readonly staffService: StaffService,
  ) {}

  async update(principal: Principal, dto: UpdateProfileDto): Promise<MeDto> {
    await this.staffService.updateProfile(principal, dto);
    return this.me(principal);
  }

  async me(principal: Principal): Promise<MeDto> {
    const staffId = principal.staffId!;
    const manager = this.dataSource.manager;
    const self = await manager.findOneByOrFail(StaffEntity, { id: staffId });
    const [row] = await this.staff.withDetails([self], false);
    const [direct, viaGroups] = await Promise.all([
      this.staff.directMenus(manager, staffId),
      this.staff.groupMenus(manager, staffId),
    ]);
    const menus = new Map<string, MenuRefDto>();
    for (const m of [...direct, ...viaGroups] as MenuEntity[]) {
      menus.set(m.id, { id: m.id, name: m.name, content: m.content, note: m.note });
    }
    const actor = principal.actor;
    return {
      profile: mapStaff(row),
      menus: [...menus.values()],
      permissions: actor.permissions,
      dataScope: actor.dataScope,
      departmentIds: actor.departmentIds,
      mustChangePassword: principal.mustChangePassword,
      applicationId: principal.applicationId,
    };
  }
}
