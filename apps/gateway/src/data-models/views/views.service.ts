import { Injectable } from '@nestjs/common';
import { type Actor, type FieldError } from '@app/contracts';
import { hasPermission } from '@app/auth';
import { AppException } from '@app/common';
import type { DataModelEntity, DataViewEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import type { SaveViewDto, ViewDto } from '../data-models.dto';
import type { FieldSpec } from '../schema/field-types';
import { ModelsService, specsOf } from '../schema/models.service';
import {
  fieldByKey,
  type FilterGroup,
  isGroup,
  keyOfId,
  parseSortParam,
  resolveFilter,
  resolveGroupBy,
  resolveSorts,
  type SortSpec,
} from './record-query';
import { ViewsRepository } from './views.repository';

interface StoredConfig {
  columns: { field: string; width?: number; visible: boolean }[];
  filter: FilterGroup | null;
  sorts: SortSpec[];
  groupBy: string | null;
}

/** What a list query applies: filters (view's AND the request's), sorts and group-by, by field id. */
export interface ResolvedQuery {
  filter: FilterGroup | null;
  sorts: SortSpec[];
  groupBy: string | null;
}

function filterWithKeys(fields: readonly FieldSpec[], group: FilterGroup | null): unknown {
  if (!group) return null;
  return {
    op: group.op,
    conditions: group.conditions.map((c) =>
      isGroup(c) ? filterWithKeys(fields, c) : { ...c, field: keyOfId(fields, c.field) },
    ),
  };
}

/**
 * Saved table and kanban views (seed 004's view configuration tool): personal ones are their owner's
 * only; shared ones (datamodel:design) are seen by everyone who reads the model. Field references are
 * kept by id, so a renamed field stays in its views.
 */
@Injectable()
export class ViewsService {
  constructor(
    private readonly views: ViewsRepository,
    private readonly models: ModelsService,
    private readonly config: GatewayEnv,
  ) {}

  async list(actor: Actor, key: string): Promise<ViewDto[]> {
    const model = await this.models.load(key);
    const rows = await this.views.listVisible(model.id, actor.id);
    return rows.map((v) => this.dto(model, v));
  }

  async get(actor: Actor, key: string, id: string): Promise<ViewDto> {
    const model = await this.models.load(key);
    return this.dto(model, await this.find(actor, model, id));
  }

  async create(actor: Actor, key: string, dto: SaveViewDto): Promise<ViewDto> {
    const model = await this.models.load(key);
    if (dto.shared) this.assertDesigner(actor);
    const config = this.check(model, dto);
    const id = await this.views.insert({
      modelId: model.id,
      name: dto.name,
      type: dto.type,
      shared: dto.shared ?? false,
      ownerId: actor.id,
      config: config as unknown as Record<string, unknown>,
    });
    return this.get(actor, key, id);
  }

  async update(actor: Actor, key: string, id: string, dto: SaveViewDto): Promise<ViewDto> {
    const model = await this.models.load(key);
    const view = await this.find(actor, model, id);
    this.assertMayEdit(actor, view);
    if (dto.shared && !view.shared) this.assertDesigner(actor);
    const config = this.check(model, dto);
    await this.views.update(view.id, {
      name: dto.name,
      type: dto.type,
      shared: dto.shared ?? view.shared,
      config: config as unknown as Record<string, unknown>,
    });
    return this.get(actor, key, id);
  }

  async remove(actor: Actor, key: string, id: string): Promise<void> {
    const model = await this.models.load(key);
    const view = await this.find(actor, model, id);
    this.assertMayEdit(actor, view);
    await this.views.delete(view.id);
  }

  /**
   * The filter, sorts and group-by of a list request: the view's (if any) with the request's filter
   * ANDed and the request's sorts replacing the view's. Errors name the query parameter.
   */
  async resolve(
    actor: Actor,
    model: DataModelEntity,
    query: { view?: string; filter?: string; sort?: string },
  ): Promise<ResolvedQuery> {
    const fields = specsOf(model);
    let base: StoredConfig | null = null;
    if (query.view) base = (await this.find(actor, model, query.view)).config as unknown as StoredConfig;
    const errors: FieldError[] = [];
    let extra: FilterGroup | null = null;
    if (query.filter) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(query.filter);
      } catch {
        throw AppException.invalid([{ field: 'filter', reason: 'must be JSON' }]);
      }
      const resolved = resolveFilter(fields, parsed, 'filter', this.config.TZ_BUSINESS);
      errors.push(...resolved.errors);
      extra = resolved.filter;
    }
    let sorts = base?.sorts ?? [];
    if (query.sort) {
      const resolved = resolveSorts(fields, parseSortParam(query.sort), 'sort');
      errors.push(...resolved.errors);
      sorts = resolved.sorts;
    }
    if (errors.length) throw AppException.invalid(errors);
    const filters = [base?.filter, extra].filter((f): f is FilterGroup => !!f);
    return {
      filter:
        filters.length === 0 ? null : filters.length === 1 ? filters[0] : { op: 'and', conditions: filters },
      sorts,
      groupBy: base?.groupBy ?? null,
    };
  }

  private check(model: DataModelEntity, dto: SaveViewDto): StoredConfig {
    const fields = specsOf(model);
    const errors: FieldError[] = [];
    const columns = (dto.columns ?? []).flatMap((c, i) => {
      const field = fieldByKey(fields, c.field);
      if (!field) {
        errors.push({ field: `columns[${i}].field`, reason: 'is not a field of this model' });
        return [];
      }
      return [{ field: field.id, ...(c.width ? { width: c.width } : {}), visible: c.visible ?? true }];
    });
    const filter = resolveFilter(fields, dto.filter, 'filter', this.config.TZ_BUSINESS);
    const sorts = resolveSorts(fields, dto.sorts, 'sorts');
    const groupBy = resolveGroupBy(fields, dto.groupBy, 'groupBy');
    errors.push(...filter.errors, ...sorts.errors, ...groupBy.errors);
    if (dto.type === 'kanban' && !dto.groupBy)
      errors.push({ field: 'groupBy', reason: 'a kanban view names the field of its lanes' });
    if (errors.length) throw AppException.invalid(errors);
    return { columns, filter: filter.filter, sorts: sorts.sorts, groupBy: groupBy.groupBy };
  }

  /** A view the caller may see (shared, or their own); others are 404. */
  private async find(actor: Actor, model: DataModelEntity, id: string): Promise<DataViewEntity> {
    const view = await this.views.findVisible(model.id, actor.id, id);
    if (!view) throw AppException.notFound('view', id);
    return view;
  }

  private assertDesigner(actor: Actor): void {
    if (!hasPermission(actor, 'datamodel:design'))
      throw AppException.forbidden('NO_PERMISSION', 'shared views need datamodel:design');
  }

  private assertMayEdit(actor: Actor, view: DataViewEntity): void {
    if (view.ownerId !== actor.id && !(view.shared && hasPermission(actor, 'datamodel:design')))
      throw AppException.forbidden(
        'NO_PERMISSION',
        'only its owner (or a designer, for a shared view) edits a view',
      );
  }

  private dto(model: DataModelEntity, view: DataViewEntity): ViewDto {
    const fields = specsOf(model);
    const config = view.config as unknown as StoredConfig;
    return {
      id: view.id,
      model: model.key,
      name: view.name,
      type: view.type,
      shared: view.shared,
      ownerId: view.ownerId,
      columns: config.columns.map((c) => ({ ...c, field: keyOfId(fields, c.field) })),
      filter: filterWithKeys(fields, config.filter),
      sorts: config.sorts.map((s) => ({ field: keyOfId(fields, s.field), direction: s.direction })),
      groupBy: config.groupBy ? keyOfId(fields, config.groupBy) : null,
      updatedAt: view.updatedAt.toISOString(),
    };
  }
}
