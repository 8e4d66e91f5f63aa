import { Module } from '@nestjs/common';
import { MultipartModule } from '@nestjs/platform-fastify/multipart';
import { GatewayEnv } from '../config/gateway.env';
import { CrmModule } from '../crm/crm.module';
import { AttachmentPurger } from './attachment-purger';
import { AttachmentRetentionHandler } from './attachment-retention.handler';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { LocalFileStorage } from './storage/local-storage';
import { S3FileStorage } from './storage/s3-storage';
import { FileStorages } from './storage/storages';

/**
 * Files on work orders, task comments and CRM records: local disk or S3-compatible storage, purged with
 * their record (docs/messages.md).
 */
@Module({
  imports: [
    CrmModule,
    MultipartModule.registerAsync({
      inject: [GatewayEnv],
      // UTF-8 part headers: a Chinese file name arrives as written
      useFactory: (config: GatewayEnv) => ({
        limits: { fileSize: config.UPLOAD_LIMIT_BYTES, files: 1, fields: 10 },
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    AttachmentsRepository,
    AttachmentPurger,
    AttachmentRetentionHandler,
    LocalFileStorage,
    S3FileStorage,
    FileStorages,
  ],
  exports: [AttachmentRetentionHandler],
})
export class AttachmentsModule {}
