import { PlatformController } from '@app/common';
import { ActivityRoutes } from '../shared/record-routes';
import { CreatePotentialDto, PotentialDto, PotentialListQueryDto, UpdatePotentialDto } from './potential.dto';
import { PotentialsService } from './potentials.service';

@PlatformController('crm/potentials', 'crm: potentials')
export class PotentialsController extends ActivityRoutes({
  service: PotentialsService,
  dto: PotentialDto,
  query: PotentialListQueryDto,
  create: CreatePotentialDto,
  update: UpdatePotentialDto,
  list: '大的拜访记录: organization, director, status (all default, -1, 0..3), record time window (default one week); newest first',
}) {}
