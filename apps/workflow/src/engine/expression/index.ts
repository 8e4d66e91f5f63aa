export type { Dialect, Node } from './ast';
export {
  cachedCompile,
  compileExpression,
  evaluateCondition,
  evaluateExpression,
  hasExpression,
  validateExpression,
  type CompiledExpression,
  type ExpressionCheck,
} from './expression';
export { isPlainObject, type ExpressionScope, type ExpressionValue } from './interpreter';
export { EXPRESSION_LIMITS, FORBIDDEN_NAMES } from './limits';
