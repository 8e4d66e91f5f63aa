import { Injectable } from '@nestjs/common';
import { DataSource, EntityNotFoundError } from 'typeorm';
import { queryRows, StaffEntity } from '@app/database';
import type { MenuRefDto, StaffDto } from '../staff/staff.dto';

type Timestamps = 'entryTime' | 'officialTime' | 'resignTime' | 'lastLoginAt' | 'createdAt' | 'updatedAt';

/** The columns in `mapStaff`'s order (the answer's keys keep it), timestamps as pg returns them. */
interface OwnViewRow extends Omit<StaffDto, Timestamps | 'menus'> {
  entryTime: Date | null;
  officialTime: Date | null;
  resignTime: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  ownMenus: MenuRefDto[];
}

/**
 * The member's profile with department, groups, roles, and the menus held directly or through enabled
 * groups (direct ones first, each in menu order, a menu held both ways once) — in one statement:
 * `/me` is called on every page load, and six statements through the query builder cost it most of its CPU.
 */
const OWN_VIEW = `SELECT s.id::text AS id, s.account, s.phone, s.employee_no AS "employeeNo",
    s.real_name AS "realName", s.nick_name AS "nickName", s.avatar_url AS "avatarUrl", s.sex, s.title,
    to_char(s.birthday, 'YYYY-MM-DD') AS birthday, s.address, s.school, s.education,
    s.political_affiliation AS "politicalAffiliation", s.open_id AS "openId", s.info,
    s.entry_time AS "entryTime", s.official_time AS "officialTime", s.resign_time AS "resignTime", s.note,
    s.status, s.type,
    (SELECT json_build_object('id', d.id::text, 'name', d.name) FROM core.departments d
      WHERE d.id = s.department_id) AS department,
    (SELECT coalesce(json_agg(json_build_object('id', g.id::text, 'name', g.name) ORDER BY g.id), '[]')
       FROM core.staff_group_members gm JOIN core.staff_groups g ON g.id = gm.group_id
      WHERE gm.staff_id = s.id) AS groups,
    (SELECT coalesce(json_agg(json_build_object('id', r.id::text, 'code', r.code, 'name', r.name) ORDER BY r.id), '[]')
       FROM core.staff_roles sr JOIN core.roles r ON r.id = sr.role_id
      WHERE sr.staff_id = s.id) AS roles,
    s.password_hash IS NOT NULL AS "hasPassword",
    s.must_change_password AS "mustChangePassword", s.last_login_at AS "lastLoginAt",
    s.created_at AS "createdAt", s.updated_at AS "updatedAt",
    (SELECT coalesce(json_agg(json_build_object('id', m.id::text, 'name', m.name, 'content', m.content, 'note', m.note)
                              ORDER BY NOT h.direct, m.sort_order, m.id), '[]')
       FROM (SELECT held.menu_id, bool_or(held.direct) AS direct
               FROM (SELECT sm.menu_id, true AS direct FROM core.staff_menus sm WHERE sm.staff_id = s.id
                     UNION ALL
                     SELECT gmn.menu_id, false FROM core.staff_group_menus gmn
                       JOIN core.staff_groups g ON g.id = gmn.group_id AND g.status = 'enabled'
                       JOIN core.staff_group_members gm ON gm.group_id = g.id
                      WHERE gm.staff_id = s.id) held
              GROUP BY held.menu_id) h
       JOIN core.menus m ON m.id = h.menu_id) AS "ownMenus"
  FROM core.staff s WHERE s.id = $1`;

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

@Injectable()
export class MeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The member's own profile (as `mapStaff` answers it) and menus; throws when the member is gone. */
  async ownView(staffId: string): Promise<{ profile: StaffDto; menus: MenuRefDto[] }> {
    const [row] = await queryRows<OwnViewRow>(this.dataSource, OWN_VIEW, [staffId]);
    if (!row) throw new EntityNotFoundError(StaffEntity, { id: staffId });
    const { ownMenus, ...staff } = row;
    return {
      profile: {
        ...staff,
        entryTime: iso(staff.entryTime),
        officialTime: iso(staff.officialTime),
        resignTime: iso(staff.resignTime),
        lastLoginAt: iso(staff.lastLoginAt),
        createdAt: staff.createdAt.toISOString(),
        updatedAt: staff.updatedAt.toISOString(),
      },
      menus: ownMenus,
    };
  }
}
