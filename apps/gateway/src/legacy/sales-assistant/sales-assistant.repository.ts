import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DirectoryRepository } from '../../identity/directory/directory.repository';

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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: DirectoryRepository,
  ) {}

  async userInfo(staffId: string): Promise<SalesUserInfo | null> {
    const profile = await this.directory.profile(staffId);
    if (!profile) return null;
    return {
      accountName: profile.account ?? '',
      cityCode: '',
      cityName: '',
      dprCode: profile.departmentId ?? '',
      dprName: profile.departmentName ?? '',
      empCode: profile.employeeNo ?? '',
      empName: profile.employeeNo ? `${profile.realName}[${profile.employeeNo}]` : profile.realName,
      empWechatId: '',
      empWorkMobile: profile.phone ?? '',
      roleCode: profile.roles.map((r) => r.code).join(','),
      roleName: profile.roles.map((r) => r.name).join(','),
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
