import { ErrorCode, type FieldError } from '@app/contracts';
import { AppException } from '@app/common';

/** Stable reasons of the CRM feature (the `reason` field of an error answer). */
export enum CrmReason {
  NotDeleted = 'NOT_DELETED',
  Deleted = 'DELETED',
  StaffOutOfScope = 'STAFF_OUT_OF_SCOPE',
  InvalidBatch = 'INVALID_BATCH',
  InvalidImport = 'INVALID_IMPORT',
  ImportState = 'IMPORT_STATE',
  Duplicate = 'DUPLICATE',
}

export class CrmException extends AppException {
  constructor(code: ErrorCode, reason: CrmReason, message?: string, errors?: FieldError[]) {
    super(code, reason, message, errors);
  }

  static inConflict(reason: CrmReason, message: string): CrmException {
    return new CrmException(ErrorCode.Conflict, reason, message);
  }

  static rejected(reason: CrmReason, message: string, errors: FieldError[]): CrmException {
    return new CrmException(ErrorCode.InvalidParameter, reason, message, errors);
  }

  static staffOutOfScope(field: string): CrmException {
    return new CrmException(
      ErrorCode.NoPermission,
      CrmReason.StaffOutOfScope,
      `${field}: staff outside your data scope`,
    );
  }
}
