import type { DataSource } from 'typeorm';
import { loadConfig } from '@app/common';
import { AuditLogEntity, CORE_SCHEMA, createDataSource, DepartmentEntity, StaffEntity } from '@app/database';
import { createTestDatabase, makeActor, TEST_JWT_SECRET, type TestDatabase } from '@app/testing';
import { GatewayEnv } from '../../config/gateway.env';
import { AuditQueryService } from '../audit/audit-query.service';
import { AuditLogQueryDto } from '../audit/audit.dto';

/**
 * The audit log within the caller's data scope (DESIGN §3): an entry is about a staff member and is
 * listed when that member's department is in scope (read through the directory), or the entry is
 * about the caller; entries about no one need scope `all`.
 */
describe('AuditQueryService: data scope by the subject’s department', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let audit: AuditQueryService;
  const ids = { sales: '', support: '', inSales: '', inSupport: '', caller: '' };

  beforeAll(async () => {
    db = await createTestDatabase('audit_scope');
    const config = loadConfig('gateway', GatewayEnv, { DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET });
    dataSource = createDataSource(CORE_SCHEMA, { url: db.url, poolSize: 2 });
    await dataSource.initialize();
    audit = new AuditQueryService(dataSource, config);
    const departments = dataSource.getRepository(DepartmentEntity);
    ids.sales = (await departments.save(departments.create({ name: 'Sales' }))).id;
    ids.support = (await departments.save(departments.create({ name: 'Support' }))).id;
    const staff = dataSource.getRepository(StaffEntity);
    const member = async (account: string, departmentId: string | null) =>
      (await staff.save(staff.create({ account, realName: account, departmentId }))).id;
    ids.inSales = await member('in-sales', ids.sales);
    ids.inSupport = await member('in-support', ids.support);
    ids.caller = await member('caller', null);
    await dataSource.getRepository(AuditLogEntity).insert(
      [ids.inSales, ids.inSupport, ids.caller, null].map((subjectStaffId) => ({
        action: 'staff.updated',
        subjectStaffId,
        detail: {},
      })),
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const subjects = async (scope: Parameters<typeof makeActor>[0]) => {
    const page = await audit.list(
      makeActor({ id: ids.caller, ...scope }),
      Object.assign(new AuditLogQueryDto(), { pageNum: 1, pageSize: 50 }),
    );
    return page.rows.map((row) => row.subjectStaffId).sort();
  };

  it('department scope lists entries about members of the departments in scope, and about the caller', async () => {
    expect(await subjects({ dataScope: 'department', departmentIds: [ids.sales] })).toEqual(
      [ids.caller, ids.inSales].sort(),
    );
    expect(await subjects({ dataScope: 'department', departmentIds: [ids.support, ids.sales] })).toEqual(
      [ids.caller, ids.inSales, ids.inSupport].sort(),
    );
  });

  it('own scope lists only entries about the caller; all lists every entry, those about no one too', async () => {
    expect(await subjects({ dataScope: 'own' })).toEqual([ids.caller]);
    expect(await subjects({ dataScope: 'all' })).toEqual(
      [ids.caller, ids.inSales, ids.inSupport, null].sort(),
    );
  });
});
