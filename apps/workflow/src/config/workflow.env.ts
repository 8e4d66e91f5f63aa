import {
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { CommonEnv } from '@app/common';

const LISTENER_ACTIONS = ['ignore', 'publish'] as const;
const LISTENER_NAME = /^[\p{L}_$][\p{L}\p{N}_$.]*$/u;

/**
 * `BPMN_LISTENERS`: `name=action` pairs separated by commas (`leaveApplyEndProcessor=ignore,
 * leaveNotify=publish`); a name is the bean of `delegateExpression="${name}"` or a `class` name.
 * Returns the map, or the problem with the first bad pair.
 */
export function parseListenerMap(value: string): Record<string, 'ignore' | 'publish'> | string {
  const map: Record<string, 'ignore' | 'publish'> = {};
  for (const pair of value.split(',').map((p) => p.trim())) {
    if (pair === '') continue;
    const [name, action, extra] = pair.split('=').map((p) => p.trim());
    if (action === undefined || extra !== undefined || !name || !LISTENER_NAME.test(name))
      return `"${pair}" is not name=action (name: the bean of \${name} or a class name)`;
    if (!LISTENER_ACTIONS.includes(action as never))
      return `"${pair}": the action must be ${LISTENER_ACTIONS.join(' or ')}`;
    if (Object.hasOwn(map, name) && map[name] !== action) return `"${name}" is mapped twice`;
    map[name] = action as 'ignore' | 'publish';
  }
  return map;
}

@ValidatorConstraint({ name: 'listenerMap' })
class IsListenerMap implements ValidatorConstraintInterface {
  private problem = '';
  validate(value: unknown): boolean {
    const parsed = typeof value === 'string' ? parseListenerMap(value) : 'must be a string';
    this.problem = typeof parsed === 'string' ? parsed : '';
    return typeof parsed !== 'string';
  }
  defaultMessage(): string {
    return `${this.problem}; expected e.g. leaveApplyEndProcessor=ignore,leaveNotify=publish`;
  }
}

/** Every variable the workflow app reads; validated once at boot (see .env.example). */
export class WorkflowEnv extends CommonEnv {
  /** Bind the TCP transport to an internal address: only the gateway may reach it (DESIGN §1). */
  @IsString()
  WORKFLOW_TCP_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(1)
  @Max(65535)
  WORKFLOW_TCP_PORT: number = 3001;

  @IsString()
  WORKFLOW_HTTP_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(1)
  @Max(65535)
  WORKFLOW_HTTP_PORT: number = 3002;

  /** NATS queue group of the workflow replicas (WORKFLOW_TRANSPORT=nats): each command goes to one of them. */
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'NATS_QUEUE must be letters, digits, _, - and .' })
  NATS_QUEUE: string = 'flowdesk-workflow';

  /**
   * Engines of running instances kept in memory after a committed step, so the instance's next command
   * skips the recovery (least recently used dropped first; 0 turns it off). Each holds bpmn-engine's
   * whole object graph: 0.3–0.7 MB for a ten-element approval, more for larger models. Also bounded by
   * WORKFLOW_HOT_ENGINE_IDLE_S and by V8's heap (half its limit, see HotEngines).
   */
  @IsInt()
  @Min(0)
  @Max(100_000)
  WORKFLOW_HOT_ENGINES: number = 1000;

  /** A kept engine unused this many seconds is dropped (0: only the count and the heap bound it). */
  @IsInt()
  @Min(0)
  @Max(86_400)
  WORKFLOW_HOT_ENGINE_IDLE_S: number = 120;

  /** How often due timer jobs are polled (ms); a job due before the next poll fires on time. 0 turns the job runner off on this replica. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  WORKFLOW_JOB_POLL_MS: number = 1000;

  /**
   * Duration reports measuring at most this many tasks and instances give exact percentiles from the
   * records; larger ones read the daily histograms (within 1 %). 0: always the histograms.
   */
  @IsInt()
  @Min(0)
  REPORT_EXACT_MAX_ROWS: number = 10_000;

  /** Urge (催办) rate limit: at most one urge per instance within this many seconds. */
  @IsInt()
  @Min(0)
  @Max(86_400)
  WORKFLOW_URGE_INTERVAL_S: number = 600;

  // Bounds of uploaded BPMN (engine/definition/limits.ts): refused at deploy naming the element.
  /** Most BPMN elements in one document. */
  @IsInt()
  @Min(10)
  @Max(100_000)
  BPMN_MAX_ELEMENTS: number = 2000;

  /** Deepest sub-process nesting; bpmn-engine skips content past 64 levels, so more is never allowed. */
  @IsInt()
  @Min(1)
  @Max(60)
  BPMN_MAX_NESTING: number = 10;

  /** Largest literal multi-instance loopCardinality. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  BPMN_MAX_CARDINALITY: number = 1000;

  /** Shortest interval of a repeating timer (timeCycle), ms: R/PT0S spins the engine; ms cycles flood history. */
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  BPMN_MIN_TIMER_CYCLE_MS: number = 60_000;

  /**
   * Named BPMN listeners (`delegateExpression="${name}"`, `class="…"`) an operator allows: `ignore` or
   * `publish` (an outbox event to webhooks). Unmapped listeners are refused at deploy.
   */
  @Validate(IsListenerMap)
  BPMN_LISTENERS: string = '';

  /** Elements one engine command may enter before it is stopped as an endless loop (instance failed, incident). */
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  ENGINE_MAX_STEPS: number = 5000;

  /** CPU ms one engine command may run without yielding before it is stopped (instance failed, incident). */
  @IsInt()
  @Min(50)
  @Max(10_000)
  ENGINE_MAX_SLICE_MS: number = 250;
}
