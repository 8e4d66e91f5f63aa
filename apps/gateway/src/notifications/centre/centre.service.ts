import { Inject, Injectable } from '@nestjs/common';
import { Brackets, DataSource } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, type Page, pageOffset, toPage } from '@app/common';
import {
  MESSAGE_CHANNELS,
  MessageChannelConfigEntity,
  type MessageChannel,
  MessageContactEntity,
  type MessageLocale,
  MessagePreferenceDefaultEntity,
  MessagePreferenceEntity,
  MessageSendEntity,
  MessageSensitiveWordEntity,
} from '@app/database';
import type { ChannelSender } from '../channels/channel';
import { CHANNEL_SENDERS } from '../channels/channel-registry';
import { OutboundHttp } from '../channels/outbound-http';
import { TEMPLATE_EVENT_TYPES } from '../templates/event-schemas';
import { webhookRecipientKey } from '../webhooks/webhook-queue';
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
import { MessageSettings } from './message-settings.service';
import { BUILT_IN_DEFAULTS, MEMBER_CHANNELS } from './preferences';

const SECRET_KEYS = ['pass', 'secret', 'accessKeySecret', 'webhook'];
const HIDDEN = '***';

/** Channel settings, sensitive words, preferences and send records of the message centre. */
@Injectable()
export class CentreService {
  private readonly senders: Map<string, ChannelSender>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: MessageSettings,
    private readonly outbound: OutboundHttp,
    @Inject(CHANNEL_SENDERS) senders: ChannelSender[],
  ) {
    this.senders = new Map(senders.map((s) => [s.channel, s]));
  }

  async channels(): Promise<ChannelConfigDto[]> {
    const rows = await this.dataSource.manager.find(MessageChannelConfigEntity);
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
    const repo = this.dataSource.getRepository(MessageChannelConfigEntity);
    const stored = await repo.findOneBy({ channel: channel as MessageChannel });
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
    await repo.save({
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
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM core.message_sensitive_word');
      if (clean.length > 0)
        await manager.insert(
          MessageSensitiveWordEntity,
          clean.map((word) => ({ word })),
        );
    });
    this.settings.forget();
    return this.words();
  }

  async check(text: string): Promise<FilterResultDto> {
    const filter = await this.settings.filter();
    return { text: filter.filter(text), found: filter.find(text) };
  }

  async defaults(): Promise<DefaultChoiceDto[]> {
    const rows = await this.dataSource.manager.find(MessagePreferenceDefaultEntity, {
      order: { eventType: 'ASC', channel: 'ASC' },
    });
    return rows.map((r) => ({ eventType: r.eventType, channel: r.channel, enabled: r.enabled }));
  }

  async saveDefaults(choices: PreferenceChoiceDto[]): Promise<DefaultChoiceDto[]> {
    this.checkChoices(choices, ['inbox', 'stream', 'email', 'sms', 'dingtalk', 'wecom']);
    if (choices.length > 0)
      await this.dataSource.getRepository(MessagePreferenceDefaultEntity).upsert(
        choices.map((c) => ({
          eventType: c.eventType,
          channel: c.channel as MessageChannel,
          enabled: c.enabled,
        })),
        ['eventType', 'channel'],
      );
    return this.defaults();
  }

  async myPreferences(actor: Actor): Promise<MyPreferencesDto> {
    const [contact, mine, defaults] = await Promise.all([
      this.dataSource.manager.findOneBy(MessageContactEntity, { staffId: actor.id }),
      this.dataSource.manager.findBy(MessagePreferenceEntity, { staffId: actor.id }),
      this.dataSource.manager.find(MessagePreferenceDefaultEntity),
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
    await this.dataSource.transaction(async (manager) => {
      if (dto.email !== undefined || dto.mobile !== undefined || dto.locale !== undefined) {
        const current = await manager.findOneBy(MessageContactEntity, { staffId: actor.id });
        await manager.getRepository(MessageContactEntity).save({
          staffId: actor.id,
          email: dto.email !== undefined ? dto.email : (current?.email ?? null),
          mobile: dto.mobile !== undefined ? dto.mobile : (current?.mobile ?? null),
          locale: (dto.locale ?? current?.locale ?? 'zh-CN') as MessageLocale,
        });
      }
      if (dto.choices?.length)
        await manager.getRepository(MessagePreferenceEntity).upsert(
          dto.choices.map((c) => ({
            staffId: actor.id,
            eventType: c.eventType,
            channel: c.channel as MessageChannel,
            enabled: c.enabled,
          })),
          ['staffId', 'eventType', 'channel'],
        );
    });
    return this.myPreferences(actor);
  }

  async sends(query: SendQueryDto): Promise<Page<SendDto>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(MessageSendEntity, 's')
      .orderBy('s.id', 'DESC')
      .skip(pageOffset(query))
      .take(query.pageSize);
    const filters: [keyof SendQueryDto, string][] = [
      ['status', 's.status = :status'],
      ['channel', 's.channel = :channel'],
      ['eventType', 's.event_type = :eventType'],
      ['recipientId', 's.recipient_id = :recipientId'],
      ['messageId', 's.message_id = :messageId'],
      ['from', 's.created_at >= :from'],
      ['to', 's.created_at < :to'],
    ];
    qb.where(
      new Brackets((w) => {
        w.where('TRUE');
        for (const [key, sql] of filters)
          if (query[key] !== undefined) w.andWhere(sql, { [key]: query[key] });
      }),
    );
    const [rows, total] = await qb.getManyAndCount();
    return toPage(rows.map(mapSend), total, query);
  }

  async send(id: string): Promise<SendDto> {
    const found = await this.dataSource.manager.findOneBy(MessageSendEntity, { id });
    if (!found) throw AppException.notFound('send', id);
    return mapSend(found);
  }

  /** Queues a failed send again at once with a fresh attempt budget (its log keeps the old attempts). */
  async resend(id: string): Promise<SendDto> {
    // a webhook record re-queues its delivery too (the webhook worker sends it, signed)
    const rows: unknown[] = await this.dataSource.query(
      `WITH queued AS (UPDATE core.message_send SET status = 'queued', attempts = 0, next_attempt_at = now()
        WHERE id = $1 AND status = 'failed' RETURNING id, channel, message_id, recipient_key),
       delivery AS (UPDATE core.webhook_delivery d SET status = 'pending', attempts = 0, next_attempt_at = now()
         FROM queued q WHERE q.channel = 'webhook' AND d.event_id = q.message_id
          AND q.recipient_key = ${webhookRecipientKey('d.subscription_id')})
       SELECT id FROM queued`,
      [id],
    );
    if (rows.length === 0) {
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
