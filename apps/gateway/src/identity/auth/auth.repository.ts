import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { StaffEntity } from '@app/database';

/** What sign-in needs of a member: whether they may sign in, and the hash to check. */
export interface SignInCandidate {
  id: string;
  status: StaffEntity['status'];
  passwordHash: string | null;
  mustChangePassword: boolean;
}

const CANDIDATE_COLUMNS = `id::text AS id, status, password_hash AS "passwordHash",
  must_change_password AS "mustChangePassword"`;

/** Credential reads and writes on core.staff for sign-in, refresh and password changes. */
@Injectable()
export class AuthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The member whose sign-in name or phone this is; the sign-in name wins. */
  async candidateByAccountOrPhone(identifier: string): Promise<SignInCandidate | null> {
    const rows: SignInCandidate[] = await this.dataSource.query(
      `SELECT ${CANDIDATE_COLUMNS} FROM core.staff WHERE account = $1 OR phone = $1
        ORDER BY (account = $1) DESC LIMIT 1`,
      [identifier],
    );
    return rows[0] ?? null;
  }

  /** As `candidateByAccountOrPhone`, also by employee code (sign-in name first, then code). */
  async candidateByAccountPhoneOrEmployeeNo(identifier: string): Promise<SignInCandidate | null> {
    const rows: SignInCandidate[] = await this.dataSource.query(
      `SELECT ${CANDIDATE_COLUMNS} FROM core.staff WHERE account = $1 OR phone = $1 OR employee_no = $1
        ORDER BY (account = $1) DESC, (employee_no = $1) DESC LIMIT 1`,
      [identifier],
    );
    return rows[0] ?? null;
  }

  /** Members whose employee code is letters then these digits (`AA1611` for `1611`), two at most. */
  candidatesByEmployeeDigits(digits: string): Promise<SignInCandidate[]> {
    return this.dataSource.query(
      `SELECT ${CANDIDATE_COLUMNS} FROM core.staff
        WHERE regexp_replace(employee_no, '^[A-Za-z]+', '') = $1 LIMIT 2`,
      [digits],
    );
  }

  findStaff(id: string, manager: EntityManager = this.dataSource.manager): Promise<StaffEntity | null> {
    return manager.findOne(StaffEntity, { where: { id } });
  }

  async setPassword(
    manager: EntityManager,
    staffId: string,
    passwordHash: string,
    mustChangePassword: boolean,
  ): Promise<void> {
    await manager.update(
      StaffEntity,
      { id: staffId },
      { passwordHash, mustChangePassword, passwordChangedAt: new Date() },
    );
  }

  async markSignedIn(manager: EntityManager, staffId: string): Promise<void> {
    await manager.update(StaffEntity, { id: staffId }, { lastLoginAt: new Date() });
  }
}
