import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pageOffset } from '@app/common';
import { MessageTemplateEntity } from '@app/database';
import type { TemplateQueryDto } from './template.dto';

export type NewTemplate = Pick<
  MessageTemplateEntity,
  'eventType' | 'channel' | 'locale' | 'subject' | 'body' | 'fieldMasks' | 'createdBy'
>;

/** Message template queries. */
@Injectable()
export class TemplatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  findPage(query: TemplateQueryDto): Promise<[MessageTemplateEntity[], number]> {
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
    return qb.getManyAndCount();
  }

  findById(id: string): Promise<MessageTemplateEntity | null> {
    return this.dataSource.manager.findOneBy(MessageTemplateEntity, { id });
  }

  /** Saves the next version of the (event type, channel, language) template, active. */
  insertNextVersion(template: NewTemplate): Promise<MessageTemplateEntity> {
    return this.dataSource.transaction(async (manager) => {
      // serializes concurrent saves of the same template so versions stay gapless and unique
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `message_template:${template.eventType}:${template.channel}:${template.locale}`,
      ]);
      const [{ next }]: { next: number }[] = await manager.query(
        `SELECT COALESCE(max(version), 0) + 1 AS next FROM core.message_template
          WHERE event_type = $1 AND channel = $2 AND locale = $3`,
        [template.eventType, template.channel, template.locale],
      );
      const repo = manager.getRepository(MessageTemplateEntity);
      return repo.save(repo.create({ ...template, version: next, active: true }));
    });
  }

  async setActive(id: string, active: boolean): Promise<void> {
    await this.dataSource.manager.update(MessageTemplateEntity, { id }, { active });
  }
}
