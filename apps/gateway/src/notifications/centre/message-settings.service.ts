import { Inject, Injectable } from '@nestjs/common';
import { type ForgetsForTest, forgetOnTestReset } from '@app/common';
import type { MessageChannel, MessageChannelConfigEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { CentreRepository } from './centre.repository';
import { SensitiveWordFilter } from './sensitive-words';

/**
 * Channel settings and the sensitive-word filter, read by every message: kept in memory for a few
 * seconds (a change made on another replica applies within MESSAGE_SETTINGS_TTL_MS; on this one at once).
 */
@Injectable()
export class MessageSettings implements ForgetsForTest {
  private cache?: {
    at: number;
    channels: Map<MessageChannel, MessageChannelConfigEntity>;
    filter: SensitiveWordFilter;
    words: string[];
  };

  constructor(
    private readonly centre: CentreRepository,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {
    forgetOnTestReset(this);
  }

  forget(): void {
    this.cache = undefined;
  }

  forgetForTest(): void {
    this.forget();
  }

  async channel(channel: MessageChannel): Promise<MessageChannelConfigEntity | undefined> {
    return (await this.load()).channels.get(channel);
  }

  async filter(): Promise<SensitiveWordFilter> {
    return (await this.load()).filter;
  }

  async words(): Promise<string[]> {
    return (await this.load()).words;
  }

  private async load() {
    if (this.cache && Date.now() - this.cache.at < this.config.MESSAGE_SETTINGS_TTL_MS) return this.cache;
    const [channels, words] = await Promise.all([this.centre.channelConfigs(), this.centre.words()]);
    const list = words.map((w) => w.word);
    this.cache = {
      at: Date.now(),
      channels: new Map(channels.map((c) => [c.channel, c])),
      filter: new SensitiveWordFilter(list),
      words: list,
    };
    return this.cache;
  }
}
