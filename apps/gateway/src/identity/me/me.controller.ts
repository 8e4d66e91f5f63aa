import { Body, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';
import { ApiEnvelope, PlatformController } from '@app/common';
import { AllowPendingPasswordChange, CurrentPrincipal, type Principal, StaffOnly } from '@app/auth';
import { UpdateProfileDto } from '../staff/staff.dto';
import { MeDto } from './me.dto';
import { MeService } from './me.service';

@PlatformController('me', 'identity: me')
@ApiBearerAuth()
@StaffOnly()
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  @AllowPendingPasswordChange()
  @ApiOperation({ summary: 'My profile, menus, permissions and data scope' })
  @ApiEnvelope(MeDto, { errors: [ErrorCode.InvalidToken] })
  get(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    return this.me.me(principal);
  }

  @Patch()
  @ApiOperation({
    summary:
      'Edit my profile (nickname, avatar, sex, birthday, address, school, education, political affiliation)',
    description: 'Any other field (status, roles, password, department, …) is ignored.',
  })
  @ApiEnvelope(MeDto, { errors: [ErrorCode.InvalidToken] })
  update(@CurrentPrincipal() principal: Principal, @Body() dto: UpdateProfileDto): Promise<MeDto> {
    return this.me.update(principal, dto);
  }
}
