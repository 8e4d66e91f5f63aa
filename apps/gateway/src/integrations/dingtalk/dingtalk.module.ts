import { Module } from '@nestjs/common';
import { IdentityModule } from '../../identity/identity.module';
import { DingTalkClient } from './dingtalk.client';
import { DingTalkController } from './dingtalk.controller';
import { DingTalkService } from './dingtalk.service';
import { DirectorySyncRepository } from './directory-sync.repository';
import { DirectorySyncService } from './directory-sync.service';

/** DingTalk look-ups (cached access token, platform routes; seed 002's routes reuse the service) and the directory sync. */
@Module({
  imports: [IdentityModule],
  controllers: [DingTalkController],
  providers: [DingTalkClient, DingTalkService, DirectorySyncRepository, DirectorySyncService],
  exports: [DingTalkService],
})
export class DingTalkModule {}
