import { CrmCustomerEntity } from './customer.entity';
import { CrmOrganizationEntity } from './organization.entity';
import {
  CrmContractEntity,
  CrmDemandEntity,
  CrmFollowUpEntity,
  CrmPotentialEntity,
  CrmSatisfactionEntity,
} from './records.entity';
import {
  CrmCallEntity,
  CrmChangeEntity,
  CrmImportEntity,
  CrmSmsEntity,
  CrmSmsTemplateEntity,
} from './support.entity';

/** Every entity of the CRM feature (schema core). */
export const CRM_ENTITIES = [
  CrmOrganizationEntity,
  CrmCustomerEntity,
  CrmPotentialEntity,
  CrmFollowUpEntity,
  CrmDemandEntity,
  CrmSatisfactionEntity,
  CrmContractEntity,
  CrmChangeEntity,
  CrmSmsTemplateEntity,
  CrmSmsEntity,
  CrmCallEntity,
  CrmImportEntity,
];
