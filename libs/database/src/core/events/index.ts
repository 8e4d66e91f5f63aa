import { ProcessedEventEntity } from './processed-event.entity';

export * from './processed-event.entity';

export const EVENT_ENTITIES = [ProcessedEventEntity];
