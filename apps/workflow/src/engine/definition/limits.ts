import type { DefinitionIssue } from '../errors';
import { hasExpression } from '../expression';
import { cronProblem, cronShortestGapMs, isCron } from './cron';
import { addDuration, IsoFormatError, parseCycle } from './iso8601';
import { NS } from './model';
import type { XmlElement } from './xml';

/**
 * Bounds of an uploaded BPMN document (DESIGN §4 "no file can stall the app for others"). A document
 * past them is refused at deploy, naming the element; none is skipped or run half.
 */
export interface DefinitionLimits {
  /** BPMN elements of the document (diagram shapes not counted). */
  readonly maxElements: number;
  /** Sub-processes inside sub-processes. bpmn-engine silently skips content nested past 64. */
  readonly maxNesting: number;
  /** A literal multi-instance loopCardinality (collections are bounded when they are evaluated). */
  readonly maxCardinality: number;
  /** Shortest interval of a repeating timer (`timeCycle`): `R/PT0S` spins bpmn-engine forever. */
  readonly minTimerCycleMs: number;
  /** Elements one command may enter before it counts as an endless loop (checked while it runs). */
  readonly maxStepsPerCommand: number;
  /**
   * CPU milliseconds bpmn-engine may use without yielding (it runs synchronously, blocking everyone);
   * checked once a command has entered 50 elements (session.ts, SLICE_BUDGET_AFTER_STEPS).
   */
  readonly maxEngineSliceMs: number;
}

export const DEFAULT_DEFINITION_LIMITS: DefinitionLimits = {
  maxElements: 2000,
  maxNesting: 10,
  maxCardinality: 1000,
  minTimerCycleMs: 60_000,
  maxStepsPerCommand: 5000,
  maxEngineSliceMs: 250,
};

const SUB_PROCESSES: ReadonlySet<string> = new Set(['subProcess', 'transaction', 'adHocSubProcess']);

function idOf(el: XmlElement): string {
  return el.attributes.find((a) => a.name === 'id')?.value ?? '';
}

function textOf(el: XmlElement): string {
  return el.children.map((c) => (c.type === 'text' || c.type === 'cdata' ? c.value : '')).join('');
}

/** Milliseconds of one interval of a repeating timer, or undefined when it is not an ISO cycle. */
export function cycleIntervalMs(value: string): number | undefined {
  try {
    const cycle = parseCycle(value);
    const epoch = new Date(0);
    return addDuration(epoch, cycle.duration).getTime() - epoch.getTime();
  } catch (err) {
    if (err instanceof IsoFormatError) return undefined;
    throw err;
  }
}

/** The reason a timer cycle value breaks the limits, or undefined. */
export function timerCycleProblem(value: string, limits: DefinitionLimits): string | undefined {
  // a cron expression is measured by its closest two firings (`0/10 * * * * ?`: 10 s); one that does
  // not parse is refused by the value checks
  const ms = isCron(value)
    ? cronProblem(value)
      ? undefined
      : cronShortestGapMs(value)
    : cycleIntervalMs(value);
  if (ms === undefined || ms >= limits.minTimerCycleMs) return undefined;
  return `timeCycle '${value.trim()}' repeats every ${ms} ms; the shortest allowed interval is ${limits.minTimerCycleMs} ms`;
}

export interface LimitIssues {
  /** Too many elements or too deep: refused before the document is analysed. */
  readonly size: DefinitionIssue[];
  /** Timer intervals and cardinalities: reported with the analysis' own issues. */
  readonly values: DefinitionIssue[];
}

/**
 * Checks the parsed document against the limits (iteratively: the XML reader bounds the depth, this
 * walk does not add to the stack). Returns every issue found.
 */
export function checkDefinitionLimits(root: XmlElement, limits: DefinitionLimits): LimitIssues {
  const size: DefinitionIssue[] = [];
  const values: DefinitionIssue[] = [];
  let elements = 0;
  let tooMany = false;
  const stack: { el: XmlElement; nesting: number; owner: XmlElement }[] = [
    { el: root, nesting: 0, owner: root },
  ];
  while (stack.length > 0) {
    const { el, nesting, owner } = stack.pop()!;
    if (el.ns === NS.bpmndi) continue;
    const isBpmn = el.ns === NS.bpmn;
    if (isBpmn && idOf(el) && ++elements > limits.maxElements && !tooMany) {
      tooMany = true;
      size.push({
        elementId: idOf(el),
        elementType: el.local,
        reason: `the document has more than ${limits.maxElements} elements`,
      });
    }
    let depth = nesting;
    if (isBpmn && SUB_PROCESSES.has(el.local)) {
      depth++;
      if (depth === limits.maxNesting + 1)
        size.push({
          elementId: idOf(el),
          elementType: el.local,
          reason: `sub-processes are nested more than ${limits.maxNesting} levels deep`,
        });
    }
    if (isBpmn && el.local === 'timeCycle') {
      const value = textOf(el);
      const problem = hasExpression(value) ? undefined : timerCycleProblem(value, limits);
      if (problem) values.push({ elementId: idOf(owner), elementType: owner.local, reason: problem });
    }
    if (isBpmn && el.local === 'loopCardinality') {
      const value = textOf(el).trim();
      if (/^\d+$/.test(value) && Number(value) > limits.maxCardinality)
        values.push({
          elementId: idOf(owner),
          elementType: owner.local,
          reason: `loopCardinality ${value} is more than ${limits.maxCardinality} instances`,
        });
    }
    // the nearest element with an id names the issues of the elements below it
    const nextOwner = isBpmn && idOf(el) ? el : owner;
    for (let i = el.children.length - 1; i >= 0; i--) {
      const child = el.children[i];
      if (child.type === 'element') stack.push({ el: child, nesting: depth, owner: nextOwner });
    }
  }
  return { size, values };
}
