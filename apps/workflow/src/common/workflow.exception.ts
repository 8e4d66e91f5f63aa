import { ErrorCode, type FieldError } from '@app/contracts';
import { AppException } from '@app/common';
import { DefinitionError, EngineError, EngineErrorCode } from '../engine';

export enum WorkflowReason {
  DefinitionNotFound = 'DEFINITION_NOT_FOUND',
  DefinitionSuspended = 'DEFINITION_SUSPENDED',
  InvalidDefinition = 'INVALID_DEFINITION',
  /** A stored version this server no longer compiles (its settings changed since the deploy). */
  DefinitionNotRunnable = 'DEFINITION_NOT_RUNNABLE',
  InstanceNotFound = 'INSTANCE_NOT_FOUND',
  InstanceNotRunning = 'INSTANCE_NOT_RUNNING',
  SerialTaken = 'NUMBER_TAKEN',
  TaskNotFound = 'TASK_NOT_FOUND',
  TaskAlreadyHandled = 'TASK_ALREADY_HANDLED',
  TaskClaimedByOther = 'TASK_CLAIMED_BY_OTHER',
  NotTaskParticipant = 'NOT_TASK_PARTICIPANT',
  NotStarter = 'NOT_A_CANDIDATE_STARTER',
  MissingPermission = 'MISSING_PERMISSION',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  CategoryNotFound = 'CATEGORY_NOT_FOUND',
  CategoryExists = 'CATEGORY_EXISTS',
  CategoryInUse = 'CATEGORY_IN_USE',
  ConcurrentChange = 'CONCURRENT_CHANGE',
  ProcessFailed = 'PROCESS_FAILED',
  /** A step ran past the engine's budget: the instance was failed and an incident raised. */
  InstanceFailed = 'INSTANCE_FAILED',
  JobNotFound = 'JOB_NOT_FOUND',
  JobNotPending = 'JOB_NOT_PENDING',
  ExternalTaskNotFound = 'EXTERNAL_TASK_NOT_FOUND',
  ExternalTaskNotOpen = 'EXTERNAL_TASK_NOT_OPEN',
  ExternalTaskLockedByOther = 'EXTERNAL_TASK_LOCKED_BY_OTHER',
  ExternalTaskLockExpired = 'EXTERNAL_TASK_LOCK_EXPIRED',
  InvalidUser = 'INVALID_USER',
  IllegalMoveTarget = 'ILLEGAL_MOVE_TARGET',
  AlreadyDone = 'ALREADY_DONE',
  NotDelegated = 'TASK_NOT_DELEGATED',
  /** The delegate of a pending delegation tried something other than resolving it. */
  DelegationPending = 'DELEGATION_PENDING',
  NothingToRevoke = 'NOTHING_TO_REVOKE',
  NextNodeHandled = 'NEXT_NODE_ALREADY_HANDLED',
  NotRelaunchable = 'NOT_RELAUNCHABLE',
  UrgeTooSoon = 'URGE_TOO_SOON',
  /** No task of the instance (or of its call-activity children) is open: nobody to urge. */
  NothingToUrge = 'NOTHING_TO_URGE',
  SignerPresent = 'SIGNER_PRESENT',
  SignerAbsent = 'SIGNER_ABSENT',
  NotInitiator = 'NOT_INITIATOR',
  NoMatchingSubscription = 'NO_MATCHING_SUBSCRIPTION',
  AmbiguousCorrelation = 'AMBIGUOUS_CORRELATION',
  /** executionId / all on a signal (they address messages). */
  InvalidCorrelation = 'INVALID_CORRELATION',
}

export class WorkflowException extends AppException {
  constructor(code: ErrorCode, reason: WorkflowReason, message?: string, errors?: FieldError[]) {
    super(code, reason, message, errors);
  }

  static missing(reason: WorkflowReason, what: string, id: string): WorkflowException {
    return new WorkflowException(ErrorCode.NotFound, reason, `${what} ${id} not found`);
  }
}

/** Engine failures are the caller's problem (bad input, wrong state) unless the engine says otherwise. */
export function fromEngineError(error: unknown): unknown {
  if (error instanceof DefinitionError) {
    return new WorkflowException(
      ErrorCode.InvalidParameter,
      WorkflowReason.InvalidDefinition,
      error.message,
      issueFields(error),
    );
  }
  if (!(error instanceof EngineError)) return error;
  switch (error.code) {
    case EngineErrorCode.INVALID_VARIABLES:
    case EngineErrorCode.INVALID_EXPRESSION:
    case EngineErrorCode.UNSAFE_EXPRESSION:
    case EngineErrorCode.EXPRESSION_FAILED:
    case EngineErrorCode.NO_MATCHING_WAIT:
    case EngineErrorCode.INVALID_COMMAND:
      return new AppException(ErrorCode.InvalidParameter, error.code, error.message, [
        { field: fieldOf(error) ?? error.elementId ?? 'variables', reason: error.message },
      ]);
    case EngineErrorCode.AMBIGUOUS_CORRELATION:
      // the answer of the message API's other ambiguity (several instances wait for it)
      return new WorkflowException(ErrorCode.Conflict, WorkflowReason.AmbiguousCorrelation, error.message);
    case EngineErrorCode.UNKNOWN_EXECUTION:
    case EngineErrorCode.UNKNOWN_TIMER:
    case EngineErrorCode.INSTANCE_NOT_RUNNING:
      return new AppException(ErrorCode.Conflict, error.code, error.message);
    case EngineErrorCode.INVALID_DEFINITION:
    case EngineErrorCode.INVALID_STATE:
    case EngineErrorCode.PROCESS_FAILED:
    case EngineErrorCode.BUDGET_EXCEEDED:
    case EngineErrorCode.SCRIPT_REFUSED:
      return new AppException(ErrorCode.WrongCall, error.code, error.message);
  }
}

/** The command's field an engine error is about, when it names one (e.g. a message's executionId). */
function fieldOf(error: EngineError): string | undefined {
  return typeof error.details.field === 'string' ? error.details.field : undefined;
}

/** A stored version that no longer compiles here: a conflict with the server's settings, not bad input. */
export function notRunnable(definition: { id: string }, error: DefinitionError): WorkflowException {
  return new WorkflowException(
    ErrorCode.Conflict,
    WorkflowReason.DefinitionNotRunnable,
    `definition ${definition.id} no longer compiles under this server's settings (BPMN_LISTENERS, BPMN_MAX_*): ${error.message}`,
    issueFields(error),
  );
}

function issueFields(error: DefinitionError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.elementId ? `xml#${issue.elementId}` : 'xml',
    reason: issue.elementType ? `${issue.elementType}: ${issue.reason}` : issue.reason,
  }));
}

/** The caller may not act on this instance (4001): not its initiator, an admin or a past handler, as the command asks. */
export function notYours(instance: { id: string }): WorkflowException {
  return new WorkflowException(
    ErrorCode.NoPermission,
    WorkflowReason.MissingPermission,
    `you may not do this on instance ${instance.id}`,
  );
}

/** Commands that move an instance need it running: 409 INSTANCE_NOT_RUNNING otherwise. */
export function assertRunning(instance: { id: string; status: string }): void {
  if (instance.status !== 'running') {
    throw new WorkflowException(
      ErrorCode.Conflict,
      WorkflowReason.InstanceNotRunning,
      `instance ${instance.id} is ${instance.status}`,
    );
  }
}
