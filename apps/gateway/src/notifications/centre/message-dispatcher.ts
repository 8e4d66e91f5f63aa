import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type MessageChannel, type MessageLocale, NotificationEntity } from '@app/database';
import { DirectoryRepository } from '../../identity/directory/directory.repository';
import { EventBatch } from '../../workflow-events/event-batch';
import { renderTemplate, templateVariables } from '../templates/render';
import { MessageSettings } from './message-settings.service';
import { BUILT_IN_DEFAULTS, channelEnabled, GROUP_CHANNELS, MEMBER_CHANNELS } from './preferences';

/** A built-in text in each message language. */
export type LocalText = Record<MessageLocale, string>;

/**
 * One thing to tell some members (a task to handle, an urge, a copy), with the text used when no
 * template exists: in each language, as a template is, so each member reads one language — theirs.
 */
export interface DispatchItem {
  userIds: string[];
  title: LocalText;
  body: LocalText | null;
  taskId: string | null;
}

export interface CentreMessage {
  /** The workflow event id (or a published message id): one send per message, channel and recipient. */
  messageId: string;
  eventType: string;
  instanceId: string | null;
  createdAt: string;
  payload: Record<string, unknown>;
}

interface Recipient {
  id: string;
  name: string;
  account: string | null;
  mobile: string | null;
  email: string | null;
  locale: MessageLocale;
}

interface TemplateRow {
  id: string;
  channel: MessageChannel;
  locale: MessageLocale;
  subject: string | null;
  body: string;
  field_masks: Record<string, string>;
}

const STREAM_CHANNEL = 'flowdesk_stream';

/**
 * The message centre's fan-out, run inside the transaction that handles the event: for every
 * recipient and channel the preferences allow, the template of the recipient's language is rendered
 * (masked fields, filtered free text) and written: inbox rows and stream events at once, a queued send
 * record for every outbound channel (the send worker delivers those). The stream wake-up is a
 * pg_notify, delivered on commit.
 */
@Injectable()
export class MessageDispatcher {
  constructor(
    private readonly settings: MessageSettings,
    private readonly directory: DirectoryRepository,
  ) {}

  /**
   * Writes the message's inbox rows, stream events and sends. Inside a batch of events (`batch`) the
   * reads are shared by its messages and the writes of all of them go at its end; without one, at once.
   */
  async dispatch(
    manager: EntityManager,
    message: CentreMessage,
    items: DispatchItem[],
    batch?: EventBatch,
  ): Promise<void> {
    const shared = batch ?? new EventBatch();
    const userIds = [...new Set(items.flatMap((i) => i.userIds))].sort();
    const people = userIds.join(',');
    const [recipients, choices, defaults, templates, filter] = await Promise.all([
      shared.read(`centre:recipients:${people}`, () => this.recipients(manager, userIds)),
      shared.read(`centre:choices:${message.eventType}:${people}`, () =>
        this.memberChoices(manager, userIds, message.eventType),
      ),
      shared.read(`centre:defaults:${message.eventType}`, () => this.defaults(manager, message.eventType)),
      shared.read(`centre:templates:${message.eventType}`, () => this.templates(manager, message.eventType)),
      this.settings.filter(),
    ]);
    const clean = (text: string) => filter.filter(text);
    const base = {
      ...message.payload,
      instanceId: message.instanceId,
      event: { id: message.messageId, topic: message.eventType, createdAt: message.createdAt },
    };
    const pick = (channel: MessageChannel, locale: MessageLocale) =>
      templates.find((t) => t.channel === channel && t.locale === locale) ??
      templates.find((t) => t.channel === channel);
    const render = (
      channel: MessageChannel,
      locale: MessageLocale,
      data: Record<string, unknown>,
      item: DispatchItem,
    ) => {
      const t = pick(channel, locale);
      const title = item.title[locale];
      if (!t) {
        const body = item.body?.[locale];
        return {
          templateId: null,
          subject: clean(title),
          body: clean(body ? `${title}\n${body}` : title),
          params: { content: clean(title) },
        };
      }
      const options = { masks: t.field_masks, filter: clean };
      const params = Object.fromEntries(
        templateVariables(t.body).map((path) => [
          path.replace(/\./g, '_'),
          renderTemplate(`{{${path}}}`, data, options),
        ]),
      );
      return {
        templateId: t.id,
        subject: t.subject ? renderTemplate(t.subject, data, options) : clean(title),
        body: renderTemplate(t.body, data, options),
        params,
      };
    };

    const { inbox, stream, sends } = shared.collect('centre:writes', newWrites, (writes) =>
      this.write(manager, writes),
    );
    for (const item of items) {
      for (const userId of item.userIds) {
        const who = recipients.get(userId);
        if (!who) continue;
        const data = {
          ...base,
          recipient: {
            id: who.id,
            name: who.name,
            account: who.account,
            mobile: who.mobile,
            email: who.email,
          },
        };
        const enabled = (channel: MessageChannel) =>
          channelEnabled(channel, choices.get(`${userId}:${channel}`), defaults.get(channel));
        for (const channel of MEMBER_CHANNELS) {
          if (!enabled(channel)) continue;
          const out = render(channel, who.locale, data, item);
          if (channel === 'inbox')
            inbox.push({
              userId,
              topic: message.eventType,
              title: out.subject.slice(0, 255),
              body: out.body.slice(0, 2000) || null,
              eventId: message.messageId,
              instanceId: message.instanceId,
              taskId: item.taskId,
              data: message.payload as never,
            });
          else if (channel === 'stream')
            stream.push({
              userId,
              data: {
                topic: message.eventType,
                eventId: message.messageId,
                title: out.subject,
                body: out.body,
                instanceId: message.instanceId,
                taskId: item.taskId,
              },
            });
          else
            sends.push({
              messageId: message.messageId,
              eventType: message.eventType,
              channel,
              recipientKey: `staff:${userId}`,
              recipientId: userId,
              address: channel === 'email' ? who.email : who.mobile,
              ...out,
            });
        }
      }
    }
    // group robots: one post per message, switched on per event by an administrator
    const first = items[0];
    for (const channel of GROUP_CHANNELS) {
      if (!(defaults.get(channel) ?? BUILT_IN_DEFAULTS[channel]) || !first) continue;
      const out = render(channel, 'zh-CN', { ...base, recipient: {} }, first);
      sends.push({
        messageId: message.messageId,
        eventType: message.eventType,
        channel,
        recipientKey: 'group',
        recipientId: null,
        address: null,
        ...out,
      });
    }
    if (!batch) await shared.flush();
  }

  private async write(manager: EntityManager, { inbox, stream, sends }: Writes): Promise<void> {
    if (inbox.length > 0)
      await manager
        .createQueryBuilder()
        .insert()
        .into(NotificationEntity)
        .values(inbox as never[])
        .orIgnore()
        .execute();
    await this.insertStream(manager, stream);
    await this.insertSends(manager, sends);
  }

  /** Stream events for members, and the wake-up of every gateway's streams (delivered on commit). */
  async insertStream(
    manager: EntityManager,
    rows: { userId: string; data: Record<string, unknown> }[],
    topic?: string,
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO core.stream_event (user_id, topic, data)
       SELECT u.user_id, u.topic, u.data FROM unnest($1::bigint[], $2::varchar[], $3::jsonb[]) AS u(user_id, topic, data)`,
      [
        rows.map((r) => r.userId),
        rows.map((r) => topic ?? String(r.data.topic ?? 'message')),
        rows.map((r) => JSON.stringify(r.data)),
      ],
    );
    await manager.query('SELECT pg_notify($1, u.user_id) FROM unnest($2::text[]) AS u(user_id)', [
      STREAM_CHANNEL,
      [...new Set(rows.map((r) => r.userId))],
    ]);
  }

  private async insertSends(manager: EntityManager, sends: SendRow[]): Promise<void> {
    if (sends.length === 0) return;
    const configs = new Map<MessageChannel, boolean>();
    for (const channel of new Set(sends.map((s) => s.channel)))
      configs.set(channel, (await this.settings.channel(channel))?.enabled === true);
    // a send that cannot go (channel off, no address) is recorded as failed at once, with the reason
    const reasonOf = (s: SendRow) =>
      !configs.get(s.channel)
        ? `channel ${s.channel} is not configured or disabled`
        : s.recipientKey !== 'group' && !s.address
          ? `the recipient has no ${s.channel === 'email' ? 'e-mail address' : 'mobile number'}`
          : null;
    await manager.query(
      `INSERT INTO core.message_send
         (message_id, event_type, channel, recipient_key, recipient_id, address, template_id, subject, body, params, status, last_error)
       SELECT u.message_id, u.event_type, u.channel, u.recipient_key, u.recipient_id, u.address, u.template_id, u.subject, u.body, u.params,
              CASE WHEN u.reason IS NULL THEN 'queued' ELSE 'failed' END, u.reason
         FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::bigint[], $6::varchar[], $7::bigint[], $8::varchar[], $9::text[], $10::jsonb[], $11::varchar[])
           AS u(message_id, event_type, channel, recipient_key, recipient_id, address, template_id, subject, body, params, reason)
       ON CONFLICT (message_id, channel, recipient_key) DO NOTHING`,
      [
        sends.map((s) => s.messageId),
        sends.map((s) => s.eventType),
        sends.map((s) => s.channel),
        sends.map((s) => s.recipientKey),
        sends.map((s) => s.recipientId),
        sends.map((s) => s.address),
        sends.map((s) => s.templateId),
        sends.map((s) => s.subject.slice(0, 255)),
        sends.map((s) => s.body),
        sends.map((s) => JSON.stringify(s.params)),
        sends.map(reasonOf),
      ],
    );
  }

  /** Enabled members with their message contact (its mobile over the directory's phone; zh-CN by default). */
  private async recipients(manager: EntityManager, ids: string[]): Promise<Map<string, Recipient>> {
    const people = await this.directory.enabledPeople(ids, manager);
    if (people.length === 0) return new Map();
    const contacts: {
      staff_id: string;
      mobile: string | null;
      email: string | null;
      locale: MessageLocale | null;
    }[] = await manager.query(
      `SELECT staff_id::text AS staff_id, mobile, email, locale FROM core.message_contact
          WHERE staff_id = ANY($1::bigint[])`,
      [people.map((p) => p.id)],
    );
    const contactOf = new Map(contacts.map((c) => [c.staff_id, c]));
    return new Map(
      people.map((p) => {
        const contact = contactOf.get(p.id);
        return [
          p.id,
          {
            id: p.id,
            name: p.name,
            account: p.account,
            mobile: contact?.mobile ?? p.phone,
            email: contact?.email ?? null,
            locale: contact?.locale ?? 'zh-CN',
          },
        ];
      }),
    );
  }

  private async memberChoices(manager: EntityManager, ids: string[], eventType: string) {
    const rows: { staff_id: string; channel: string; enabled: boolean }[] = ids.length
      ? await manager.query(
          `SELECT staff_id::text, channel, enabled FROM core.message_preference
            WHERE staff_id = ANY($1::bigint[]) AND event_type = $2`,
          [ids, eventType],
        )
      : [];
    return new Map(rows.map((r) => [`${r.staff_id}:${r.channel}`, r.enabled]));
  }

  private async defaults(manager: EntityManager, eventType: string) {
    const rows: { channel: MessageChannel; enabled: boolean }[] = await manager.query(
      `SELECT channel, enabled FROM core.message_preference_default WHERE event_type = $1`,
      [eventType],
    );
    return new Map(rows.map((r) => [r.channel, r.enabled]));
  }

  /** The highest active version of each (channel, locale) template of the event type. */
  private templates(manager: EntityManager, eventType: string): Promise<TemplateRow[]> {
    return manager.query(
      `SELECT DISTINCT ON (channel, locale) id::text, channel, locale, subject, body, field_masks
         FROM core.message_template WHERE event_type = $1 AND active
        ORDER BY channel, locale, version DESC`,
      [eventType],
    );
  }
}

interface SendRow {
  messageId: string;
  eventType: string;
  channel: MessageChannel;
  recipientKey: string;
  recipientId: string | null;
  address: string | null;
  templateId: string | null;
  subject: string;
  body: string;
  params: Record<string, unknown>;
}

/** What the messages of a batch write, in the order they were dispatched. */
interface Writes {
  inbox: Partial<NotificationEntity>[];
  stream: { userId: string; data: Record<string, unknown> }[];
  sends: SendRow[];
}
const newWrites = (): Writes => ({ inbox: [], stream: [], sends: [] });
