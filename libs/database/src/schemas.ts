import type { MixedList } from 'typeorm';
import { ATTACHMENT_ENTITIES } from './core/attachments';
import { CRM_ENTITIES } from './core/crm/entities';
import { DATA_MODEL_ENTITIES } from './core/data-models';
import { EVENT_ENTITIES } from './core/events';
import { IDENTITY_ENTITIES } from './core/identity/entities';
import { INTEGRATION_ENTITIES } from './core/integrations';
import { NOTIFICATION_ENTITIES } from './core/notifications';
import { Crm1795425252662 } from './core/migrations/1795425252662-Crm';
import { CoreInit1795422259368 } from './core/migrations/1795422259368-CoreInit';
import { Identity1795423235468 } from './core/migrations/1795423235468-Identity';
import { ProcessedEvents1795425035761 } from './core/migrations/1795425035761-ProcessedEvents';
import { Notifications1795426051527 } from './core/migrations/1795426051527-Notifications';
import { WebhookContent1795434891537 } from './core/migrations/1795434891537-WebhookContent';
import { ErpSync1795440000000 } from './core/migrations/1795440000000-ErpSync';
import { DataModels1796289634561 } from './core/migrations/1796289634561-DataModels';
import { MessageCentre1796289732306 } from './core/migrations/1796289732306-MessageCentre';
import { DataRecordScopeIndexes1796293938524 } from './core/migrations/1796293938524-DataRecordScopeIndexes';
import { CustomerLegacyIds1796300071989 } from './core/migrations/1796300071989-CustomerLegacyIds';
import { RateLimitCountersUnlogged1796300195755 } from './core/migrations/1796300195755-RateLimitCountersUnlogged';
import { AttachmentPurge1796303298102 } from './core/migrations/1796303298102-AttachmentPurge';
import { WebhookSendRecords1796303298103 } from './core/migrations/1796303298103-WebhookSendRecords';
import { DingTalkDirectoryLinks1796304614016 } from './core/migrations/1796304614016-DingTalkDirectoryLinks';
import { DeadLetters1796305314262 } from './core/migrations/1796305314262-DeadLetters';
import { DataModelForms1796307059205 } from './core/migrations/1796307059205-DataModelForms';
import { CrmActivityRollup1796310000000 } from './core/migrations/1796310000000-CrmActivityRollup';
import { CrmStatsOrganizationWalk1796335263591 } from './core/migrations/1796335263591-CrmStatsOrganizationWalk';
import { CrmUploadsPerUploader1796410883859 } from './core/migrations/1796410883859-CrmUploadsPerUploader';
import { WORKFLOW_ENTITIES } from './workflow';
import { WorkflowInit1763884800001 } from './workflow/migrations/1763884800001-WorkflowInit';
import { ApprovalOperations1795425652117 } from './workflow/migrations/1795425652117-ApprovalOperations';
import { ExecutionCore1795423278292 } from './workflow/migrations/1795423278292-ExecutionCore';
import { WorkOrderCentre1795426057141 } from './workflow/migrations/1795426057141-WorkOrderCentre';
import { ReportIndexes1795434225762 } from './workflow/migrations/1795434225762-ReportIndexes';
import { WorkOrderCreatorActorId1796289994995 } from './workflow/migrations/1796289994995-WorkOrderCreatorActorId';
import { Incidents1796300138525 } from './workflow/migrations/1796300138525-Incidents';
import { ExternalTasks1796303846229 } from './workflow/migrations/1796303846229-ExternalTasks';
import { TimerStarts1796306536895 } from './workflow/migrations/1796306536895-TimerStarts';
import { IncidentTask1796312051069 } from './workflow/migrations/1796312051069-IncidentTask';
import { ReportAggregates1796322559603 } from './workflow/migrations/1796322559603-ReportAggregates';
import { ReportRollupLevels1796349595725 } from './workflow/migrations/1796349595725-ReportRollupLevels';
import { ReportRollupLean1796391626424 } from './workflow/migrations/1796391626424-ReportRollupLean';
import { DefinitionsChanged1796428052056 } from './workflow/migrations/1796428052056-DefinitionsChanged';
import { DefinitionStarters1796431200000 } from './workflow/migrations/1796431200000-DefinitionStarters';
import { DefinitionStartersUnread1796450084355 } from './workflow/migrations/1796450084355-DefinitionStartersUnread';
import { WorkOrderClassificationKeys1796494257128 } from './workflow/migrations/1796494257128-WorkOrderClassificationKeys';

/** Each app owns one schema, with its own entities, migrations and migrations table (DESIGN §1). */
export interface SchemaDefinition {
  name: 'core' | 'workflow';
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  migrations: MixedList<Function>;
}

export const CORE_SCHEMA: SchemaDefinition = {
  name: 'core',
  entities: [
    ...IDENTITY_ENTITIES,
    ...EVENT_ENTITIES,
    ...CRM_ENTITIES,
    ...NOTIFICATION_ENTITIES,
    ...INTEGRATION_ENTITIES,
    ...DATA_MODEL_ENTITIES,
    ...ATTACHMENT_ENTITIES,
  ],
  migrations: [
    CoreInit1795422259368,
    Identity1795423235468,
    ProcessedEvents1795425035761,
    Crm1795425252662,
    Notifications1795426051527,
    WebhookContent1795434891537,
    ErpSync1795440000000,
    DataModels1796289634561,
    MessageCentre1796289732306,
    DataRecordScopeIndexes1796293938524,
    CustomerLegacyIds1796300071989,
    RateLimitCountersUnlogged1796300195755,
    AttachmentPurge1796303298102,
    WebhookSendRecords1796303298103,
    DingTalkDirectoryLinks1796304614016,
    DeadLetters1796305314262,
    DataModelForms1796307059205,
    CrmActivityRollup1796310000000,
    CrmStatsOrganizationWalk1796335263591,
    CrmUploadsPerUploader1796410883859,
  ],
};

export const WORKFLOW_SCHEMA: SchemaDefinition = {
  name: 'workflow',
  entities: [...WORKFLOW_ENTITIES],
  migrations: [
    WorkflowInit1763884800001,
    ExecutionCore1795423278292,
    ApprovalOperations1795425652117,
    WorkOrderCentre1795426057141,
    ReportIndexes1795434225762,
    WorkOrderCreatorActorId1796289994995,
    Incidents1796300138525,
    ExternalTasks1796303846229,
    TimerStarts1796306536895,
    IncidentTask1796312051069,
    ReportAggregates1796322559603,
    ReportRollupLevels1796349595725,
    ReportRollupLean1796391626424,
    DefinitionsChanged1796428052056,
    DefinitionStarters1796431200000,
    DefinitionStartersUnread1796450084355,
    WorkOrderClassificationKeys1796494257128,
  ],
};

export const SCHEMAS = { core: CORE_SCHEMA, workflow: WORKFLOW_SCHEMA } as const;
export type SchemaName = keyof typeof SCHEMAS;
