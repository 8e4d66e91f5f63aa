import { ErrorCode, type FieldError } from '@app/contracts';
import { AppException } from '@app/common';

/** Stable reasons of the data-models feature (the `reason` of an error answer). */
export enum DataModelReason {
  StaleVersion = 'STALE_VERSION',
  KeyTaken = 'KEY_TAKEN',
  NotUnique = 'NOT_UNIQUE',
  NotDeleted = 'NOT_DELETED',
  Deleted = 'DELETED',
  ImportState = 'IMPORT_STATE',
  AlreadyStarted = 'ALREADY_STARTED',
  InvalidRecord = 'INVALID_RECORD',
}

export class DataModelException extends AppException {
  constructor(code: ErrorCode, reason: DataModelReason, message?: string, errors?: FieldError[]) {
    super(code, reason, message, errors);
  }

  static stale(what: string, current: number): DataModelException {
    return new DataModelException(
      ErrorCode.Conflict,
      DataModelReason.StaleVersion,
      `${what} changed meanwhile (now version ${current}): reload and retry`,
    );
  }

  static override conflict(reason: DataModelReason, message: string): DataModelException {
    return new DataModelException(ErrorCode.Conflict, reason, message);
  }

  /** 4101 with one error per field (`values.amount: must be a number`). */
  static override invalid(
    errors: FieldError[],
    message = `${errors.length} invalid field(s)`,
  ): DataModelException {
    return new DataModelException(ErrorCode.InvalidParameter, DataModelReason.InvalidRecord, message, errors);
  }
}
