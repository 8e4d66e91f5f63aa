import { PlatformController } from '@app/common';
import { ActivityRoutes } from '../shared/record-routes';
import { CreateContractDto, ContractDto, ContractListQueryDto, UpdateContractDto } from './contract.dto';
import { ContractsService } from './contracts.service';

@PlatformController('crm/contracts', 'crm: contracts')
export class ContractsController extends ActivityRoutes({
  service: ContractsService,
  dto: ContractDto,
  query: ContractListQueryDto,
  create: CreateContractDto,
  update: UpdateContractDto,
  list: '合同记录: organization, sign time window (default one year); newest first',
}) {}
