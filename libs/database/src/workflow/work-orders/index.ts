import { WorkOrderCategoryEntity, WorkOrderEntity, WorkOrderTypeEntity } from './work-order.entity';

export * from './work-order.entity';

export const WORK_ORDER_ENTITIES = [WorkOrderTypeEntity, WorkOrderCategoryEntity, WorkOrderEntity];
