import { PlatformController } from '@app/common';
import { ActivityRoutes } from '../shared/record-routes';
import { CreateFollowUpDto, FollowUpDto, FollowUpListQueryDto, UpdateFollowUpDto } from './follow-up.dto';
import { FollowUpsService } from './follow-ups.service';

@PlatformController('crm/follow-ups', 'crm: follow-ups')
export class FollowUpsController extends ActivityRoutes({
  service: FollowUpsService,
  dto: FollowUpDto,
  query: FollowUpListQueryDto,
  create: CreateFollowUpDto,
  update: UpdateFollowUpDto,
  list: '拜访记录: potential record, organization, record time window (default one week); newest first',
}) {}
