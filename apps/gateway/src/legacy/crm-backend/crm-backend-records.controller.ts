import { Body, Controller, Get, HttpCode, Post, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, RequirePermissions } from '@app/auth';
import { RawResponse } from '@app/common';
import { CrmBackendRecordsService } from './crm-backend-records.service';
import { CrmBackendStatusFilter } from './crm-backend-status.filter';
import { CRM_BACKEND_TAG } from './crm-backend-user.controller';
import {
  ContractBodyDto,
  ContractQueryDto,
  DelContractDto,
  DelDemandDto,
  DelFollowDto,
  DelPotentialDto,
  DelSatisfyDto,
  DemandBodyDto,
  DemandQueryDto,
  FollowBodyDto,
  FollowQueryDto,
  PotentialBodyDto,
  PotentialQueryDto,
  SatisfyBodyDto,
  SatisfyQueryDto,
} from './crm-backend.dto';

/** Seed 001 `/api/record/*`: 潜在客户记录, 拜访记录, 需求变更. */
@ApiTags(CRM_BACKEND_TAG)
@RawResponse()
@UseFilters(CrmBackendStatusFilter)
@Controller('api/record')
export class CrmBackendRecordsController {
  constructor(private readonly legacy: CrmBackendRecordsService) {}

  @Get('potential')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: '潜在客户记录 list, or one with potent_id (→ GET /api/v1/crm/potentials)' })
  potentials(@CurrentActor() actor: Actor, @Query() query: PotentialQueryDto) {
    return this.legacy.listPotentials(actor, query);
  }

  @Post('potential')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '潜在客户记录 create (no protent_id) or update' })
  savePotential(@CurrentActor() actor: Actor, @Body() body: PotentialBodyDto) {
    return this.legacy.savePotential(actor, body);
  }

  @Get('delpotent')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '大的拜访记录状态修改: -1 deletes, 0…3 sets the status (restoring)' })
  delPotentGet(@CurrentActor() actor: Actor, @Query() query: DelPotentialDto) {
    return this.legacy.setPotentialStatus(actor, query);
  }

  @Post('delpotent')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '大的拜访记录状态修改 (query string, form or JSON body)' })
  delPotentPost(
    @CurrentActor() actor: Actor,
    @Query() query: DelPotentialDto,
    @Body() body: DelPotentialDto,
  ) {
    return this.legacy.setPotentialStatus(actor, { ...query, ...body });
  }

  @Get('follow')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: '拜访记录 list, newest first (→ GET /api/v1/crm/follow-ups)' })
  followUps(@CurrentActor() actor: Actor, @Query() query: FollowQueryDto) {
    return this.legacy.listFollowUps(actor, query);
  }

  @Post('follow')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '拜访记录 create (protent_id) or update (follow_id)' })
  saveFollowUp(@CurrentActor() actor: Actor, @Body() body: FollowBodyDto) {
    return this.legacy.saveFollowUp(actor, body);
  }

  @Get('delfollow')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '拜访记录删除 (→ DELETE /api/v1/crm/follow-ups/{id})' })
  delFollowGet(@CurrentActor() actor: Actor, @Query() query: DelFollowDto) {
    return this.legacy.deleteFollowUp(actor, query);
  }

  @Post('delfollow')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '拜访记录删除 (query string, form or JSON body)' })
  delFollowPost(@CurrentActor() actor: Actor, @Query() query: DelFollowDto, @Body() body: DelFollowDto) {
    return this.legacy.deleteFollowUp(actor, { ...query, ...body });
  }

  @Get('demand')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: '需求变更记录 list (→ GET /api/v1/crm/demands)' })
  demands(@CurrentActor() actor: Actor, @Query() query: DemandQueryDto) {
    return this.legacy.listDemands(actor, query);
  }

  @Post('demand')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '需求变更记录 create (no demand_id) or update' })
  saveDemand(@CurrentActor() actor: Actor, @Body() body: DemandBodyDto) {
    return this.legacy.saveDemand(actor, body);
  }

  @Get('deldemand')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '需求变更记录删除 (→ DELETE /api/v1/crm/demands/{id})' })
  delDemandGet(@CurrentActor() actor: Actor, @Query() query: DelDemandDto) {
    return this.legacy.deleteDemand(actor, query);
  }

  @Post('deldemand')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '需求变更记录删除 (query string, form or JSON body)' })
  delDemandPost(@CurrentActor() actor: Actor, @Query() query: DelDemandDto, @Body() body: DelDemandDto) {
    return this.legacy.deleteDemand(actor, { ...query, ...body });
  }
}

/** Seed 001 `/api/feedback/*`: 满意度. */
@ApiTags(CRM_BACKEND_TAG)
@RawResponse()
@UseFilters(CrmBackendStatusFilter)
@Controller('api/feedback')
export class CrmBackendFeedbackController {
  constructor(private readonly legacy: CrmBackendRecordsService) {}

  @Get('satisfy')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: '满意度 list (→ GET /api/v1/crm/satisfaction)' })
  satisfaction(@CurrentActor() actor: Actor, @Query() query: SatisfyQueryDto) {
    return this.legacy.listSatisfaction(actor, query);
  }

  @Post('satisfy')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '满意度 record (no satisfy_id) or update' })
  saveSatisfaction(@CurrentActor() actor: Actor, @Body() body: SatisfyBodyDto) {
    return this.legacy.saveSatisfaction(actor, body);
  }

  @Get('delsatisfy')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '满意度删除 (→ DELETE /api/v1/crm/satisfaction/{id})' })
  delSatisfyGet(@CurrentActor() actor: Actor, @Query() query: DelSatisfyDto) {
    return this.legacy.deleteSatisfaction(actor, query);
  }

  @Post('delsatisfy')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '满意度删除 (query string, form or JSON body)' })
  delSatisfyPost(@CurrentActor() actor: Actor, @Query() query: DelSatisfyDto, @Body() body: DelSatisfyDto) {
    return this.legacy.deleteSatisfaction(actor, { ...query, ...body });
  }
}

/** Seed 001 `/api/contract/*`: 合同记录. */
@ApiTags(CRM_BACKEND_TAG)
@RawResponse()
@UseFilters(CrmBackendStatusFilter)
@Controller('api/contract')
export class CrmBackendContractController {
  constructor(private readonly legacy: CrmBackendRecordsService) {}

  @Get('contract')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: '合同记录 list, window on sign_time (default one year)' })
  contracts(@CurrentActor() actor: Actor, @Query() query: ContractQueryDto) {
    return this.legacy.listContracts(actor, query);
  }

  @Post('contract')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '合同记录 create (no contract_id) or update' })
  saveContract(@CurrentActor() actor: Actor, @Body() body: ContractBodyDto) {
    return this.legacy.saveContract(actor, body);
  }

  @Get('delcontract')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '合同删除 (→ DELETE /api/v1/crm/contracts/{id})' })
  delContractGet(@CurrentActor() actor: Actor, @Query() query: DelContractDto) {
    return this.legacy.deleteContract(actor, query);
  }

  @Post('delcontract')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '合同删除 (query string, form or JSON body)' })
  delContractPost(
    @CurrentActor() actor: Actor,
    @Query() query: DelContractDto,
    @Body() body: DelContractDto,
  ) {
    return this.legacy.deleteContract(actor, { ...query, ...body });
  }
}
