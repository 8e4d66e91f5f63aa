import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../shared/crm-dto';
import { CreatePotentialDto, PotentialDto, PotentialListQueryDto, UpdatePotentialDto } from './potential.dto';
import { PotentialsService } from './potentials.service';

const ONE = [ErrorCode.NotFound];

@PlatformController('crm/potentials', 'crm: potentials')
export class PotentialsController {
  constructor(private readonly potentials: PotentialsService) {}

  @Get()
  @RequirePermissions('crm:read')
  @ApiOperation({
    summary:
      '大的拜访记录: organization, director, status (all default, -1, 0..3), record time window (default one week); newest first',
  })
  @ApiGuarded(PotentialDto, { paged: true })
  list(@CurrentActor() actor: Actor, @Query() query: PotentialListQueryDto): Promise<Page<PotentialDto>> {
    return this.potentials.list(actor, query);
  }

  @Get(':id')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: 'One record (404 outside your data scope)' })
  @ApiGuarded(PotentialDto, { errors: ONE })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<PotentialDto> {
    return this.potentials.get(actor, id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Create; linked records and staff must be within your data scope' })
  @ApiGuarded(PotentialDto, { errors: ONE })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePotentialDto): Promise<PotentialDto> {
    return this.potentials.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Edit the given fields; audited into the organization timeline' })
  @ApiGuarded(PotentialDto, { errors: [...ONE, ErrorCode.Conflict] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdatePotentialDto,
  ): Promise<PotentialDto> {
    return this.potentials.update(actor, id, dto);
  }

  @Delete(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Soft delete: gone from lists, export and statistics until restored' })
  @ApiGuarded(PotentialDto, { errors: ONE })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<PotentialDto> {
    return this.potentials.setDeleted(actor, id, true);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Restore a deleted record' })
  @ApiGuarded(PotentialDto, { errors: ONE })
  restore(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<PotentialDto> {
    return this.potentials.setDeleted(actor, id, false);
  }
}
