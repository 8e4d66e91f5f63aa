import { Module } from '@nestjs/common';
import { DingTalkClient } from './dingtalk.client';
import { DingTalkController } from './dingtalk.controller';
import { DingTalkService } from './dingtalk.service';

/** DingTalk look-ups: connector with a cached access token, platform routes; seed 002's routes reuse the service. */
@Module({
  controllers: [DingTalkController],
  providers: [DingTalkClient, DingTalkService],
  exports: [DingTalkService],
})
export class DingTalkModule {}
