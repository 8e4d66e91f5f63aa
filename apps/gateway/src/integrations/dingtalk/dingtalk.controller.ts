import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';
import { ApiEnvelope, PlatformController } from '@app/common';
import { type Actor, CurrentActor, RequirePermissions } from '@app/auth';
import {
  AttendanceQueryDto,
  AttendanceWindowDto,
  DingTalkAttendanceDto,
  DingTalkDepartmentDto,
  DingTalkUserDto,
} from './dingtalk.dto';
import type { DingTalkAttendance, DingTalkDepartment, DingTalkUser } from './dingtalk.client';
import { DingTalkService } from './dingtalk.service';
import { DirectorySyncDto, DirectorySyncReplyDto } from './directory-sync.dto';
import { DirectorySyncService } from './directory-sync.service';

const ERRORS = [
  ErrorCode.InvalidToken,
  ErrorCode.NoPermission,
  ErrorCode.Conflict,
  ErrorCode.UpstreamFailure,
];

@PlatformController('integrations/dingtalk', 'integrations: DingTalk')
export class DingTalkController {
  constructor(
    private readonly dingtalk: DingTalkService,
    private readonly directory: DirectorySyncService,
  ) {}

  @Post('directory-sync')
  @HttpCode(200)
  @RequirePermissions('department:write', 'staff:write')
  @ApiOperation({
    summary:
      'Copy DingTalk departments and staff into the directory (administrators: both write permissions and data scope all); idempotent; dryRun plans only',
  })
  @ApiEnvelope(DirectorySyncReplyDto, { errors: [...ERRORS, ErrorCode.InvalidParameter] })
  directorySync(@CurrentActor() actor: Actor, @Body() dto: DirectorySyncDto): Promise<DirectorySyncReplyDto> {
    return this.directory.sync(actor, dto);
  }

  @Get('departments/:id/tree')
  @RequirePermissions('dingtalk:read')
  @ApiOperation({ summary: 'A DingTalk department and all below it (S002-12; the company root is 1)' })
  @ApiEnvelope(DingTalkDepartmentDto, { errors: ERRORS })
  tree(@Param('id') id: string): Promise<DingTalkDepartment> {
    return this.dingtalk.departmentTree(id);
  }

  @Get('departments/:id/users')
  @RequirePermissions('dingtalk:read')
  @ApiOperation({ summary: 'Direct members of a DingTalk department, every page (S002-13)' })
  @ApiEnvelope(DingTalkUserDto, { isArray: true, errors: ERRORS })
  users(@Param('id') id: string): Promise<DingTalkUser[]> {
    return this.dingtalk.usersOf(id);
  }

  @Get('users/:id/attendance')
  @RequirePermissions('dingtalk:read')
  @ApiOperation({ summary: 'Attendance records of one DingTalk user between two days (S002-14)' })
  @ApiEnvelope(DingTalkAttendanceDto, { isArray: true, errors: ERRORS })
  userAttendance(
    @Param('id') id: string,
    @Query() query: AttendanceWindowDto,
  ): Promise<DingTalkAttendance[]> {
    return this.dingtalk.attendance([id], query.startTime, query.endTime);
  }

  @Get('attendance')
  @RequirePermissions('dingtalk:read')
  @ApiOperation({ summary: 'Attendance of several users (asked of DingTalk in 7-day × 50-user requests)' })
  @ApiEnvelope(DingTalkAttendanceDto, { isArray: true, errors: ERRORS })
  attendance(@Query() query: AttendanceQueryDto): Promise<DingTalkAttendance[]> {
    return this.dingtalk.attendance(query.userIds, query.startTime, query.endTime);
  }
}
