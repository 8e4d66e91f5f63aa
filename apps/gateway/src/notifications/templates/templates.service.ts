import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor, FieldError } from '@app/contracts';
import { AppException, type Page, pageOffset, toPage } from '@app/common';
import { MessageTemplateEntity } from '@app/database';
import { isMaskStrategy, MASK_STRATEGY_NAMES } from '../centre/masking';
import { MessageSettings } from '../centre/message-settings.service';
import { sampleData, TEMPLATE_EVENT_TYPES, variablesOf } from './event-schemas';
import { malformedPlaceholder, renderTemplate, templateVariables } from './render';
import {
  type EventTypeDto,
  mapTemplate,
  type PreviewDto,
  type PreviewTemplateDto,
  type SaveTemplateDto,
  type TemplateDto,
  type TemplateQueryDto,
} from './template.dto';

const usedVariables = (t: { subject: string | null; body: string }) =>
  templateVariables(`${t.subject ?? ''}\n${t.body}`);

/** Content templates: validated against the event's variables when saved, never edited (new versions). */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: MessageSettings,
  ) {}

  eventTypes(): EventTypeDto[] {
    return TEMPLATE_EVENT_TYPES.map((eventType) => ({
      eventType,
      variables: Object.entries(variablesOf(eventType) ?? {}).map(([path, sample]) => ({
        path,
        sample: Array.isArray(sample) ? sample.join(',') : String(sample ?? ''),
      })),
      maskStrategies: MASK_STRATEGY_NAMES,
    }));
  }

  async list(query: TemplateQueryDto): Promise<Page<TemplateDto>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(MessageTemplateEntity, 't')
      .orderBy('t.event_type')
      .addOrderBy('t.channel')
      .addOrderBy('t.locale')
      .addOrderBy('t.version', 'DESC')
      .skip(pageOffset(query))
      .take(query.pageSize);
    if (query.eventType) qb.andWhere('t.event_type = :e', { e: query.eventType });
    if (query.channel) qb.andWhere('t.channel = :c', { c: query.channel });
    if (query.locale) qb.andWhere('t.locale = :l', { l: query.locale });
    if (!query.allVersions)
      qb.andWhere(
        `t.version = (SELECT max(v.version) FROM core.message_template v
          WHERE v.event_type = t.event_type AND v.channel = t.channel AND v.locale = t.locale)`,
      );
    const [rows, total] = await qb.getManyAndCount();
    return toPage(
      rows.map((t) => mapTemplate(t, usedVariables(t))),
      total,
      query,
    );
  }

  async get(id: string): Promise<TemplateDto> {
    const t = await this.dataSource.manager.findOneBy(MessageTemplateEntity, { id });
    if (!t) throw AppException.notFound('template', id);
    return mapTemplate(t, usedVariables(t));
  }

  /** Saves the next version of the (event type, channel, language) template. */
  async save(actor: Actor, dto: SaveTemplateDto): Promise<TemplateDto> {
    this.validate(dto);
    return this.dataSource.transaction(async (manager) => {
      // serializes concurrent saves of the same template so versions stay gapless and unique
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `message_template:${dto.eventType}:${dto.channel}:${dto.locale}`,
      ]);
      const [{ next }]: { next: number }[] = await manager.query(
        `SELECT COALESCE(max(version), 0) + 1 AS next FROM core.message_template
          WHERE event_type = $1 AND channel = $2 AND locale = $3`,
        [dto.eventType, dto.channel, dto.locale],
      );
      const repo = manager.getRepository(MessageTemplateEntity);
      const saved = await repo.save(
        repo.create({
          eventType: dto.eventType,
          channel: dto.channel,
          locale: dto.locale,
          version: next,
          subject: dto.subject ?? null,
          body: dto.body,
          fieldMasks: dto.fieldMasks ?? {},
          active: true,
          createdBy: actor.id,
        }),
      );
      return mapTemplate(saved, usedVariables(saved));
    });
  }

  async setActive(id: string, active: boolean): Promise<TemplateDto> {
    const repo = this.dataSource.getRepository(MessageTemplateEntity);
    const t = await repo.findOneBy({ id });
    if (!t) throw AppException.notFound('template', id);
    await repo.update({ id }, { active });
    return mapTemplate({ ...t, active }, usedVariables(t));
  }

  /** Renders a template (saved or not) with sample or given data, masks and the word filter applied. */
  async preview(dto: PreviewTemplateDto): Promise<PreviewDto> {
    this.validate(dto);
    const data = dto.data ?? sampleData(dto.eventType);
    const filter = await this.settings.filter();
    const options = { masks: dto.fieldMasks ?? {}, filter: (text: string) => filter.filter(text) };
    return {
      subject: dto.subject ? renderTemplate(dto.subject, data, options) : null,
      body: renderTemplate(dto.body, data, options),
      data,
    };
  }

  private validate(dto: SaveTemplateDto): void {
    const errors: FieldError[] = [];
    const variables = variablesOf(dto.eventType);
    if (!variables) {
      throw AppException.invalid([
        { field: 'eventType', reason: `unknown event type; one of ${TEMPLATE_EVENT_TYPES.join(', ')}` },
      ]);
    }
    for (const field of ['subject', 'body'] as const) {
      const text = dto[field];
      if (!text) continue;
      const malformed = malformedPlaceholder(text);
      if (malformed) errors.push({ field, reason: malformed });
      for (const path of templateVariables(text))
        if (!Object.hasOwn(variables, path))
          errors.push({ field, reason: `{{${path}}} is not a variable of ${dto.eventType}` });
    }
    for (const [path, strategy] of Object.entries(dto.fieldMasks ?? {})) {
      if (!Object.hasOwn(variables, path))
        errors.push({ field: `fieldMasks.${path}`, reason: `not a variable of ${dto.eventType}` });
      if (typeof strategy !== 'string' || !isMaskStrategy(strategy))
        errors.push({
          field: `fieldMasks.${path}`,
          reason: `unknown strategy; one of ${MASK_STRATEGY_NAMES.join(', ')}`,
        });
    }
    if (errors.length > 0) throw AppException.invalid(errors);
  }
}
