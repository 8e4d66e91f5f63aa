import type { GroupDto } from '../../identity/groups/group.dto';
import type { MenuDto } from '../../identity/menus/menu.dto';
import type { MenuRefDto, StaffDto } from '../../identity/staff/staff.dto';
import type { ContractDto } from '../../crm/contracts/contract.dto';
import type { CustomerDto } from '../../crm/customers/customer.dto';
import type { DemandDto } from '../../crm/demands/demand.dto';
import type { FollowUpDto } from '../../crm/follow-ups/follow-up.dto';
import type { OrganizationDto } from '../../crm/organizations/organization.dto';
import type { PotentialDto } from '../../crm/potentials/potential.dto';
import type { SatisfactionDto } from '../../crm/satisfaction/satisfaction.dto';
import type { DemandStatsDto, FollowUpStatsDto, SigningStatsDto } from '../../stats/stats.dto';
import { legacyDateTime } from '../legacy-query';

/*
 * Seed 001 spellings, both ways: requests are read field by field into the platform's
 * camelCase DTOs, responses are written with exactly the names and types of the seed's examples.
 * Ids are integers on this surface.
 */

// ---------------------------------------------------------------- requests

/** An id as the platform takes it: numbers and numeric strings become strings; the rest is left to validation. */
export function idOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'number' ? String(value) : (value as string);
}

/** an id that is absent, null, "" or 0 means create. */
export function isCreate(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === 0 || value === '0';
}

/** Id arrays: `[1,2]`, `"[1,2]"`, `"1,2"`, repeated form keys, or a scalar (a list of one). */
export function idsOf(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  let items: unknown = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        items = JSON.parse(text) as unknown;
      } catch {
        return [text];
      }
    } else items = text.split(',').map((part) => part.trim());
  }
  const list = Array.isArray(items) ? (items as unknown[]) : [items];
  return list.map((item) => (typeof item === 'number' ? String(item) : item));
}

/** Numbers sent as strings by form clients. */
export function numberOf(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}

/** Optional free text: numbers sent by clients as numbers are kept as text. */
export function textOf(value: unknown): unknown {
  return typeof value === 'number' ? String(value) : value;
}

/** A time the seed's forms send empty when there is none (`resignTime: ""`): empty = none (null). */
export function timeOf(value: unknown): unknown {
  return value === '' ? null : value;
}

/** 0/1 (or "0"/"1", true/false) → boolean. */
export function flagOf(value: unknown): unknown {
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return value;
}

const SEX_IN: Record<string, string> = { '1': 'male', '2': 'female', '3': 'unknown' };
export const sexOf = (value: unknown): unknown =>
  value === undefined || value === null || value === '' ? undefined : (SEX_IN[String(value)] ?? value);

/** Page and count of the seed → the platform's pageNum / pageSize; sent empty = 默认1 / 默认20. */
export const pageOf = (q: { page?: unknown; count?: unknown }) => ({
  pageNum: q.page === '' ? undefined : numberOf(q.page),
  pageSize: q.count === '' ? undefined : numberOf(q.count),
});

// ---------------------------------------------------------------- responses

/** `job` is typed int in the seed and stored as text: a whole number comes back as the number sent. */
const jobOut = (job: string | null): number | string | null =>
  job !== null && /^-?\d{1,15}$/.test(job) ? Number(job) : job;

const num = (id: string | null | undefined): number | null =>
  id === null || id === undefined || id === '' ? null : Number(id);
const SEX_OUT: Record<string, number> = { male: 1, female: 2, unknown: 3 };
const STAFF_STATUS_OUT: Record<string, number> = { enabled: 1, disabled: 0, deleted: -1 };
const ROLE_OUT: Record<string, number> = { super_admin: 1, admin: 1, staff: 2, courier: 3 };

export class CrmBackendMapper {
  constructor(private readonly timeZone: string) {}

  time = (value: string | null | undefined): string | null => legacyDateTime(value ?? null, this.timeZone);

  group(g: GroupDto) {
    return {
      id: num(g.id),
      groupName: g.name,
      groupDetail: g.detail,
      createTime: this.time(g.createdAt),
      updateTime: this.time(g.updatedAt),
      status: g.status === 'enabled' ? 1 : -1,
    };
  }

  staff(s: StaffDto) {
    const roleCode = s.roles.map((r) => r.code).find((code) => code in ROLE_OUT);
    return {
      id: num(s.id),
      number:
        s.employeeNo === null ? null : /^\d{1,15}$/.test(s.employeeNo) ? Number(s.employeeNo) : s.employeeNo,
      group: s.groups.length ? num(s.groups[0].id) : 0,
      nickName: s.nickName,
      realName: s.realName,
      headImageUrl: s.avatarUrl,
      phoneNumber: s.phone,
      sex: SEX_OUT[s.sex] ?? 3,
      roleId: roleCode ? ROLE_OUT[roleCode] : 0,
      openId: s.openId,
      birthday: s.birthday === null ? null : `${s.birthday} 00:00:00`,
      title: s.title,
      address: s.address,
      school: s.school,
      politicalAffiliation: s.politicalAffiliation,
      education: s.education,
      rankId: 0,
      rankType: 0,
      departmentId: s.department ? num(s.department.id) : 0,
      jobId: 0,
      info: s.info,
      entryTime: this.time(s.entryTime),
      officialTime: this.time(s.officialTime),
      resignTime: this.time(s.resignTime),
      lastLoginTime: this.time(s.lastLoginAt),
      isLogin: 0,
      createTime: this.time(s.createdAt),
      updateTime: this.time(s.updatedAt),
      status: STAFF_STATUS_OUT[s.status],
      note: s.note,
      group_name: s.groups.map((g) => g.name),
    };
  }

  menu(m: MenuDto | MenuRefDto) {
    return { id: num(m.id), name: m.name, content: m.content ?? '', note: m.note ?? '' };
  }

  /** 员工菜单 rows: the member's fields, `user_id` and the menus granted to them directly. */
  staffMenus(s: StaffDto, menus: MenuRefDto[]) {
    return {
      phoneNumber: s.phone,
      user_id: num(s.id),
      realName: s.realName,
      number: s.employeeNo,
      nickName: s.nickName,
      headImageUrl: s.avatarUrl,
      sex: SEX_OUT[s.sex] ?? 3,
      birthday: s.birthday === null ? null : `${s.birthday} 00:00:00`,
      title: s.title,
      address: s.address,
      school: s.school,
      education: s.education,
      entryTime: this.time(s.entryTime),
      officialTime: this.time(s.officialTime),
      resignTime: this.time(s.resignTime),
      lastLoginTime: this.time(s.lastLoginAt),
      status: STAFF_STATUS_OUT[s.status],
      menu: menus.map((m) => this.menu(m)),
    };
  }

  organization(o: OrganizationDto) {
    return {
      id: num(o.id),
      groupName: o.name,
      groupDetail: o.detail,
      type: o.type,
      provience: o.province,
      city: o.city,
      county: o.county,
      address: o.address,
      createTime: this.time(o.createdAt),
      updateTime: this.time(o.updatedAt),
      status: o.status === 'deleted' ? -1 : 1,
      note: o.note,
      legal_person: o.legalPerson,
      register_capital: o.registeredCapital,
      registerDate: o.registrationDate,
      website: o.website,
      creator_id: num(o.creator.id),
    };
  }

  /** `password` and `session` are always null; `job` is an int in the seed. */
  customer(c: CustomerDto) {
    return {
      id: num(c.id),
      type: c.type,
      nickName: c.nickName,
      realName: c.realName,
      avatar: c.avatarUrl,
      phoneNumber: c.phone,
      job: jobOut(c.job),
      sex: SEX_OUT[c.sex] ?? 3,
      password: null,
      session: null,
      cid: c.cid,
      openId: c.openId,
      level: c.level,
      isVip: c.isVip ? 1 : 0,
      isSenior: c.isSenior ? 1 : 0,
      vipDueTime: this.time(c.vipDueTime),
      navigationDueTime: this.time(c.navigationDueTime),
      createTime: this.time(c.createdAt),
      updateTime: this.time(c.updatedAt),
      status: c.status === 'deleted' ? -1 : 1,
      note: c.note,
      organization_name: c.organizations.map((o) => o.name),
      organization_id: c.organizations.map((o) => num(o.id)),
      legal_person: c.legalPerson,
      register_capital: c.registeredCapital,
      registerDate: c.registrationDate,
      website: c.website,
      creator_id: num(c.creator.id),
    };
  }

  potential(p: PotentialDto) {
    return {
      id: num(p.id),
      director: p.director.name,
      recordTime: this.time(p.recordTime),
      createTime: this.time(p.createdAt),
      updateTime: this.time(p.updatedAt),
      status: p.deleted ? -1 : p.status,
      note: p.note,
      organization_name: p.organizationName,
      organization_id: num(p.organizationId),
      director_id: num(p.director.id),
    };
  }

  followUp(f: FollowUpDto) {
    return {
      id: num(f.id),
      potential_id: num(f.potentialId),
      event: f.event,
      attach: f.attach,
      gain: f.gain,
      recordTime: this.time(f.recordTime),
      createTime: this.time(f.createdAt),
      updateTime: this.time(f.updatedAt),
      status: f.deleted ? -1 : 0,
      note: f.note,
      operator_name: f.creator.name,
      follower_name: f.followers.map((s) => s.name),
      customer_name: f.customers.map((c) => c.name),
    };
  }

  demand(d: DemandDto) {
    return {
      id: num(d.id),
      content: d.content,
      attach: d.attach,
      recordTime: this.time(d.recordTime),
      createTime: this.time(d.createdAt),
      status: d.deleted ? -1 : 0,
      note: d.note,
      operator_name: d.creator.name,
      organization_name: d.organizationName,
      follower_name: d.followers.map((s) => s.name),
      customer_name: d.customers.map((c) => c.name),
    };
  }

  satisfaction(s: SatisfactionDto) {
    return {
      id: num(s.id),
      value: s.value,
      attach: s.attach,
      recordTime: this.time(s.recordTime),
      operator_id: num(s.creator.id),
      createTime: this.time(s.createdAt),
      note: s.note,
      status: s.deleted ? -1 : 0,
      customers_name: s.customers.map((c) => c.name),
      organization_name: s.organizationName,
      operator_name: s.creator.name,
      follower_name: s.followers.map((f) => f.name),
    };
  }

  /** `aging_start_time` / `aging_end_time` are not kept by Flowdesk: always null. */
  contract(c: ContractDto) {
    return {
      id: num(c.id),
      organization_id: num(c.organizationId),
      name: c.name,
      code: c.code,
      amount: c.amount,
      sign_time: this.time(c.signTime),
      follower: c.followers.map((f) => f.name),
      status: c.deleted ? -1 : 0,
      aging_start_time: null,
      aging_end_time: null,
      remit_amount: c.remitAmount,
      remit_time: this.time(c.remitTime),
      createTime: this.time(c.createdAt),
      updateTime: this.time(c.updatedAt),
      note: c.note,
      organization_name: c.organizationName,
    };
  }

  signing(r: SigningStatsDto) {
    return {
      organization_id: num(r.organizationId),
      sign_amount: r.signAmount,
      sign_count: r.signCount,
      min_sign_time: this.time(r.firstSignTime),
    };
  }

  demandCount(r: DemandStatsDto) {
    return {
      organization_id: num(r.organizationId),
      demand_count: r.demandCount,
      m_recordTime: this.time(r.firstRecordTime),
    };
  }

  followCount(r: FollowUpStatsDto) {
    return {
      organization_id: num(r.organizationId),
      follow_count: r.followUpCount,
      min_sign_time: this.time(r.firstRecordTime),
    };
  }
}
