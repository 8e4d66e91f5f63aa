import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '@app/contracts';
import { AppException, PageQueryDto } from '@app/common';
import type { Principal } from '@app/auth';
import { GatewayEnv } from '../../config/gateway.env';
import { ChangePasswordDto, LoginDto } from '../../identity/auth/auth.dto';
import { AuthService } from '../../identity/auth/auth.service';
import { CreateGroupDto, GroupListQueryDto, UpdateGroupDto } from '../../identity/groups/group.dto';
import { GroupsService } from '../../identity/groups/groups.service';
import { CreateMenuDto, UpdateMenuDto } from '../../identity/menus/menu.dto';
import { MenusService } from '../../identity/menus/menus.service';
import type { ClientContext } from '../../identity/shared/client-context';
import { isBigintId } from '../../shared/dto-helpers';
import {
  CreateStaffDto,
  SetMenusDto,
  StaffListQueryDto,
  UpdateStaffDto,
} from '../../identity/staff/staff.dto';
import { StaffService } from '../../identity/staff/staff.service';
import { LegacySessionCookie } from '../legacy-session-cookie';
import { asSeed, done, type FieldNames, listed, PAGE_NAMES, platformDto } from './crm-backend-envelope';
import { CrmBackendRepository } from './crm-backend.repository';
import type {
  DelGroupDto,
  DelUserDto,
  GroupBodyDto,
  GroupQueryDto,
  LoginBodyDto,
  MenuBodyDto,
  MenuQueryDto,
  PasswordBodyDto,
  StaffBodyDto,
  StaffQueryDto,
  UserMenuBodyDto,
  UserMenuQueryDto,
} from './crm-backend.dto';
import { CrmBackendMapper, idOf, idsOf, isCreate, pageOf, sexOf, textOf, timeOf } from './crm-backend.mapper';

const GROUP_STATUS: Record<string, string> = { all: 'all', '1': 'enabled', '-1': 'deleted', '0': 'enabled' };
const STAFF_STATUS: Record<string, string> = {
  all: 'all',
  normal: 'normal',
  '1': 'enabled',
  '0': 'disabled',
  '-1': 'deleted',
};
const STAFF_TYPE: Record<string, string> = { '1': 'staff', '2': 'courier' };
const ROLE_CODE: Record<string, string> = { '1': 'admin', '2': 'staff', '3': 'courier' };

const GROUP_NAMES: FieldNames = { name: 'name', detail: 'content', status: 'status', ...PAGE_NAMES };
const STAFF_NAMES: FieldNames = {
  ...PAGE_NAMES,
  phone: 'phoneNumber',
  groupIds: 'group_id',
  employeeNo: 'number',
  avatarUrl: 'headImageUrl',
  roleIds: 'role_id',
  type: 'type',
  status: 'status',
};
const MENU_NAMES: FieldNames = { ...PAGE_NAMES, menuIds: 'menu', id: 'menu_id' };

/** A required id of the seed, named as the seed names it. */
export function requiredId(value: unknown, field: string): string {
  const id = idOf(value);
  if (!isBigintId(id)) throw AppException.invalid([{ field, reason: 'must be a positive integer id' }]);
  return id;
}

/** A value out of a fixed set of seed codes. */
export function codeOf(map: Record<string, string>, value: unknown, field: string, fallback: string): string {
  if (value === undefined || value === null || value === '') return fallback;
  const code = map[String(value)];
  if (!code) throw AppException.invalid([{ field, reason: `must be one of ${Object.keys(map).join(', ')}` }]);
  return code;
}

/** 员工组, 员工, 登入/登出/修改密码, 菜单配置项, 员工菜单 over the identity services. */
@Injectable()
export class CrmBackendUserService {
  private readonly map: CrmBackendMapper;

  constructor(
    private readonly auth: AuthService,
    private readonly groups: GroupsService,
    private readonly staff: StaffService,
    private readonly menus: MenusService,
    private readonly lookups: CrmBackendRepository,
    private readonly cookie: LegacySessionCookie,
    config: GatewayEnv,
  ) {
    this.map = new CrmBackendMapper(config.TZ_BUSINESS);
  }

  /** No paging in the seed: every group of the status, up to the platform's page cap. */
  async listGroups(query: GroupQueryDto) {
    const dto = platformDto(
      GroupListQueryDto,
      { status: codeOf(GROUP_STATUS, query.status, 'status', 'enabled'), pageNum: 1, pageSize: 200 },
      GROUP_NAMES,
    );
    const page = await this.groups.list(dto);
    return { status: 0, msg: '查询成功', data: page.rows.map((g) => this.map.group(g)) };
  }

  async saveGroup(principal: Principal, body: GroupBodyDto, client: ClientContext) {
    const fields = { name: textOf(body.name), detail: textOf(body.content) };
    return asSeed(GROUP_NAMES, async () => {
      if (isCreate(body.group_id)) {
        const dto = platformDto(CreateGroupDto, fields, GROUP_NAMES);
        const group = await this.groups.create(principal.actor, dto, client);
        return done('操作成功', { id: Number(group.id) });
      }
      const id = requiredId(body.group_id, 'group_id');
      const dto = platformDto(UpdateGroupDto, fields, GROUP_NAMES);
      await this.groups.update(principal.actor, id, dto, client);
      return done('操作成功', { id: Number(id) });
    });
  }

  async deleteGroup(principal: Principal, query: DelGroupDto, client: ClientContext) {
    await this.groups.setStatus(principal.actor, requiredId(query.group_id, 'group_id'), 'deleted', client);
    return done('删除成功');
  }

  async listStaff(principal: Principal, query: StaffQueryDto) {
    const dto = platformDto(
      StaffListQueryDto,
      {
        ...pageOf(query),
        status: codeOf(STAFF_STATUS, query.status, 'status', 'enabled'),
        type: codeOf(STAFF_TYPE, query.type, 'type', 'staff'),
        groupIds: query.group_ids === '' ? undefined : query.group_ids,
      },
      { ...STAFF_NAMES, groupIds: 'group_ids' },
    );
    const page = await this.staff.list(principal.actor, dto);
    return listed(
      page.rows.map((s) => this.map.staff(s)),
      page,
    );
  }

  async saveStaff(principal: Principal, body: StaffBodyDto, client: ClientContext) {
    const roleCode =
      body.role_id === undefined || body.role_id === null || body.role_id === ''
        ? undefined
        : codeOf(ROLE_CODE, body.role_id, 'role_id', 'staff');
    const roleId = roleCode ? await this.lookups.roleIdByCode(roleCode) : undefined;
    const fields = {
      phone: textOf(body.phoneNumber),
      groupIds: idsOf(body.group_id),
      employeeNo: textOf(body.number),
      nickName: body.nickName,
      realName: body.realName,
      avatarUrl: body.headImageUrl,
      sex: sexOf(body.sex),
      openId: textOf(body.openId),
      title: textOf(body.title),
      address: body.address,
      school: body.school,
      politicalAffiliation: body.politicalAffiliation,
      education: body.education,
      info: body.info,
      entryTime: timeOf(body.entryTime),
      officialTime: timeOf(body.officialTime),
      resignTime: timeOf(body.resignTime),
      ...(roleId ? { roleIds: [roleId] } : {}),
    };
    return asSeed(STAFF_NAMES, async () => {
      if (isCreate(body.user_id)) {
        if (body.phoneNumber === undefined || body.phoneNumber === null || body.phoneNumber === '')
          throw AppException.invalid([{ field: 'phoneNumber', reason: 'is required' }]);
        if (fields.groupIds === undefined)
          throw AppException.invalid([{ field: 'group_id', reason: 'is required' }]);
        // No real name in the seed's create: the nick name, else the phone number, names the member.
        const dto = platformDto(
          CreateStaffDto,
          { ...fields, realName: fields.realName ?? fields.nickName ?? fields.phone },
          STAFF_NAMES,
        );
        const created = await this.staff.create(principal, dto, client);
        return done('操作成功', { id: Number(created.id) });
      }
      const id = requiredId(body.user_id, 'user_id');
      await this.staff.update(principal, id, platformDto(UpdateStaffDto, fields, STAFF_NAMES), client);
      return done('操作成功', { id: Number(id) });
    });
  }

  /** `status` −1 deletes (default), 0 disables. */
  async deleteStaff(principal: Principal, query: DelUserDto, client: ClientContext) {
    const id = requiredId(query.user_id, 'user_id');
    const action = codeOf({ '-1': 'delete', '0': 'disable' }, query.status, 'status', 'delete');
    await this.staff.changeStatus(principal, id, action as 'delete' | 'disable', client);
    return done(action === 'delete' ? '删除成功' : '停用成功');
  }

  /** `{msg:"登陆成功",status:0}` plus the session cookie and `data.token`. */
  async login(body: LoginBodyDto, client: ClientContext, reply: FastifyReply) {
    const dto = platformDto(
      LoginDto,
      { account: textOf(body.phoneNumber), password: body.password },
      { account: 'phoneNumber', password: 'password' },
    );
    let pair: Awaited<ReturnType<AuthService['login']>>;
    try {
      pair = await this.auth.login(dto, client);
    } catch (error) {
      // unknown phone and wrong password alike, in words a login form shows (not "令牌无效或已过期")
      if (error instanceof AppException && error.code === ErrorCode.InvalidToken)
        return { status: 1, msg: '用户名或密码错误', code: ErrorCode.InvalidToken };
      throw error;
    }
    this.cookie.set(reply, pair.accessToken, pair.expiresIn);
    return { msg: '登陆成功', status: 0, data: { token: pair.accessToken } };
  }

  /** The password fields are ignored: logout ends the presented session. */
  async logout(principal: Principal, client: ClientContext, reply: FastifyReply) {
    await this.auth.logout(principal, client);
    this.cookie.clear(reply);
    return { msg: '登出成功', status: 0 };
  }

  /** The phone number must be the caller's own; the session continues with a new cookie. */
  async changePassword(
    principal: Principal,
    body: PasswordBodyDto,
    client: ClientContext,
    reply: FastifyReply,
  ) {
    const names = { oldPassword: 'old_password', newPassword: 'new_password' };
    const dto = platformDto(
      ChangePasswordDto,
      { oldPassword: body.old_password, newPassword: body.new_password },
      names,
    );
    if (!principal.staffId) throw AppException.forbidden();
    const me = await this.staff.get(principal.actor, principal.staffId);
    if (textOf(body.phoneNumber) !== me.phone) {
      throw new AppException(ErrorCode.NoPermission, 'NOT_YOUR_PHONE', 'phoneNumber is not yours');
    }
    const pair = await asSeed(names, () => this.auth.changePassword(principal, dto, client));
    this.cookie.set(reply, pair.accessToken, pair.expiresIn);
    return { msg: '修改成功', status: 0 };
  }

  async listMenus(query: MenuQueryDto) {
    const page = await this.menus.list(platformDto(PageQueryDto, pageOf(query), PAGE_NAMES));
    return listed(
      page.rows.map((m) => this.map.menu(m)),
      page,
    );
  }

  /** Without `menu_id`: create; with it: update, or delete when `name` is absent. */
  async saveMenu(principal: Principal, body: MenuBodyDto, client: ClientContext) {
    const fields = { name: textOf(body.name), content: textOf(body.content), note: textOf(body.note) };
    if (isCreate(body.menu_id)) {
      const created = await this.menus.create(
        principal.actor,
        platformDto(CreateMenuDto, fields, MENU_NAMES),
      );
      return done('操作成功', { id: Number(created.id) });
    }
    const id = requiredId(body.menu_id, 'menu_id');
    if (body.name === undefined || body.name === null || body.name === '') {
      await this.menus.remove(principal.actor, id);
      return done('操作成功'); // the seed's one answer for this POST
    }
    await this.menus.update(principal.actor, id, platformDto(UpdateMenuDto, fields, MENU_NAMES), client);
    return done('操作成功', { id: Number(id) });
  }

  /** One member (`user_id`) or every member in the caller's scope, with their direct menu grants. */
  async listUserMenus(principal: Principal, query: UserMenuQueryDto) {
    if (query.user_id !== undefined && query.user_id !== '') {
      const id = requiredId(query.user_id, 'user_id');
      const [member, menus] = await Promise.all([
        this.staff.get(principal.actor, id),
        this.staff.menus(principal.actor, id),
      ]);
      return {
        status: 0,
        msg: '查询成功',
        data: [this.map.staffMenus(member, menus.menus)],
        page_info: { total: 1, page: 1, count: 20 },
      };
    }
    const dto = platformDto(
      StaffListQueryDto,
      { ...pageOf(query), status: 'normal', include: 'menus' },
      STAFF_NAMES,
    );
    const page = await this.staff.list(principal.actor, dto);
    return listed(
      page.rows.map((s) => this.map.staffMenus(s, s.menus ?? [])),
      page,
    );
  }

  async setUserMenus(principal: Principal, body: UserMenuBodyDto, client: ClientContext) {
    const id = requiredId(body.user_id, 'user_id');
    // menu is 是 (required): a call without it must not clear the member's menus; `[]` clears them
    if (body.menu === undefined || body.menu === null || body.menu === '')
      throw AppException.invalid([{ field: 'menu', reason: 'is required' }]);
    const dto = platformDto(SetMenusDto, { menuIds: idsOf(body.menu) ?? [] }, MENU_NAMES);
    await asSeed(MENU_NAMES, () => this.staff.setMenus(principal, id, dto.menuIds, client));
    return done('修改成功');
  }
}
