import { Module } from '@nestjs/common';
import { CrmModule } from '../crm/crm.module';
import { AttachmentPurger } from './attachment-purger';
import { AttachmentRetentionHandler } from './attachment-retention.handler';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { LocalFileStorage } from './storage/local-storage';
import { S3FileStorage } from './storage/s3-storage';
import { FileStorages } from './storage/storages';
import { SingleFileUpload } from '../uploads/file-upload';

/**
 * Files on work orders, task comments and CRM records: local disk or S3-compatible storage, purged with
 * their record (docs/messages.md).
 */
@Module({
  imports: [CrmModule],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    AttachmentsRepository,
    AttachmentPurger,
    AttachmentRetentionHandler,
    LocalFileStorage,
    S3FileStorage,
    FileStorages,
    SingleFileUpload,
  ],
  exports: [AttachmentRetentionHandler, AttachmentsService],
})
export class AttachmentsModule {}
