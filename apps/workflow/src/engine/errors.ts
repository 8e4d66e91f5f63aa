/**
 * Typed errors of the engine core. Every failure that leaves this folder is an `EngineError` (or a
 * subclass) with a stable string `code`; the Nest layer maps codes to HTTP / RPC answers.
 */
export const EngineErrorCode = {
  /** The BPMN document is malformed, refused or uses something the engine does not support. */
  INVALID_DEFINITION: 'INVALID_DEFINITION',
  /** An expression uses a construct that is refused for safety (prototype names, calls, limits). */
  UNSAFE_EXPRESSION: 'UNSAFE_EXPRESSION',
  /** An expression does not parse. */
  INVALID_EXPRESSION: 'INVALID_EXPRESSION',
  /** An expression parsed but failed at run time (type error, non-boolean condition, ...). */
  EXPRESSION_FAILED: 'EXPRESSION_FAILED',
  /** A command names an execution that is not waiting (unknown, finished or of another kind). */
  UNKNOWN_EXECUTION: 'UNKNOWN_EXECUTION',
  /** A fire-timer command names a timer that is not pending. */
  UNKNOWN_TIMER: 'UNKNOWN_TIMER',
  /** A message was sent that no waiting element of the instance catches. */
  NO_MATCHING_WAIT: 'NO_MATCHING_WAIT',
  /**
   * A message not addressed to an execution that more than one execution of the instance waits for
   * (Camunda's correlate(): MismatchingMessageCorrelationException); nothing moves.
   */
  AMBIGUOUS_CORRELATION: 'AMBIGUOUS_CORRELATION',
  /** The command is not valid for the target (e.g. complete-task on a call activity). */
  INVALID_COMMAND: 'INVALID_COMMAND',
  /** Variables are not plain JSON data, use forbidden names or exceed the limits. */
  INVALID_VARIABLES: 'INVALID_VARIABLES',
  /** The instance has ended (completed, cancelled); no command applies any more. */
  INSTANCE_NOT_RUNNING: 'INSTANCE_NOT_RUNNING',
  /** The saved state cannot be read or belongs to another definition / format version. */
  INVALID_STATE: 'INVALID_STATE',
  /** The process itself failed while applying the command (e.g. no outgoing flow could be taken). */
  PROCESS_FAILED: 'PROCESS_FAILED',
  /**
   * One command ran past its step or CPU budget (an endless loop of non-waiting elements): stopped so
   * the app keeps serving everyone; the host marks the instance failed with an incident.
   */
  BUDGET_EXCEEDED: 'BUDGET_EXCEEDED',
  /** A script or other host code was about to run; refused (fail closed). */
  SCRIPT_REFUSED: 'SCRIPT_REFUSED',
} as const;

export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

export interface EngineErrorDetails {
  /** BPMN element id the error is about, when there is one. */
  readonly elementId?: string;
  /** Further machine-readable facts (never host internals). */
  readonly [key: string]: unknown;
}

export class EngineError extends Error {
  override readonly name: string = 'EngineError';

  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details: EngineErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get elementId(): string | undefined {
    return this.details.elementId;
  }
}

/** One problem found in a BPMN document at deploy time. */
export interface DefinitionIssue {
  /** Id of the offending element ("" when the document as a whole is wrong). */
  readonly elementId: string;
  /** Element type as written, e.g. `bpmn:scriptTask`. */
  readonly elementType?: string;
  readonly reason: string;
}

export class DefinitionError extends EngineError {
  override readonly name = 'DefinitionError';

  constructor(readonly issues: readonly DefinitionIssue[]) {
    super(EngineErrorCode.INVALID_DEFINITION, formatIssues(issues), {
      elementId: issues[0]?.elementId || undefined,
      issues,
    });
  }
}

function formatIssues(issues: readonly DefinitionIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => (i.elementId ? `<${i.elementId}> ${i.reason}` : i.reason));
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return `Invalid BPMN definition: ${shown.join('; ')}${more}`;
}

export type ExpressionErrorCode =
  | typeof EngineErrorCode.UNSAFE_EXPRESSION
  | typeof EngineErrorCode.INVALID_EXPRESSION
  | typeof EngineErrorCode.EXPRESSION_FAILED;

/** The only error the expression evaluator ever throws. */
export class ExpressionError extends EngineError {
  override readonly name = 'ExpressionError';

  constructor(
    code: ExpressionErrorCode,
    message: string,
    readonly position?: number,
    details: EngineErrorDetails = {},
  ) {
    super(code, message, { ...details, ...(position !== undefined && { position }) });
  }
}

export function isEngineError(value: unknown): value is EngineError {
  return value instanceof EngineError;
}
