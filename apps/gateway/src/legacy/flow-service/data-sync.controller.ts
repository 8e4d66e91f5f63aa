import { Controller, Get, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermissions, TrustedNetworkCallers } from '@app/auth';
import type { Actor } from '@app/contracts';
import type { ErpSyncRunDto } from '../../integrations/erp/erp.dto';
import { ErpSyncService } from '../../integrations/erp/erp-sync.service';
import { DingTalkService } from '../../integrations/dingtalk/dingtalk.service';
import type {
  DingTalkAttendance,
  DingTalkDepartment,
  DingTalkUser,
} from '../../integrations/dingtalk/dingtalk.client';
import { FlowServiceExceptionFilter } from './flow-service-exception.filter';
import {
  DataSyncDto,
  DingTalkAttendanceLegacyDto,
  DingTalkDepartmentRefDto,
  FlowParams,
} from './flow-service.dto';

/**
 * Seed 002's ERP sync and DingTalk look-ups at their original paths (GET or POST, parameters in the
 * query or the body), over the platform's integrations (A-77, A-78). `data` is the platform answer:
 * the sync run (rows, end, error), the department tree, the users, the attendance records.
 */
@ApiTags('legacy 002: 流程服务')
@ApiBearerAuth()
@TrustedNetworkCallers()
@UseFilters(FlowServiceExceptionFilter)
@Controller()
export class DataSyncController {
  constructor(
    private readonly erp: ErpSyncService,
    private readonly dingtalk: DingTalkService,
  ) {}

  @Post('dataSync/create')
  @HttpCode(200)
  @RequirePermissions('erp:sync')
  @ApiOperation({ summary: '创建同步（慎用）(→ POST /api/v1/integrations/erp/syncs, mode create)' })
  @ApiQuery({ name: 'formId', required: true })
  create(@CurrentActor() actor: Actor, @FlowParams(DataSyncDto) dto: DataSyncDto): Promise<ErpSyncRunDto> {
    return this.erp.run(actor, dto.formId, 'create');
  }

  @Get('dataSync/create')
  @RequirePermissions('erp:sync')
  @ApiOperation({ summary: '创建同步（慎用）(GET twin)' })
  @ApiQuery({ name: 'formId', required: true })
  createByGet(
    @CurrentActor() actor: Actor,
    @FlowParams(DataSyncDto) dto: DataSyncDto,
  ): Promise<ErpSyncRunDto> {
    return this.erp.run(actor, dto.formId, 'create');
  }

  @Post('dataSync/update')
  @HttpCode(200)
  @RequirePermissions('erp:sync')
  @ApiOperation({ summary: '更新同步 (→ POST /api/v1/integrations/erp/syncs, mode update)' })
  @ApiQuery({ name: 'formId', required: true })
  update(@CurrentActor() actor: Actor, @FlowParams(DataSyncDto) dto: DataSyncDto): Promise<ErpSyncRunDto> {
    return this.erp.run(actor, dto.formId, 'update');
  }

  @Get('dataSync/update')
  @RequirePermissions('erp:sync')
  @ApiOperation({ summary: '更新同步 (GET twin)' })
  @ApiQuery({ name: 'formId', required: true })
  updateByGet(
    @CurrentActor() actor: Actor,
    @FlowParams(DataSyncDto) dto: DataSyncDto,
  ): Promise<ErpSyncRunDto> {
    return this.erp.run(actor, dto.formId, 'update');
  }

  @Get('dingtalk/department/getTree')
  @RequirePermissions('dingtalk:read')
  @ApiOperation({ summary: '查看部门信息 (→ GET /api/v1/integrations/dingtalk/departments/{id}/tree)' })
  @ApiQuery({ name: 'id', required: true, example: '1' })
  tree(@FlowParams(DingTalkDepartmentRefDto) dto: DingTalkDepartmentRefDto): Promise<DingTalkDepartment> {
    return this.dingtalk.departmentTree(dto.id);
  }

  @Get('dingtalk/user/getByDepartmentId')
  @RequirePermissions('dingtalk:read')
  @ApiOperation({ summary: '查看人员信息 (→ GET /api/v1/integrations/dingtalk/departments/{id}/users)' })
  @ApiQuery({ name: 'id', required: true, example: '373884383' })
  users(@FlowParams(DingTalkDepartmentRefDto) dto: DingTalkDepartmentRefDto): Promise<DingTalkUser[]> {
    return this.dingtalk.usersOf(dto.id);
  }

  @Get('dingtalk/attendance/getByUserId')
  @RequirePermissions('dingtalk:read')
  @ApiOperation({ summary: '查看人员考勤信息 (→ GET /api/v1/integrations/dingtalk/users/{id}/attendance)' })
  @ApiQuery({ name: 'id', required: true, example: '01131805470926241241' })
  @ApiQuery({ name: 'startTime', required: false, example: '2021-07-10' })
  @ApiQuery({ name: 'endTime', required: false })
  attendance(
    @FlowParams(DingTalkAttendanceLegacyDto) dto: DingTalkAttendanceLegacyDto,
  ): Promise<DingTalkAttendance[]> {
    return this.dingtalk.attendance([dto.id], dto.startTime, dto.endTime);
  }
}
