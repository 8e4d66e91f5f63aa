import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../shared/crm-dto';
import { CreateContractDto, ContractDto, ContractListQueryDto, UpdateContractDto } from './contract.dto';
import { ContractsService } from './contracts.service';

const ONE = [ErrorCode.NotFound];

@PlatformController('crm/contracts', 'crm: contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: '合同记录: organization, sign time window (default one year); newest first' })
  @ApiGuarded(ContractDto, { paged: true })
  list(@CurrentActor() actor: Actor, @Query() query: ContractListQueryDto): Promise<Page<ContractDto>> {
    return this.contracts.list(actor, query);
  }

  @Get(':id')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: 'One record (404 outside your data scope)' })
  @ApiGuarded(ContractDto, { errors: ONE })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<ContractDto> {
    return this.contracts.get(actor, id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Create; linked records and staff must be within your data scope' })
  @ApiGuarded(ContractDto, { errors: ONE })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateContractDto): Promise<ContractDto> {
    return this.contracts.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Edit the given fields; audited into the organization timeline' })
  @ApiGuarded(ContractDto, { errors: [...ONE, ErrorCode.Conflict] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateContractDto,
  ): Promise<ContractDto> {
    return this.contracts.update(actor, id, dto);
  }

  @Delete(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Soft delete: gone from lists, export and statistics until restored' })
  @ApiGuarded(ContractDto, { errors: ONE })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<ContractDto> {
    return this.contracts.setDeleted(actor, id, true);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Restore a deleted record' })
  @ApiGuarded(ContractDto, { errors: ONE })
  restore(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<ContractDto> {
    return this.contracts.setDeleted(actor, id, false);
  }
}
