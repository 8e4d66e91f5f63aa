import { DeadLetterEntity } from './dead-letter.entity';
import { ProcessedEventEntity } from './processed-event.entity';

export * from './dead-letter.entity';
export * from './processed-event.entity';

export const EVENT_ENTITIES = [ProcessedEventEntity, DeadLetterEntity];
