import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { type ClientContext, RequestClient } from '../shared/client-context';
import { ParseIdPipe } from '../../shared/dto-helpers';
import {
  ApplicationDto,
  ApplicationListQueryDto,
  ApplicationWithSecretDto,
  CreateApplicationDto,
  UpdateApplicationDto,
} from './application.dto';
import { ApplicationsService } from './applications.service';

@PlatformController('applications', 'identity: applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Get()
  @RequirePermissions('application:read')
  @ApiOperation({ summary: 'Registered applications (appID) and services (serverID); never their secrets' })
  @ApiGuarded(ApplicationDto, { paged: true })
  list(@Query() query: ApplicationListQueryDto): Promise<Page<ApplicationDto>> {
    return this.applications.list(query);
  }

  @Get(':id')
  @RequirePermissions('application:read')
  @ApiOperation({ summary: 'One application or service' })
  @ApiGuarded(ApplicationDto, { errors: [ErrorCode.NotFound] })
  get(@Param('id', ParseIdPipe) id: string): Promise<ApplicationDto> {
    return this.applications.get(id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('application:write')
  @ApiOperation({
    summary: 'Register an application or service (S004-28/29); the answer carries its secretKey, shown once',
  })
  @ApiGuarded(ApplicationWithSecretDto, { errors: [ErrorCode.Conflict] })
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateApplicationDto,
    @RequestClient() client: ClientContext,
  ): Promise<ApplicationWithSecretDto> {
    return this.applications.create(actor, dto, client);
  }

  @Patch(':id')
  @RequirePermissions('application:write')
  @ApiOperation({ summary: 'Rename, change permissions or data scope' })
  @ApiGuarded(ApplicationDto, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateApplicationDto,
    @RequestClient() client: ClientContext,
  ): Promise<ApplicationDto> {
    return this.applications.update(actor, id, dto, client);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @RequirePermissions('application:write')
  @ApiOperation({ summary: 'A new secretKey (shown once); the old one stops working at once' })
  @ApiGuarded(ApplicationWithSecretDto, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  rotate(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @RequestClient() client: ClientContext,
  ): Promise<ApplicationWithSecretDto> {
    return this.applications.rotateSecret(actor, id, client);
  }

  @Delete(':id')
  @RequirePermissions('application:write')
  @ApiOperation({ summary: 'Revoke: its calls are refused (4001) from now on' })
  @ApiGuarded(ApplicationDto, { errors: [ErrorCode.NotFound] })
  revoke(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @RequestClient() client: ClientContext,
  ): Promise<ApplicationDto> {
    return this.applications.revoke(actor, id, client);
  }
}
