import { ErrorCode, type FieldError } from '@app/contracts';
import { AppException } from '@app/common';

/** Stable reasons of the identity feature (the `reason` field of an error answer). */
export enum IdentityReason {
  BadCredentials = 'BAD_CREDENTIALS',
  AccountDisabled = 'ACCOUNT_DISABLED',
  LoginRateLimited = 'LOGIN_RATE_LIMITED',
  TokenRevoked = 'TOKEN_REVOKED',
  RefreshTokenInvalid = 'REFRESH_TOKEN_INVALID',
  ApplicationUnknown = 'APPLICATION_UNKNOWN',
  CannotTargetSelf = 'CANNOT_TARGET_SELF',
  SuperAdminProtected = 'SUPER_ADMIN_PROTECTED',
  GrantExceedsOwn = 'GRANT_EXCEEDS_OWN',
  DepartmentOutOfScope = 'DEPARTMENT_OUT_OF_SCOPE',
  DepartmentHasChildren = 'DEPARTMENT_HAS_CHILDREN',
  DepartmentHasStaff = 'DEPARTMENT_HAS_STAFF',
  DepartmentCycle = 'DEPARTMENT_CYCLE',
  StaffDeleted = 'STAFF_DELETED',
  StaffNotDeleted = 'STAFF_NOT_DELETED',
  Duplicate = 'DUPLICATE',
  RoleInUse = 'ROLE_IN_USE',
  SystemRole = 'SYSTEM_ROLE',
  ApplicationRevoked = 'APPLICATION_REVOKED',
  UserNotFound = 'USER_NOT_FOUND',
}

export class IdentityException extends AppException {
  constructor(code: ErrorCode, reason: IdentityReason, message?: string, errors?: FieldError[]) {
    super(code, reason, message, errors);
  }

  /** The one answer for unknown account, wrong password and an account without a password. */
  static badCredentials(): IdentityException {
    return new IdentityException(
      ErrorCode.InvalidToken,
      IdentityReason.BadCredentials,
      'wrong account or password',
    );
  }

  static denied(reason: IdentityReason, message: string): IdentityException {
    return new IdentityException(ErrorCode.NoPermission, reason, message);
  }

  static inConflict(reason: IdentityReason, message: string, errors?: FieldError[]): IdentityException {
    return new IdentityException(ErrorCode.Conflict, reason, message, errors);
  }

  static revoked(): IdentityException {
    return new IdentityException(
      ErrorCode.InvalidToken,
      IdentityReason.TokenRevoked,
      'session ended: sign in again',
    );
  }

  static userNotFound(message = 'user not found'): IdentityException {
    return new IdentityException(ErrorCode.UserNotFound, IdentityReason.UserNotFound, message);
  }

  static disabled(): IdentityException {
    return new IdentityException(
      ErrorCode.AccountDisabled,
      IdentityReason.AccountDisabled,
      'account disabled',
    );
  }
}
