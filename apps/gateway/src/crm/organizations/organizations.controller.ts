import { PlatformController } from '@app/common';
import { RecordRoutes, SoftDeleteRoutes, TimelineRoutes } from '../shared/record-routes';
import {
  CreateOrganizationDto,
  OrganizationDto,
  OrganizationListQueryDto,
  UpdateOrganizationDto,
} from './organization.dto';
import { OrganizationsService } from './organizations.service';

@PlatformController('crm/organizations', 'crm: organizations')
export class OrganizationsController extends RecordRoutes(
  {
    dto: OrganizationDto,
    query: OrganizationListQueryDto,
    create: CreateOrganizationDto,
    update: UpdateOrganizationDto,
    summaries: {
      list: '客户单位: fuzzy name, status (1 default, -1, all, 0/2/3 by latest visit), creator; newest first',
      get: 'One organization (404 outside your data scope)',
      create: 'Create an organization (creator defaults to you)',
      update: 'Edit the given fields; audited into the timeline',
    },
    createErrors: [],
  },
  TimelineRoutes(
    'Audit timeline: changes of the organization and of records filed under it',
    SoftDeleteRoutes(OrganizationsService, OrganizationDto, {
      remove: 'Soft delete: gone from lists, search, export and statistics until restored',
      restore: 'Restore a deleted organization',
    }),
  ),
) {}
