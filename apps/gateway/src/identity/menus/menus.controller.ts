import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PageQueryDto, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { type ClientContext, RequestClient } from '../shared/client-context';
import { ParseIdPipe } from '../../shared/dto-helpers';
import { CreateMenuDto, MenuDto, UpdateMenuDto } from './menu.dto';
import { MenusService } from './menus.service';

@PlatformController('menus', 'identity: menus')
export class MenusController {
  constructor(private readonly menus: MenusService) {}

  @Get()
  @RequirePermissions('menu:read')
  @ApiOperation({ summary: 'Menu items (菜单配置项), paged (seed 001 GET /api/user/menu)' })
  @ApiGuarded(MenuDto, { paged: true })
  list(@Query() query: PageQueryDto): Promise<Page<MenuDto>> {
    return this.menus.list(query);
  }

  @Get(':id')
  @RequirePermissions('menu:read')
  @ApiOperation({ summary: 'One menu item' })
  @ApiGuarded(MenuDto, { errors: [ErrorCode.NotFound] })
  get(@Param('id', ParseIdPipe) id: string): Promise<MenuDto> {
    return this.menus.get(id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('menu:write')
  @ApiOperation({ summary: 'Create a menu item (name, content, note, the permissions it grants)' })
  @ApiGuarded(MenuDto)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateMenuDto): Promise<MenuDto> {
    return this.menus.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermissions('menu:write')
  @ApiOperation({ summary: 'Edit a menu item; a change of its permissions reaches every holder at once' })
  @ApiGuarded(MenuDto, { errors: [ErrorCode.NotFound] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateMenuDto,
    @RequestClient() client: ClientContext,
  ): Promise<MenuDto> {
    return this.menus.update(actor, id, dto, client);
  }

  @Delete(':id')
  @RequirePermissions('menu:write')
  @ApiOperation({ summary: 'Delete a menu item and its grants' })
  @ApiGuarded(null, { errors: [ErrorCode.NotFound] })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<void> {
    return this.menus.remove(actor, id);
  }
}
