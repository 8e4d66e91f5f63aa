import { PlatformController } from '@app/common';
import { ActivityRoutes } from '../shared/record-routes';
import {
  CreateSatisfactionDto,
  SatisfactionDto,
  SatisfactionListQueryDto,
  UpdateSatisfactionDto,
} from './satisfaction.dto';
import { SatisfactionService } from './satisfaction.service';

@PlatformController('crm/satisfaction', 'crm: satisfaction')
export class SatisfactionController extends ActivityRoutes({
  service: SatisfactionService,
  dto: SatisfactionDto,
  query: SatisfactionListQueryDto,
  create: CreateSatisfactionDto,
  update: UpdateSatisfactionDto,
  list: '满意度: organization, customers, record time window (default one week); newest first',
}) {}
