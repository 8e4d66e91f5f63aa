import { Injectable } from '@nestjs/common';
import type { Actor, FieldError } from '@app/contracts';
import { AppException, type Page, toPage } from '@app/common';
import { isMaskStrategy, MASK_STRATEGY_NAMES } from '../centre/masking';
import { MessageSettings } from '../centre/message-settings.service';
import { sampleData, TEMPLATE_EVENT_TYPES, variablesOf } from './event-schemas';
import { malformedPlaceholder, renderTemplate, templateVariables } from './render';
import { TemplatesRepository } from './templates.repository';
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
    private readonly templates: TemplatesRepository,
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
    const [rows, total] = await this.templates.findPage(query);
    return toPage(
      rows.map((t) => mapTemplate(t, usedVariables(t))),
      total,
      query,
    );
  }

  async get(id: string): Promise<TemplateDto> {
    const t = await this.templates.findById(id);
    if (!t) throw AppException.notFound('template', id);
    return mapTemplate(t, usedVariables(t));
  }

  /** Saves the next version of the (event type, channel, language) template. */
  async save(actor: Actor, dto: SaveTemplateDto): Promise<TemplateDto> {
    this.validate(dto);
    const saved = await this.templates.insertNextVersion({
      eventType: dto.eventType,
      channel: dto.channel,
      locale: dto.locale,
      subject: dto.subject ?? null,
      body: dto.body,
      fieldMasks: dto.fieldMasks ?? {},
      createdBy: actor.id,
    });
    return mapTemplate(saved, usedVariables(saved));
  }

  async setActive(id: string, active: boolean): Promise<TemplateDto> {
    const t = await this.templates.findById(id);
    if (!t) throw AppException.notFound('template', id);
    await this.templates.setActive(id, active);
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
