import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** `userInfo` of the seed-003 login. */
export interface SalesUserInfo {
  accountName: string;
  cityCode: string;
  cityName: string;
  dprCode: string;
  dprName: string;
  empCode: string;
  empName: string;
  empWechatId: string;
  empWorkMobile: string;
  roleCode: string;
  roleName: string;
}

/**
 * Read-only look-ups the seed-003 adapter needs to translate its identifiers (employee profile,
 * customer code) into platform ids. No rule lives here: scope and permissions stay with the CRM services.
 */
@Injectable()
export class SalesAssistantRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async userInfo(staffId: string): Promise<SalesUserInfo | null> {
    const rows: {
      account: string | null;
      employeeNo: string | null;
      realName: string;
      phone: string | null;
      departmentId: string | null;
      departmentName: string | null;
      roleCodes: string | null;
      roleNames: string | null;
    }[] = await this.dataSource.query(
      `SELECT s.account, s.employee_no AS "employeeNo", s.real_name AS "realName", s.phone,
              d.id::text AS "departmentId", d.name AS "departmentName",
              (SELECT string_agg(r.code, ',' ORDER BY r.id) FROM core.staff_roles sr
                 JOIN core.roles r ON r.id = sr.role_id WHERE sr.staff_id = s.id) AS "roleCodes",
              (SELECT string_agg(r.name, ',' ORDER BY r.id) FROM core.staff_roles sr
                 JOIN core.roles r ON r.id = sr.role_id WHERE sr.staff_id = s.id) AS "roleNames"
         FROM core.staff s LEFT JOIN core.departments d ON d.id = s.department_id
        WHERE s.id = $1`,
      [staffId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      accountName: row.account ?? '',
      cityCode: '',
      cityName: '',
      dprCode: row.departmentId ?? '',
      dprName: row.departmentName ?? '',
      empCode: row.employeeNo ?? '',
      empName: row.employeeNo ? `${row.realName}[${row.employeeNo}]` : row.realName,
      empWechatId: '',
      empWorkMobile: row.phone ?? '',
      roleCode: row.roleCodes ?? '',
      roleName: row.roleNames ?? '',
    };
  }

  /** The platform id of the customer with this customerCode (live or deleted; visibility is checked by the service). */
  async customerIdByCode(code: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id::text AS id FROM core.crm_customer WHERE code = $1`,
      [code],
    );
    return rows[0]?.id ?? null;
  }
}
