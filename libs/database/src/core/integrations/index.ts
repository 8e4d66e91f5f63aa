import { ErpSyncRunEntity } from './erp-sync-run.entity';

export * from './erp-sync-run.entity';

export const INTEGRATION_ENTITIES = [ErpSyncRunEntity];
