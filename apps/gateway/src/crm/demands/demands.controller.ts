import { PlatformController } from '@app/common';
import { ActivityRoutes } from '../shared/record-routes';
import { CreateDemandDto, DemandDto, DemandListQueryDto, UpdateDemandDto } from './demand.dto';
import { DemandsService } from './demands.service';

@PlatformController('crm/demands', 'crm: demands')
export class DemandsController extends ActivityRoutes({
  service: DemandsService,
  dto: DemandDto,
  query: DemandListQueryDto,
  create: CreateDemandDto,
  update: UpdateDemandDto,
  list: '需求变更记录: organization, record time window (default one week); newest first',
}) {}
