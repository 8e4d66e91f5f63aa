import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { ANY_JSON_VALUE } from '@app/common';

/*
 * Seed 001 request bodies and query strings with the seed's own spellings. Each field is only
 * let through here; the adapters map it into the platform's DTO, whose rules validate it (one copy
 * of every rule) and whose failures are answered with the seed's field name.
 */

/** An optional seed field, documented in Swagger. */
const Field = (description?: string, example?: unknown) =>
  applyDecorators(ApiPropertyOptional({ ...ANY_JSON_VALUE, description, example }), Allow());
const Required = (description?: string, example?: unknown) =>
  applyDecorators(ApiProperty({ ...ANY_JSON_VALUE, description, example }), Allow());

class PageDto {
  @Field('默认1', 1) page?: unknown;
  @Field('默认20 (≤200)', 20) count?: unknown;
}

class WindowDto extends PageDto {
  @Field('开始时间 2020-01-01 00:00:00') start_time?: unknown;
  @Field('结束时间 2021-01-01 00:00:00') end_time?: unknown;
}

// ------------------------------------------------------------------ /api/user

export class GroupQueryDto {
  @Field('all:所有组 1:启用的组 -1:删除的组 (默认1)', '1') status?: unknown;
}

export class GroupBodyDto {
  @Field('组id: 修改必须, 创建不传') group_id?: unknown;
  @Field('组名 (创建必须)', '管理员') name?: unknown;
  @Field('说明') content?: unknown;
}

export class DelGroupDto {
  @Required('组id') group_id?: unknown;
}

export class StaffQueryDto extends PageDto {
  @Field('all | normal | 1 | 0 | -1 (默认1)') status?: unknown;
  @Field('1:编内员工 2:通讯员 (默认1)') type?: unknown;
  @Field('员工分组的id [1,2,3]') group_ids?: unknown;
}

export class StaffBodyDto {
  @Field('员工id: 修改必须, 创建不传') user_id?: unknown;
  @Field('电话号码 (创建必须)') phoneNumber?: unknown;
  @Field('员工组的id的数组 [1,2] (创建必须)') group_id?: unknown;
  @Field('员工编号') number?: unknown;
  @Field() nickName?: unknown;
  @Field() realName?: unknown;
  @Field('头像图片链接') headImageUrl?: unknown;
  @Field('1 男 2 女 3 未知') sex?: unknown;
  @Field() openId?: unknown;
  @Field() title?: unknown;
  @Field() address?: unknown;
  @Field() school?: unknown;
  @Field() politicalAffiliation?: unknown;
  @Field() education?: unknown;
  @Field() info?: unknown;
  @Field('2020-12-11 00:00:02') entryTime?: unknown;
  @Field('2020-12-11 00:00:02') officialTime?: unknown;
  @Field('2020-12-11 00:00:02') resignTime?: unknown;
  @Field('1 管理员 2 员工 3 通讯员') role_id?: unknown;
}

export class DelUserDto {
  @Required('员工id') user_id?: unknown;
  @Field('-1:删除 0:停用 (默认-1)') status?: unknown;
}

export class LoginBodyDto {
  @Required() phoneNumber?: unknown;
  @Required() password?: unknown;
}

export class LogoutBodyDto {
  @Field('accepted and ignored (A-28)') phoneNumber?: unknown;
  @Field('accepted and ignored (A-28)') password?: unknown;
}

export class PasswordBodyDto {
  @Required('the caller’s own phone number') phoneNumber?: unknown;
  @Required() old_password?: unknown;
  @Required() new_password?: unknown;
}

export class MenuQueryDto extends PageDto {}

export class MenuBodyDto {
  @Field('修改、删除: 是; 创建: 不传') menu_id?: unknown;
  @Field('菜单项显示的名字; with menu_id and without name the item is deleted') name?: unknown;
  @Field('菜单项说明') content?: unknown;
  @Field('菜单项备注') note?: unknown;
}

export class UserMenuQueryDto extends PageDto {
  @Field('员工id; 不传返回全部员工') user_id?: unknown;
}

export class UserMenuBodyDto {
  @Required('员工id') user_id?: unknown;
  @Required('菜单项的id的数组 [1,2,3]') menu?: unknown;
}

// ------------------------------------------------------------- /api/customers

export class OrganizationQueryDto extends PageDto {
  @Field('名字, 模糊查询') organization_name?: unknown;
  @Field('all | -1 | 0 | 1 | 2 | 3 (默认1)') status?: unknown;
  @Field('创建人的id') creator_id?: unknown;
}

export class OrganizationBodyDto {
  @Field('单位id: 修改必须, 创建不传') organization_id?: unknown;
  @Field('单位名字 (创建必须)') groupName?: unknown;
  @Field('单位说明') groupDetail?: unknown;
  @Field() type?: unknown;
  @Field('province (seed spelling)') provience?: unknown;
  @Field('alias of provience (A-30)') province?: unknown;
  @Field() city?: unknown;
  @Field() county?: unknown;
  @Field() address?: unknown;
  @Field() note?: unknown;
  @Field('法人') legal_person?: unknown;
  @Field('注册资本') register_capital?: unknown;
  @Field('成立日期 2020-12-12') registerDate?: unknown;
  @Field('网址') website?: unknown;
  @Field('alias of website (A-30)') wesite?: unknown;
  @Field('创建人 (默认当前登陆员工, A-41)') creator_id?: unknown;
}

export class DelOrganizationDto {
  @Required('客户单位id') organization_id?: unknown;
  @Required('-1:删除 1:正常') status?: unknown;
}

export class CustomerQueryDto extends PageDto {
  @Field('客户单位名字, 模糊查询') organization_name?: unknown;
  @Field('客户单位id') organization_id?: unknown;
  @Field('客户姓名, 模糊查询') name?: unknown;
  @Field('all | -1 | 1 (默认1)') status?: unknown;
  @Field('客户人的手机号') phoneNumber?: unknown;
  @Field('创建人id') creator_id?: unknown;
}

export class CustomerBodyDto {
  @Field('客户id: 修改必须, 创建不传') customer_id?: unknown;
  @Field('free-text category (A-30)') type?: unknown;
  @Field('客户单位id的数组 [1,2,3]') organization_id?: unknown;
  @Field() nickName?: unknown;
  @Field('创建必须') realName?: unknown;
  @Field() avatar?: unknown;
  @Field() phoneNumber?: unknown;
  @Field() job?: unknown;
  @Field('1 男 2 女 3 未知') sex?: unknown;
  @Field('kept as sent (A-72)') cid?: unknown;
  @Field('kept as sent (A-72)') openId?: unknown;
  @Field() level?: unknown;
  @Field('0 | 1') isVip?: unknown;
  @Field('0 | 1') isSenior?: unknown;
  @Field('2020-12-12 11:11:11') vipDueTime?: unknown;
  @Field('2020-12-12 11:11:11') navigationDueTime?: unknown;
  @Field() note?: unknown;
  @Field() legal_person?: unknown;
  @Field() register_capital?: unknown;
  @Field('2020-12-12') registerDate?: unknown;
  @Field() website?: unknown;
  @Field('创建人id (默认当前登陆员工, A-41)') creator_id?: unknown;
}

export class DelCustomerDto {
  @Required('客户id') customer_id?: unknown;
}

// ---------------------------------------------------------------- /api/record

export class PotentialQueryDto extends WindowDto {
  @Field('one record (alias protent_id, A-32)') potent_id?: unknown;
  @Field('alias of potent_id') protent_id?: unknown;
  @Field('客户单位id') organization_id?: unknown;
  @Field('客户负责员工的id') director_id?: unknown;
  @Field('all | -1 | 0 | 1 | 2 | 3 (默认all)') status?: unknown;
}

export class PotentialBodyDto {
  @Field('大的拜访记录的id: 修改必须, 创建不传') protent_id?: unknown;
  @Field('alias of protent_id (A-32)') potent_id?: unknown;
  @Field('客户单位id (创建必须)') organization_id?: unknown;
  @Field('客户负责员工的id (创建必须)') director_id?: unknown;
  @Field('客户介入的时间 (创建必须)') record_time?: unknown;
  @Field() note?: unknown;
}

export class DelPotentialDto {
  @Field('大的拜访记录的id') potent_id?: unknown;
  @Field('alias of potent_id (A-32)') protent_id?: unknown;
  @Required('-1 删除 0 刚介入 1 跟进中 2 过期 3 完成') status?: unknown;
}

export class FollowQueryDto extends WindowDto {
  @Field('大的拜访记录id (optional, A-33)') protent_id?: unknown;
  @Field('alias of protent_id (A-32)') potent_id?: unknown;
  @Field('客户单位id') organization_id?: unknown;
}

export class FollowBodyDto {
  @Field('大的拜访记录id: 创建必须') protent_id?: unknown;
  @Field('alias of protent_id (A-32)') potent_id?: unknown;
  @Field('跟进记录id: 修改必须') follow_id?: unknown;
  @Field('客户id的数组 [1,2,3]') customers_id?: unknown;
  @Field('alias of customers_id (A-36)') customer_id?: unknown;
  @Field('跟进者id的数组 (创建必须)') follower_id?: unknown;
  @Field('拜访时间 (创建必须)') record_time?: unknown;
  @Field('1 接入 2 走访拜访 3 电话拜访 4 签约 5 售后') event?: unknown;
  @Field() gain?: unknown;
  @Field('附件url') event_attach?: unknown;
  @Field('alias of event_attach (A-35)') attach?: unknown;
  @Field('跟进备注') event_note?: unknown;
  @Field('alias of event_note (A-35)') note?: unknown;
}

export class DelFollowDto {
  @Required('跟进记录id') follow_id?: unknown;
}

export class DemandQueryDto extends WindowDto {
  @Field('客户单位id (supported, A-34)') organization_id?: unknown;
}

export class DemandBodyDto {
  @Field('修改必须, 创建不传') demand_id?: unknown;
  @Field('客户id的数组 [1,2,3]') customer_id?: unknown;
  @Field('alias of customer_id (A-36)') customers_id?: unknown;
  @Field('客户单位id (创建必须)') organization_id?: unknown;
  @Field('跟进员工id的数组 (创建必须)') follower_id?: unknown;
  @Field('2020-11-11 00:00:01 (创建必须)') record_time?: unknown;
  @Field('需求变跟内容 (创建必须)') content?: unknown;
  @Field('附件url') demand_attach?: unknown;
  @Field('alias of demand_attach (A-35)') attach?: unknown;
  @Field('需求备注') demand_note?: unknown;
  @Field('alias of demand_note (A-35)') note?: unknown;
}

export class DelDemandDto {
  @Required('需求变更记录id') demand_id?: unknown;
}

// -------------------------------------------------------------- /api/feedback

export class SatisfyQueryDto extends WindowDto {
  @Field('客户单位id') organization_id?: unknown;
  @Field('客户id的数组') customers_id?: unknown;
}

export class SatisfyBodyDto {
  @Field('修改: 是; 创建: 不传') satisfy_id?: unknown;
  @Field('客户单位id (A-37)') organization_id?: unknown;
  @Field('客户id的数组 (a number is a list of one)') customers_id?: unknown;
  @Field('alias of customers_id (A-36)') customer_id?: unknown;
  @Field('客户反馈的时间 (创建必须)') record_time?: unknown;
  @Field('被点赞、批评的员工的id的数组') follower_id?: unknown;
  @Field('附件url') attach?: unknown;
  @Field('满意度的值 (-10~10, 创建必须)') value?: unknown;
  @Field() note?: unknown;
}

export class DelSatisfyDto {
  @Required('满意度记录的id') satisfy_id?: unknown;
}

// -------------------------------------------------------------- /api/contract

export class ContractQueryDto extends WindowDto {
  @Field('客户的单位id (window default one year)') organization_id?: unknown;
}

export class ContractBodyDto {
  @Field('修改: 是; 新建: 不传') contract_id?: unknown;
  @Field('单位id (创建必须)') organization_id?: unknown;
  @Field('合同名字 (创建必须)') name?: unknown;
  @Field('签约日期 2022-01-01 12:00:00 (创建必须)') sign_time?: unknown;
  @Field('合同编号') code?: unknown;
  @Field('合同金额') amount?: unknown;
  @Field('打款金额') remit_amount?: unknown;
  @Field('打款时间') remit_time?: unknown;
  @Field('创建人id (A-41)') creator_id?: unknown;
  @Field('跟进人id的数组') follower_id?: unknown;
  @Field('ignored: the editor is always the caller (A-41)') editor_id?: unknown;
  @Field() note?: unknown;
}

export class DelContractDto {
  @Required('合同的id') contract_id?: unknown;
}

// ----------------------------------------------------------------- /api/stats

export class StatsQueryDto extends WindowDto {
  @Field('客户单位id, 可以传多个 [1,2,3]') organization_ids?: unknown;
}
