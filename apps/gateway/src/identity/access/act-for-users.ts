import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { AppException } from '@app/common';
import { hasPermission, type Principal } from '@app/auth';
import { IdentityException, IdentityReason } from '../identity.exception';
import { AccessRepository } from './access.repository';
import { PrincipalLoader } from './principal.loader';

/** Who a seed-002 call names: `userName` (account) and / or `userCode` (employee number). */
export interface NamedPerson {
  userName?: string;
  userCode?: string;
}

/**
 * Seed 002's back-end callers name the acting person in the query. A service holding
 * `flow:act-for-users` then acts as that person, with that person's rights (never the service's);
 * a service without it may not name anyone. People calling with their own token are themselves:
 * the names are ignored (A-45).
 */
@Injectable()
export class ActForUsers {
  constructor(
    private readonly access: AccessRepository,
    private readonly loader: PrincipalLoader,
  ) {}

  async resolve(principal: Principal, named: NamedPerson): Promise<Principal> {
    const userName = named.userName?.trim() || undefined;
    const userCode = named.userCode?.trim() || undefined;
    if (principal.staffId !== null || principal.actor.kind !== 'service') return principal;
    if (!userName && !userCode) return principal;
    if (!hasPermission(principal.actor, 'flow:act-for-users')) {
      throw IdentityException.denied(
        IdentityReason.GrantExceedsOwn,
        'acting for userName / userCode needs the service permission flow:act-for-users',
      );
    }
    const byName = userName ? await this.find('account', userName, 'userName') : null;
    const byCode = userCode ? await this.find('employee_no', userCode, 'userCode') : null;
    if (byName && byCode && byName !== byCode) {
      throw new AppException(
        ErrorCode.InvalidParameter,
        'PERSON_MISMATCH',
        'userName and userCode name different people',
        [{ field: 'userCode', reason: `is not the employee number of ${userName}` }],
      );
    }
    return this.loader.forStaff((byName ?? byCode)!, principal.applicationId);
  }

  /**
   * As `resolve`, but a service holding `flow:act-for-users` that names nobody acts for the person the
   * step belongs to (`owner`: e.g. the flow's initiator), where the document gives the call no name
   * . Without the permission, or without an owner, the service stays itself.
   */
  async resolveOrOwner(
    principal: Principal,
    named: NamedPerson,
    owner: () => Promise<string | null>,
  ): Promise<Principal> {
    const unnamed = !named.userName?.trim() && !named.userCode?.trim();
    if (
      !unnamed ||
      principal.staffId !== null ||
      principal.actor.kind !== 'service' ||
      !hasPermission(principal.actor, 'flow:act-for-users')
    )
      return this.resolve(principal, named);
    const staffId = await owner();
    return staffId ? this.loader.forStaff(staffId, principal.applicationId) : principal;
  }

  private async find(column: 'account' | 'employee_no', value: string, field: string): Promise<string> {
    const id = await this.access.findStaffIdBy(column, value);
    if (!id) throw IdentityException.userNotFound(`${field}: no staff member ${value}`);
    return id;
  }
}
