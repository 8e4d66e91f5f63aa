import { Body, Controller, Get, HttpCode, Post, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, RequirePermissions } from '@app/auth';
import { RawResponse } from '@app/common';
import { CrmBackendCustomersService } from './crm-backend-customers.service';
import { CrmBackendStatusFilter } from './crm-backend-status.filter';
import { CRM_BACKEND_TAG } from './crm-backend-user.controller';
import {
  CustomerBodyDto,
  CustomerQueryDto,
  DelCustomerDto,
  DelOrganizationDto,
  OrganizationBodyDto,
  OrganizationQueryDto,
} from './crm-backend.dto';

/** Seed 001 `/api/customers/*`: 客户单位 and 客户 within the caller's data scope. */
@ApiTags(CRM_BACKEND_TAG)
@RawResponse()
@UseFilters(CrmBackendStatusFilter)
@Controller('api/customers')
export class CrmBackendCustomersController {
  constructor(private readonly legacy: CrmBackendCustomersService) {}

  @Get('organization')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: '客户单位 list (→ GET /api/v1/crm/organizations)' })
  organizations(@CurrentActor() actor: Actor, @Query() query: OrganizationQueryDto) {
    return this.legacy.listOrganizations(actor, query);
  }

  @Post('organization')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '客户单位 create (no organization_id) or update' })
  saveOrganization(@CurrentActor() actor: Actor, @Body() body: OrganizationBodyDto) {
    return this.legacy.saveOrganization(actor, body);
  }

  @Get('delorganization')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '客户单位状态修改: status -1 deletes, 1 restores' })
  delOrganizationGet(@CurrentActor() actor: Actor, @Query() query: DelOrganizationDto) {
    return this.legacy.setOrganizationStatus(actor, query);
  }

  @Post('delorganization')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '客户单位状态修改 (query string, form or JSON body)' })
  delOrganizationPost(
    @CurrentActor() actor: Actor,
    @Query() query: DelOrganizationDto,
    @Body() body: DelOrganizationDto,
  ) {
    return this.legacy.setOrganizationStatus(actor, { ...query, ...body });
  }

  @Get('customers')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: '客户 list (→ GET /api/v1/crm/customers)' })
  customers(@CurrentActor() actor: Actor, @Query() query: CustomerQueryDto) {
    return this.legacy.listCustomers(actor, query);
  }

  @Post('customers')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '客户 create (no customer_id) or update (→ POST / PATCH /api/v1/crm/customers)' })
  saveCustomer(@CurrentActor() actor: Actor, @Body() body: CustomerBodyDto) {
    return this.legacy.saveCustomer(actor, body);
  }

  @Get('delcustomer')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '客户删除 (→ DELETE /api/v1/crm/customers/{id})' })
  delCustomerGet(@CurrentActor() actor: Actor, @Query() query: DelCustomerDto) {
    return this.legacy.deleteCustomer(actor, query);
  }

  @Post('delcustomer')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '客户删除 (query string, form or JSON body)' })
  delCustomerPost(
    @CurrentActor() actor: Actor,
    @Query() query: DelCustomerDto,
    @Body() body: DelCustomerDto,
  ) {
    return this.legacy.deleteCustomer(actor, { ...query, ...body });
  }
}
