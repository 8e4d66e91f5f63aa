/**
 * The three hooks bpmn-engine is given instead of its defaults:
 * - `expressions`: our safe evaluator (bpmn-engine's resolver walks into functions);
 * - `scripts`: refuses every script (bpmn-engine's default runs them in node:vm);
 * - `timers`: records timers without scheduling anything (due jobs live in the database).
 */
import { SITE_KEY_PREFIX, type CompiledDefinition, type ExpressionSite } from '../definition/compile';
import { checkTimerValue, parseDateTime, pendingCycle } from '../definition/iso8601';
import { timerCycleProblem } from '../definition/limits';
import { EngineError, EngineErrorCode, ExpressionError, type ExpressionErrorCode } from '../errors';
import {
  cachedCompile,
  evaluateCondition,
  hasExpression,
  type ExpressionScope,
  type ExpressionValue,
} from '../expression';

export const MAX_INSTANCES = 1000;

/** What the handlers need from the running instance. */
export interface HostContext {
  readonly definition: CompiledDefinition;
  /** Layers for an expression evaluated for a message with this content (locals, variables, builtins). */
  scopeFor(content: unknown): ExpressionScope;
  /** Remember the first failure so the command reports it precisely. */
  recordFailure(error: EngineError): void;
}

interface ResolveContext {
  readonly content?: unknown;
}

export interface ExpressionsHandler {
  resolveExpression(expression: unknown, context?: ResolveContext, fnContext?: unknown): unknown;
  isExpression(text: unknown): boolean;
  hasExpression(text: unknown): boolean;
}

export function createExpressionsHandler(host: HostContext): ExpressionsHandler {
  return {
    resolveExpression(expression, context) {
      if (typeof expression !== 'string') return expression;
      try {
        if (expression.startsWith(SITE_KEY_PREFIX)) {
          const site = host.definition.sites.get(expression);
          if (!site)
            throw new EngineError(EngineErrorCode.INVALID_STATE, 'unknown compiled expression reference');
          return resolveSite(site, host.scopeFor(context?.content), host.definition);
        }
        if (!hasExpression(expression)) return expression;
        return cachedCompile(expression).evaluate(host.scopeFor(context?.content));
      } catch (err) {
        const error = toEngineError(err);
        host.recordFailure(error);
        throw error;
      }
    },
    isExpression(text) {
      return typeof text === 'string' && (text.startsWith(SITE_KEY_PREFIX) || hasExpression(text));
    },
    hasExpression(text) {
      return typeof text === 'string' && (text.startsWith(SITE_KEY_PREFIX) || hasExpression(text));
    },
  };
}

function resolveSite(
  site: ExpressionSite,
  scope: ExpressionScope,
  { limits, timeZone }: Pick<CompiledDefinition, 'limits' | 'timeZone'>,
): unknown {
  const where = `<${site.elementId}> ${site.role}`;
  try {
    switch (site.role) {
      case 'condition':
      case 'completionCondition':
        return evaluateCondition(site.expression, scope);
      case 'collection': {
        const value = site.expression.evaluate(scope);
        if (!Array.isArray(value))
          throw failed(`${where}: the collection is not a list (got ${describe(value)})`, site.elementId);
        if (value.length > MAX_INSTANCES)
          throw failed(`${where}: more than ${MAX_INSTANCES} instances`, site.elementId);
        return value.slice();
      }
      case 'loopCardinality': {
        const value = site.expression.evaluate(scope);
        const n =
          typeof value === 'number'
            ? value
            : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
              ? Number(value)
              : NaN;
        if (!Number.isInteger(n) || n < 0)
          throw failed(
            `${where}: loop cardinality is not a whole number (got ${describe(value)})`,
            site.elementId,
          );
        if (n > MAX_INSTANCES) throw failed(`${where}: more than ${MAX_INSTANCES} instances`, site.elementId);
        return n;
      }
      case 'timer': {
        const value = site.expression.evaluate(scope);
        if (typeof value !== 'string' || !value.trim())
          throw failed(`${where}: the timer value is not a text (got ${describe(value)})`, site.elementId);
        const text = value.trim();
        const kind = site.timerType ?? (/^\d{4}-\d{2}-\d{2}/.test(text) ? 'timeDate' : 'timeDuration');
        // a computed value meets the deploy-time checks: bpmn-engine ends the instance on one it cannot
        // read, and a cycle like R/PT0S would spin it forever
        const invalid = checkTimerValue(kind, text) ?? timerCycleProblem(text, limits);
        if (invalid) throw failed(`${where}: ${invalid}`, site.elementId);
        if (kind === 'timeDate') return parseDateTime(text, timeZone).toISOString();
        // bpmn-elements reads the cycle against the wall clock (new Date()), so it is read so here too
        return kind === 'timeCycle' ? pendingCycle(text, new Date(), timeZone) : text;
      }
      case 'calledElement': {
        const value = site.expression.evaluate(scope);
        if (typeof value !== 'string' || !value.trim())
          throw failed(`${where}: calledElement is not a process key`, site.elementId);
        return value;
      }
    }
  } catch (err) {
    if (err instanceof ExpressionError) {
      throw new ExpressionError(err.code as ExpressionErrorCode, `${where}: ${err.message}`, err.position, {
        elementId: site.elementId,
      });
    }
    throw err;
  }
}

function failed(message: string, elementId: string): ExpressionError {
  return new ExpressionError(EngineErrorCode.EXPRESSION_FAILED, message, undefined, { elementId });
}

function describe(value: ExpressionValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  return new EngineError(
    EngineErrorCode.EXPRESSION_FAILED,
    err instanceof Error ? err.message : 'expression failed',
  );
}

// ------------------------------------------------------------------ scripts

interface ScriptElement {
  readonly id?: string;
  readonly type?: string;
  readonly behaviour?: {
    readonly conditionExpression?: { readonly language?: string };
    readonly scriptFormat?: string;
  };
}

interface RefusingScript {
  readonly id: string;
  readonly isRefused: true;
  execute(executionContext: unknown, callback: (err: Error) => void): void;
}

/** Fails closed: every script, of any language, errors instead of running. */
export function createRefusingScripts(host: Pick<HostContext, 'recordFailure'>) {
  const refusing = (element: ScriptElement): RefusingScript => ({
    id: `${element.type ?? 'element'}/${element.id ?? '?'}`,
    isRefused: true,
    execute(_executionContext, callback) {
      const error = new EngineError(
        EngineErrorCode.SCRIPT_REFUSED,
        `<${element.id ?? '?'}> scripts are not allowed and were not run`,
        {
          elementId: element.id,
        },
      );
      host.recordFailure(error);
      callback(error);
    },
  });
  return {
    register(element: ScriptElement): RefusingScript | undefined {
      return needsScript(element) ? refusing(element) : undefined;
    },
    getScript(language: unknown, element: ScriptElement): RefusingScript | undefined {
      return language || needsScript(element) ? refusing(element) : undefined;
    },
  };
}

function needsScript(element: ScriptElement): boolean {
  if (element.type === 'bpmn:ScriptTask') return true;
  return Boolean(element.behaviour?.conditionExpression?.language || element.behaviour?.scriptFormat);
}

// ------------------------------------------------------------------ timers

export interface TimerOwner {
  readonly id?: string;
  readonly executionId?: string;
  readonly expireAt?: Date | string;
  readonly timerType?: string;
  readonly timeDuration?: string;
  readonly timeDate?: string;
  readonly timeCycle?: string;
  readonly repeat?: number;
  readonly parent?: { readonly id?: string; readonly executionId?: string };
}

export interface RecordedTimer {
  readonly owner: TimerOwner | null;
  readonly callback: (...args: unknown[]) => unknown;
  readonly args: unknown[];
  readonly delay: number;
  readonly registeredAt: Date;
}

/** Implements bpmn-elements' timers interface; nothing is ever scheduled in-process. */
export class RecordingTimers {
  private readonly pending = new Set<RecordedTimer>();

  constructor(private readonly now: () => Date) {}

  get executing(): RecordedTimer[] {
    return [...this.pending];
  }

  register(owner: TimerOwner) {
    return {
      setTimeout: (callback: (...args: unknown[]) => unknown, delay: number, ...args: unknown[]) =>
        this.add(owner, callback, delay, args),
      clearTimeout: (ref: RecordedTimer) => this.clearTimeout(ref),
    };
  }

  setTimeout = (
    callback: (...args: unknown[]) => unknown,
    delay: number,
    ...args: unknown[]
  ): RecordedTimer => this.add(null, callback, delay, args);

  clearTimeout = (ref: unknown): undefined => {
    this.pending.delete(ref as RecordedTimer);
    return undefined;
  };

  /** Forgets the timers registered by the event definition of this activity execution. */
  dropOwnedBy(executionId: string): void {
    for (const ref of this.pending)
      if (ref.owner?.parent?.executionId === executionId) this.pending.delete(ref);
  }

  /** Fires a recorded timer now, as the in-process timeout would have. */
  fire(ref: RecordedTimer): void {
    if (!this.pending.delete(ref)) return;
    ref.callback(...ref.args);
  }

  private add(
    owner: TimerOwner | null,
    callback: (...args: unknown[]) => unknown,
    delay: number,
    args: unknown[],
  ): RecordedTimer {
    const ref: RecordedTimer = { owner, callback, args, delay, registeredAt: this.now() };
    this.pending.add(ref);
    return ref;
  }
}
