/**
 * Flowdesk engine core: pure TypeScript around bpmn-engine, no Nest, no database.
 *
 * Deploy:   compileDefinition(xml) / validateDefinition(xml) / DefinitionCache
 * Run:      startInstance({ definition, variables, businessKey, initiator })
 *           resumeAndApply({ definition, state }, command)
 * Evaluate: compileExpression / evaluateExpression / validateExpression
 */
export {
  DefinitionError,
  EngineError,
  EngineErrorCode,
  ExpressionError,
  isEngineError,
  type DefinitionIssue,
  type EngineErrorDetails,
  type ExpressionErrorCode,
} from './errors';

export {
  compileExpression,
  evaluateCondition,
  evaluateExpression,
  EXPRESSION_LIMITS,
  hasExpression,
  validateExpression,
  type CompiledExpression,
  type ExpressionCheck,
  type ExpressionScope,
  type ExpressionValue,
} from './expression';

export {
  compileDefinition,
  DefinitionCache,
  validateDefinition,
  type CompileOptions,
  type CompiledDefinition,
  type ValidationResult,
} from './definition/compile';
export type {
  CallActivityModel,
  DefinitionModel,
  ElementKind,
  ElementModel,
  EventDefinitionModel,
  FlowModel,
  ListenerModel,
  MultiInstanceModel,
  ProcessModel,
  TimerModel,
  UserTaskModel,
  VariableMapping,
  Vendor,
} from './definition/model';
export { type ListenerAction, listenerName } from './definition/analyze';
export { checkDefinitionLimits, DEFAULT_DEFINITION_LIMITS, type DefinitionLimits } from './definition/limits';
export {
  addDuration,
  parseCycle,
  parseDateTime,
  parseDuration,
  type IsoCycle,
  type IsoDuration,
} from './definition/iso8601';

export {
  catchersOf,
  errorCatcherOf,
  startEventFor,
  thrownSignals,
  uncaughtErrors,
  waitsFor,
} from './definition/subscriptions';
export { checkStartTimer, nextTimerStart, type TimerStartState } from './definition/timer-start';
export {
  resumeAndApply,
  resumeStep,
  startInstance,
  startStep,
  type Step,
  WarmInstance,
  warmStep,
} from './runtime/runtime';
export { VARIABLE_LIMITS } from './runtime/variables';
export type {
  CallInfo,
  Command,
  HistoryEvent,
  InstanceState,
  InstanceStatus,
  JoinArrival,
  JsonValue,
  MultiInstanceInfo,
  PendingTimer,
  ResumeInput,
  RuntimeOptions,
  Snapshot,
  StartInput,
  Variables,
  Wait,
  WaitType,
} from './runtime/types';

export {
  explainReturn,
  planMove,
  returnTargets,
  type MoveFacts,
  type MovePlan,
  type PlanResult,
  type ReturnTarget,
} from './planner/move-planner';
