import { Injectable } from '@nestjs/common';
import type { Principal } from '@app/auth';
import type { UpdateProfileDto } from '../staff/staff.dto';
import { StaffService } from '../staff/staff.service';
import type { MeDto } from './me.dto';
import { MeRepository } from './me.repository';

/** The signed-in member's own view: profile, menus, permissions, data scope. */
@Injectable()
export class MeService {
  constructor(
    private readonly repository: MeRepository,
    private readonly staffService: StaffService,
  ) {}

  async update(principal: Principal, dto: UpdateProfileDto): Promise<MeDto> {
    await this.staffService.updateProfile(principal, dto);
    return this.me(principal);
  }

  async me(principal: Principal): Promise<MeDto> {
    const { profile, menus } = await this.repository.ownView(principal.staffId!);
    const actor = principal.actor;
    return {
      profile,
      menus,
      permissions: actor.permissions,
      dataScope: actor.dataScope,
      departmentIds: actor.departmentIds,
      mustChangePassword: principal.mustChangePassword,
      applicationId: principal.applicationId,
    };
  }
}
