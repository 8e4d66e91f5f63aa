import {
  DataModelEntity,
  DataModelVersionEntity,
  DataRecordEntity,
  DataRecordFlowEntity,
  DataViewEntity,
} from './data-model.entity';

export * from './data-model.entity';

/** Every entity of the data-models feature (schema core). */
export const DATA_MODEL_ENTITIES = [
  DataModelEntity,
  DataModelVersionEntity,
  DataRecordEntity,
  DataViewEntity,
  DataRecordFlowEntity,
];
