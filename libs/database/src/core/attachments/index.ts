import { AttachmentEntity } from './attachment.entity';

export * from './attachment.entity';

export const ATTACHMENT_ENTITIES = [AttachmentEntity];
