import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query, type Type } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PageQueryDto } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ChangeDto, ParseIdPipe } from './crm-dto';

/** What the soft delete routes call. */
export interface SoftDeleteService<D> {
  setDeleted(actor: Actor, id: string, deleted: boolean): Promise<D>;
}

/** What the directory routes (customers, organizations) call. */
export interface DirectoryRouteService<D, Q, C, U> extends SoftDeleteService<D> {
  cappedList(actor: Actor, query: Q): Promise<Page<D>>;
  get(actor: Actor, id: string): Promise<D>;
  timeline(actor: Actor, id: string, page: PageQueryDto): Promise<Page<ChangeDto>>;
  create(actor: Actor, dto: C): Promise<D>;
  update(actor: Actor, id: string, dto: U): Promise<D>;
}

type RoutesBase<S> = abstract new (service: S) => { readonly service: S };

/**
 * `DELETE :id` and `POST :id/restore` of a CRM record controller. Nest lists a controller's routes
 * derived class first, so these base routes come after the feature's own, as the published document
 * has them.
 */
export function SoftDeleteRoutes<D, S extends SoftDeleteService<D>>(
  dto: Type<D>,
  summaries: { remove: string; restore: string },
) {
  abstract class SoftDelete {
    constructor(readonly service: S) {}

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

export interface DirectoryRoutesOptions<D, Q, C, U> {
  dto: Type<D>;
  query: Type<Q>;
  create: Type<C>;
  update: Type<U>;
  summaries: { list: string; get: string; timeline: string; create: string; update: string };
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
 * The routes customers and organizations share: a list with a capped total, one record, its audit
 * timeline, create and edit, over `Base` (the soft delete routes, or a feature's own routes on them).
 */
export function DirectoryRoutes<D, Q, C, U, S extends DirectoryRouteService<D, Q, C, U>>(
  options: DirectoryRoutesOptions<D, Q, C, U>,
  Base: RoutesBase<S>,
) {
  const { dto, summaries } = options;
  abstract class Directory extends Base {
    @Get()
    @RequirePermissions('crm:read')
    @ApiOperation({ summary: summaries.list })
    @ApiGuarded(dto, { paged: true })
    list(@CurrentActor() actor: Actor, @Query() query: Q): Promise<Page<D>> {
      return this.service.cappedList(actor, query);
    }

    @Get(':id')
    @RequirePermissions('crm:read')
    @ApiOperation({ summary: summaries.get })
    @ApiGuarded(dto, { errors: [ErrorCode.NotFound] })
    get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<D> {
      return this.service.get(actor, id);
    }

    @Get(':id/timeline')
    @RequirePermissions('crm:read')
    @ApiOperation({ summary: summaries.timeline })
    @ApiGuarded(ChangeDto, { paged: true, errors: [ErrorCode.NotFound] })
    timeline(
      @CurrentActor() actor: Actor,
      @Param('id', ParseIdPipe) id: string,
      @Query() page: PageQueryDto,
    ): Promise<Page<ChangeDto>> {
      return this.service.timeline(actor, id, page);
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
  paramType(Directory.prototype, 'list', 1, options.query);
  paramType(Directory.prototype, 'create', 1, options.create);
  paramType(Directory.prototype, 'update', 2, options.update);
  return Directory;
}
