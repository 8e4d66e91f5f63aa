import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@app/contracts';
import { AppException, type Page, parseClientRange, toPage } from '@app/common';
import { MESSAGE_CHANNELS, type MessageChannel } from '@app/database';
import type { ChannelSender } from '../channels/channel';
import { GatewayEnv } from '../../config/gateway.env';
import { CHANNEL_SENDERS } from '../channels/channel-registry';
import { OutboundHttp } from '../channels/outbound-http';
import { TEMPLATE_EVENT_TYPES } from '../templates/event-schemas';
import {
  CONFIGURABLE,
  type ChannelConfigDto,
  type DefaultChoiceDto,
  type FilterResultDto,
  mapSend,
  type MyPreferencesDto,
  type PreferenceChoiceDto,
  type SaveChannelConfigDto,
  type SaveMyPreferencesDto,
  type SendDto,
  type SendQueryDto,
} from './centre.dto';
import { CentreRepository } from './centre.repository';
import { MessageSettings } from './message-settings.service';
import { BUILT_IN_DEFAULTS, MEMBER_CHANNELS } from './preferences';

const SECRET_KEYS = ['pass', 'secret', 'accessKeySecret', 'webhook'];
const HIDDEN = '***';

/** Channel settings, sensitive words, preferences and send records of the message centre. */
@Injectable()
export class CentreService {
  private readonly senders: Map<string, ChannelSender>;

  constructor(
    private readonly centre: CentreRepository,
    private readonly settings: MessageSettings,
    private readonly outbound: OutboundHttp,
    private readonly config: GatewayEnv,
    @Inject(CHANNEL_SENDERS) senders: ChannelSender[],
  ) {
    this.senders = new Map(senders.map((s) => [s.channel, s]));
  }

  async channels(): Promise<ChannelConfigDto[]> {
    const rows = await this.centre.channelConfigs();
    const byChannel = new Map(rows.map((r) => [r.channel, r]));
    return MESSAGE_CHANNELS.map((channel) => {
      const row = byChannel.get(channel);
      const configurable = CONFIGURABLE.has(channel);
      return {
        channel,
        enabled: configurable ? (row?.enabled ?? false) : true,
        config: Object.fromEntries(
          Object.entries(row?.config ?? {}).map(([k, v]) => [k, SECRET_KEYS.includes(k) && v ? HIDDEN : v]),
        ),
        configurable,
        updatedAt: row?.updatedAt.toISOString() ?? null,
      };
    });
  }

  async saveChannel(actor: Actor, channel: string, dto: SaveChannelConfigDto): Promise<ChannelConfigDto> {
    const sender = this.senders.get(channel);
    if (!sender || !CONFIGURABLE.has(channel)) throw AppException.notFound('configurable channel', channel);
    const stored = await this.centre.channelConfig(channel as MessageChannel);
    // "***" keeps the stored secret (the list never shows it)
    const config = Object.fromEntries(
      Object.entries(dto.config).map(([k, v]) => [k, v === HIDDEN ? stored?.config[k] : v]),
    );
    const problems = sender.validateConfig(config);
    if (problems.length > 0) throw AppException.invalid(problems);
    // robot and SMS URLs pass the webhook target check: no loopback or private address unless allowed
    for (const key of sender.urlKeys ?? [])
      if (typeof config[key] === 'string' && config[key])
        await this.outbound.check(config[key], `config.${key}`);
    await this.centre.saveChannelConfig({
      channel: channel as MessageChannel,
      enabled: dto.enabled,
      config,
      updatedBy: actor.id,
      updatedAt: new Date(),
    });
    this.settings.forget();
    return (await this.channels()).find((c) => c.channel === channel)!;
  }

  words(): Promise<string[]> {
    this.settings.forget();
    return this.settings.words();
  }

  /** Replaces the whole list. */
  async saveWords(words: string[]): Promise<string[]> {
    const clean = [...new Set(words.map((w) => w.trim()).filter((w) => w.length > 0))];
    await this.centre.replaceWords(clean);
    this.settings.forget();
    return this.words();
  }

  async check(text: string): Promise<FilterResultDto> {
    const filter = await this.settings.filter();
    return { text: filter.filter(text), found: filter.find(text) };
  }

  async defaults(): Promise<DefaultChoiceDto[]> {
    const rows = await this.centre.defaults(true);
    return rows.map((r) => ({ eventType: r.eventType, channel: r.channel, enabled: r.enabled }));
  }

  async saveDefaults(choices: PreferenceChoiceDto[]): Promise<DefaultChoiceDto[]> {
    this.checkChoices(choices, ['inbox', 'stream', 'email', 'sms', 'dingtalk', 'wecom']);
    if (choices.length > 0)
      await this.centre.upsertDefaults(
        choices.map((c) => ({
          eventType: c.eventType,
          channel: c.channel as MessageChannel,
          enabled: c.enabled,
        })),
      );
    return this.defaults();
  }

  async myPreferences(actor: Actor): Promise<MyPreferencesDto> {
    const [contact, mine, defaults] = await Promise.all([
      this.centre.contact(actor.id),
      this.centre.preferences(actor.id),
      this.centre.defaults(),
    ]);
    const own = new Map(mine.map((p) => [`${p.eventType}:${p.channel}`, p.enabled]));
    const dflt = new Map(defaults.map((p) => [`${p.eventType}:${p.channel}`, p.enabled]));
    return {
      email: contact?.email ?? null,
      mobile: contact?.mobile ?? null,
      locale: contact?.locale ?? 'zh-CN',
      choices: TEMPLATE_EVENT_TYPES.flatMap((eventType) =>
        MEMBER_CHANNELS.map((channel) => {
          const key = `${eventType}:${channel}`;
          const source = own.has(key) ? 'member' : dflt.has(key) ? 'default' : 'built-in';
          const enabled = own.get(key) ?? dflt.get(key) ?? BUILT_IN_DEFAULTS[channel];
          return { eventType, channel, enabled, source };
        }),
      ),
    };
  }

  async saveMyPreferences(actor: Actor, dto: SaveMyPreferencesDto): Promise<MyPreferencesDto> {
    this.checkChoices(dto.choices ?? [], MEMBER_CHANNELS);
    const contactChanged = dto.email !== undefined || dto.mobile !== undefined || dto.locale !== undefined;
    await this.centre.saveMine(
      actor.id,
      contactChanged ? { email: dto.email, mobile: dto.mobile, locale: dto.locale } : null,
      (dto.choices ?? []).map((c) => ({
        eventType: c.eventType,
        channel: c.channel as MessageChannel,
        enabled: c.enabled,
      })),
    );
    return this.myPreferences(actor);
  }

  async sends(query: SendQueryDto): Promise<Page<SendDto>> {
    const [rows, total] = await this.centre.findSends(
      query,
      parseClientRange(query, this.config.TZ_BUSINESS),
    );
    return toPage(rows.map(mapSend), total, query);
  }

  async send(id: string): Promise<SendDto> {
    const found = await this.centre.findSend(id);
    if (!found) throw AppException.notFound('send', id);
    return mapSend(found);
  }

  /** Queues a failed send again at once with a fresh attempt budget (its log keeps the old attempts). */
  async resend(id: string): Promise<SendDto> {
    if (!(await this.centre.requeueFailedSend(id))) {
      await this.send(id); // 404 when unknown
      throw AppException.conflict('NOT_FAILED', 'only a failed send can be sent again');
    }
    return this.send(id);
  }

  private checkChoices(choices: PreferenceChoiceDto[], channels: readonly string[]): void {
    const errors = choices.flatMap((c, i) => [
      ...(TEMPLATE_EVENT_TYPES.includes(c.eventType)
        ? []
        : [{ field: `choices[${i}].eventType`, reason: `unknown event type ${c.eventType}` }]),
      ...(channels.includes(c.channel)
        ? []
        : [{ field: `choices[${i}].channel`, reason: `one of ${channels.join(', ')}` }]),
    ]);
    if (errors.length > 0) throw AppException.invalid(errors);
  }
}
