import { Body, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, type Type } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PageQueryDto } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ChangeDto, ParseIdPipe } from './crm-dto';

/** What the routes of a CRM record controller call. */
export interface RecordRouteService<D, Q, C, U> {
  list(actor: Actor, query: Q): Promise<Page<D>>;
  get(actor: Actor, id: string): Promise<D>;
  create(actor: Actor, dto: C): Promise<D>;
  update(actor: Actor, id: string, dto: U): Promise<D>;
  setDeleted(actor: Actor, id: string, deleted: boolean): Promise<D>;
}

type RoutesBase<S> = abstract new (...args: never[]) => { readonly service: S };

/**
 * `DELETE :id` and `POST :id/restore`, the base of every CRM record controller. Nest lists a controller's
 * routes derived class first: a feature's own routes go in a class between this one and `RecordRoutes`,
 * so that the published document keeps them before these.
 */
export function SoftDeleteRoutes<D, S extends Pick<RecordRouteService<D, never, never, never>, 'setDeleted'>>(
  service: Type<S>,
  dto: Type<D>,
  summaries: { remove: string; restore: string },
) {
  abstract class SoftDelete {
    constructor(@Inject(service) readonly service: S) {}

    @Delete(':id')
    @RequirePermissions('crm:write')
    @ApiOperation({ summary: summaries.remove })
    @ApiGuarded(dto, { errors: [ErrorCode.NotFound] })
    remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<D> {
      return this.service.setDeleted(actor, id, true);
    }

    @Post(':id/restore')
    @HttpCode(200)
    @RequirePermissions('crm:write')
    @ApiOperation({ summary: summaries.restore })
    @ApiGuarded(dto, { errors: [ErrorCode.NotFound] })
    restore(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<D> {
      return this.service.setDeleted(actor, id, false);
    }
  }
  return SoftDelete;
}

/** `GET :id/timeline` of customers and organizations, over `Base`. */
export function TimelineRoutes<
  S extends { timeline(actor: Actor, id: string, page: PageQueryDto): Promise<Page<ChangeDto>> },
>(summary: string, Base: RoutesBase<S>) {
  abstract class Timeline extends Base {
    @Get(':id/timeline')
    @RequirePermissions('crm:read')
    @ApiOperation({ summary })
    @ApiGuarded(ChangeDto, { paged: true, errors: [ErrorCode.NotFound] })
    timeline(
      @CurrentActor() actor: Actor,
      @Param('id', ParseIdPipe) id: string,
      @Query() page: PageQueryDto,
    ): Promise<Page<ChangeDto>> {
      return this.service.timeline(actor, id, page);
    }
  }
  return Timeline;
}

export interface RecordRoutesOptions<D, Q, C, U> {
  dto: Type<D>;
  query: Type<Q>;
  create: Type<C>;
  update: Type<U>;
  summaries: { list: string; get: string; create: string; update: string };
  /** Create's own failures, beyond a guarded route's (`GUARDED_ROUTE_ERRORS`). */
  createErrors: ErrorCode[];
}

/** The body or query class of a generic route's parameter: TypeScript records `Object` for a type parameter. */
function paramType(prototype: object, method: string, index: number, type: Type<unknown>): void {
  const types = [...(Reflect.getMetadata('design:paramtypes', prototype, method) as unknown[])];
  types[index] = type;
  Reflect.defineMetadata('design:paramtypes', types, prototype, method);
}

/**
 * The list, one record, create and edit of a CRM record controller, over `Base` (the soft delete routes,
 * or a feature's own routes on them). Create and edit reuse the list's and the record's paths, so the
 * document lists the paths of the routes below them after these.
 */
export function RecordRoutes<D, Q, C, U, S extends RecordRouteService<D, Q, C, U>>(
  options: RecordRoutesOptions<D, Q, C, U>,
  Base: RoutesBase<S>,
) {
  const { dto, summaries } = options;
  abstract class Routes extends Base {
    @Get()
    @RequirePermissions('crm:read')
    @ApiOperation({ summary: summaries.list })
    @ApiGuarded(dto, { paged: true })
    list(@CurrentActor() actor: Actor, @Query() query: Q): Promise<Page<D>> {
      return this.service.list(actor, query);
    }

    @Get(':id')
    @RequirePermissions('crm:read')
    @ApiOperation({ summary: summaries.get })
    @ApiGuarded(dto, { errors: [ErrorCode.NotFound] })
    get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<D> {
      return this.service.get(actor, id);
    }

    @Post()
    @HttpCode(200)
    @RequirePermissions('crm:write')
    @ApiOperation({ summary: summaries.create })
    @ApiGuarded(dto, { errors: options.createErrors })
    create(@CurrentActor() actor: Actor, @Body() body: C): Promise<D> {
      return this.service.create(actor, body);
    }

    @Patch(':id')
    @RequirePermissions('crm:write')
    @ApiOperation({ summary: summaries.update })
    @ApiGuarded(dto, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
    update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string, @Body() body: U): Promise<D> {
      return this.service.update(actor, id, body);
    }
  }
  // validation and the document read these classes
  paramType(Routes.prototype, 'list', 1, options.query);
  paramType(Routes.prototype, 'create', 1, options.create);
  paramType(Routes.prototype, 'update', 2, options.update);
  return Routes;
}

/**
 * Every route of a record filed under an organization (potentials, follow-ups, demands, satisfaction,
 * contracts): a list with its own filters and summary, the rest alike.
 */
export function ActivityRoutes<D, Q, C, U, S extends RecordRouteService<D, Q, C, U>>(
  options: Omit<RecordRoutesOptions<D, Q, C, U>, 'summaries' | 'createErrors'> & {
    service: Type<S>;
    list: string;
  },
) {
  return RecordRoutes(
    {
      ...options,
      summaries: {
        list: options.list,
        get: 'One record (404 outside your data scope)',
        create: 'Create; linked records and staff must be within your data scope',
        update: 'Edit the given fields; audited into the organization timeline',
      },
      createErrors: [ErrorCode.NotFound],
    },
    SoftDeleteRoutes(options.service, options.dto, {
      remove: 'Soft delete: gone from lists, export and statistics until restored',
      restore: 'Restore a deleted record',
    }),
  );
}
