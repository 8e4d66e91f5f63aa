import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { loadConfig, PageQueryDto } from '@app/common';
import {
  CORE_SCHEMA,
  createDataSource,
  DepartmentEntity,
  RoleEntity,
  StaffEntity,
  StaffGroupEntity,
  StaffGroupMemberEntity,
  StaffRoleEntity,
} from '@app/database';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from '@app/testing';
import { GatewayEnv } from '../../config/gateway.env';
import { AuditService } from '../audit/audit.service';
import { DepartmentsRepository } from '../departments/departments.repository';
import { DepartmentsService } from '../departments/departments.service';
import { DirectoryRepository, type MembershipKind } from '../directory/directory.repository';
import { GroupListQueryDto } from '../groups/group.dto';
import { GroupsRepository } from '../groups/groups.repository';
import { GroupsService } from '../groups/groups.service';
import { MenusRepository } from '../menus/menus.repository';
import { RolesRepository } from '../roles/roles.repository';
import { RolesService } from '../roles/roles.service';
import { IdentityChangeFeed } from '../shared/identity-change-feed';

type Status = StaffEntity['status'];

/** Who is where: each member's status, department, roles and groups (by fixture name). */
const MEMBERS: { status: Status; department: string | null; roles: string[]; groups: string[] }[] = [
  { status: 'enabled', department: 'sales', roles: ['seller', 'lead'], groups: ['north'] },
  { status: 'enabled', department: 'sales', roles: ['seller'], groups: ['north', 'south'] },
  { status: 'disabled', department: 'sales', roles: ['seller'], groups: ['south'] },
  { status: 'deleted', department: 'sales', roles: ['seller', 'lead'], groups: ['north', 'south'] },
  { status: 'enabled', department: 'support', roles: [], groups: ['south'] },
  { status: 'deleted', department: 'support', roles: ['lead'], groups: [] },
  { status: 'enabled', department: null, roles: ['lead'], groups: [] },
];
const SETS: Record<MembershipKind, string[]> = {
  department: ['sales', 'support', 'empty'],
  role: ['seller', 'lead', 'unheld'],
  group: ['north', 'south', 'nobody'],
};

/** The count the directory should give, worked out from the fixture: deleted members do not count. */
function expected(kind: MembershipKind, name: string): number {
  return MEMBERS.filter(
    (m) =>
      m.status !== 'deleted' &&
      (kind === 'department' ? m.department === name : (kind === 'role' ? m.roles : m.groups).includes(name)),
  ).length;
}

/**
 * One member-count query (DirectoryRepository.memberCounts) serves the department tree, roles and
 * groups; each count is the number of members who are not deleted (disabled ones count).
 */
describe('DirectoryRepository.memberCounts: members per department, role and group', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let directory: DirectoryRepository;
  let departments: DepartmentsService;
  let roles: RolesService;
  let groups: GroupsService;
  const ids: Record<MembershipKind, Record<string, string>> = { department: {}, role: {}, group: {} };

  beforeAll(async () => {
    db = await createTestDatabase('member_counts');
    const config = loadConfig('gateway', GatewayEnv, { DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET });
    dataSource = createDataSource(CORE_SCHEMA, { url: db.url, poolSize: 2 });
    await dataSource.initialize();
    const moduleRef = await Test.createTestingModule({
      providers: [
        { provide: DataSource, useValue: dataSource },
        { provide: GatewayEnv, useValue: config },
        IdentityChangeFeed,
        AuditService,
        DirectoryRepository,
        DepartmentsRepository,
        DepartmentsService,
        RolesRepository,
        RolesService,
        GroupsRepository,
        GroupsService,
        MenusRepository,
      ],
    }).compile();
    directory = moduleRef.get(DirectoryRepository);
    departments = moduleRef.get(DepartmentsService);
    roles = moduleRef.get(RolesService);
    groups = moduleRef.get(GroupsService);

    const m = dataSource.manager;
    for (const name of SETS.department)
      ids.department[name] = (await m.save(m.create(DepartmentEntity, { name }))).id;
    for (const code of SETS.role)
      ids.role[code] = (await m.save(m.create(RoleEntity, { code: `mc_${code}`, name: code }))).id;
    for (const name of SETS.group)
      ids.group[name] = (await m.save(m.create(StaffGroupEntity, { name: `mc_${name}` }))).id;
    for (const [i, member] of MEMBERS.entries()) {
      const staff = await m.save(
        m.create(StaffEntity, {
          account: `mc_${i}`,
          realName: `member ${i}`,
          status: member.status,
          departmentId: member.department ? ids.department[member.department] : null,
        }),
      );
      for (const role of member.roles)
        await m.insert(StaffRoleEntity, { staffId: staff.id, roleId: ids.role[role] });
      for (const group of member.groups)
        await m.insert(StaffGroupMemberEntity, { staffId: staff.id, groupId: ids.group[group] });
    }
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it.each(['department', 'role', 'group'] as const)(
    'counts the %s members who are not deleted, and leaves out sets with none',
    async (kind) => {
      const counts = await directory.memberCounts(kind, Object.values(ids[kind]));
      const wanted = new Map(
        SETS[kind]
          .filter((name) => expected(kind, name) > 0)
          .map((name) => [ids[kind][name], expected(kind, name)]),
      );
      expect(counts).toEqual(wanted);
      expect(await directory.memberCounts(kind, [])).toEqual(new Map());
    },
  );

  it('the department tree, roles and groups show the same counts', async () => {
    const tree = await departments.tree();
    const nodes = tree.flatMap(function flat(n): (typeof tree)[number][] {
      return [n, ...n.children.flatMap(flat)];
    });
    for (const name of SETS.department) {
      expect(nodes.find((n) => n.id === ids.department[name])?.staffCount).toBe(expected('department', name));
      expect((await departments.get(ids.department[name])).staffCount).toBe(expected('department', name));
    }

    const rolePage = await roles.list(Object.assign(new PageQueryDto(), { pageNum: 1, pageSize: 100 }));
    for (const code of SETS.role) {
      expect(rolePage.rows.find((r) => r.id === ids.role[code])?.staffCount).toBe(expected('role', code));
      expect((await roles.get(ids.role[code])).staffCount).toBe(expected('role', code));
    }

    const groupPage = await groups.list(
      Object.assign(new GroupListQueryDto(), { pageNum: 1, pageSize: 100, status: 'all' }),
    );
    for (const name of SETS.group) {
      expect(groupPage.rows.find((g) => g.id === ids.group[name])?.memberCount).toBe(expected('group', name));
      expect((await groups.get(ids.group[name])).memberCount).toBe(expected('group', name));
    }
  });
});
