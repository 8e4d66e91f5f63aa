import { Module } from '@nestjs/common';
import { MultipartModule } from '@nestjs/platform-fastify/multipart';
import { GatewayEnv } from '../config/gateway.env';
import { CrmModule } from '../crm/crm.module';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { LocalFileStorage } from './local-storage';

/** Files on work orders, task comments and CRM records (local disk; see docs/messages.md). */
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
  providers: [AttachmentsService, LocalFileStorage],
})
export class AttachmentsModule {}
