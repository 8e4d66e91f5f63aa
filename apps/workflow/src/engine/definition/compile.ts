import { createHash } from 'node:crypto';
import { Engine } from 'bpmn-engine';
import { DefinitionError, type DefinitionIssue } from '../errors';
import { compileExpression, type CompiledExpression } from '../expression';
import { analyzeDefinition, type AnalyzeOptions, type SiteRole, type SiteSpec } from './analyze';
import type { TimerKind } from './iso8601';
import { reworkExitsPastJoins } from './concurrency';
import { reworkExitBehaviour } from '../runtime/rework-exit';
import { heldTimerBehaviour } from '../runtime/held-timer';
import { checkDefinitionLimits, DEFAULT_DEFINITION_LIMITS, type DefinitionLimits } from './limits';
import type { DefinitionModel, ElementModel } from './model';
import { attr, parseXml, serializeXml, XmlSyntaxError, type XmlAttribute, type XmlElement } from './xml';

export interface CompileOptions extends AnalyzeOptions {
  /** Largest accepted document, in characters (default 5,000,000). */
  readonly maxLength?: number;
  /** Elements, nesting, cardinality and timer bounds (see limits.ts); defaults for what is not given. */
  readonly limits?: Partial<DefinitionLimits>;
}

/** A compiled expression site handed to bpmn-engine as an opaque key (see runtime/expressions). */
export interface ExpressionSite {
  readonly key: string;
  readonly elementId: string;
  readonly role: SiteRole;
  readonly expression: CompiledExpression;
  /** Of a timer site: which timer value the expression computes (checked when it is evaluated). */
  readonly timerType?: TimerKind;
}

/**
 * A deployed definition version, ready to run. Build it once per version (`compileDefinition`)
 * and keep it (see `DefinitionCache`); it is immutable and shared by every instance of the version.
 */
export interface CompiledDefinition {
  readonly processId: string;
  readonly model: DefinitionModel;
  /** The normalised XML given to bpmn-engine (the caller keeps the original for the diagram). */
  readonly engineXml: string;
  /** sha-256 of `engineXml`; saved instance states are tied to it. */
  readonly fingerprint: string;
  readonly elementsById: ReadonlyMap<string, ElementModel>;
  /** The bounds it was checked against; values computed at run time (timer expressions) keep them too. */
  readonly limits: DefinitionLimits;
  /** The zone its cron fields and dates without an offset are read in (CompileOptions.timeZone). */
  readonly timeZone: string;
  /** @internal bpmn-engine's parsed context, shared by every engine built for this version. */
  readonly sourceContext: unknown;
  /** @internal per top-level start event, when the process has message / signal / timer starts. */
  readonly startContexts: ReadonlyMap<string, unknown>;
  /** @internal compiled expression sites by key. */
  readonly sites: ReadonlyMap<string, ExpressionSite>;
  /** @internal every expression of the document, compiled. */
  readonly expressions: ReadonlyMap<string, CompiledExpression>;
}

export type ValidationResult =
  | { readonly ok: true; readonly model: DefinitionModel }
  | { readonly ok: false; readonly issues: readonly DefinitionIssue[] };

const DEFAULT_MAX_LENGTH = 5_000_000;
/** Keys handed to bpmn-engine start with a control character no XML document can contain. */
export const SITE_KEY_PREFIX = '\u0001fd:';

/** Deploy-time validation; never throws for a bad document (returns the issues instead). */
export async function validateDefinition(
  xml: string,
  options: CompileOptions = {},
): Promise<ValidationResult> {
  try {
    const compiled = await compileDefinition(xml, options);
    return { ok: true, model: compiled.model };
  } catch (err) {
    if (err instanceof DefinitionError) return { ok: false, issues: err.issues };
    throw err;
  }
}

/** Parses, validates and prepares a BPMN document; throws `DefinitionError` (INVALID_DEFINITION). */
export async function compileDefinition(
  xml: string,
  options: CompileOptions = {},
): Promise<CompiledDefinition> {
  if (typeof xml !== 'string' || !xml.trim())
    throw new DefinitionError([{ elementId: '', reason: 'the document is empty' }]);
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (xml.length > maxLength) {
    throw new DefinitionError([
      { elementId: '', reason: `the document is larger than ${maxLength} characters` },
    ]);
  }

  let root;
  try {
    root = parseXml(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError)
      throw new DefinitionError([{ elementId: '', reason: `malformed XML: ${err.message}` }]);
    throw err;
  }

  const limits = { ...DEFAULT_DEFINITION_LIMITS, ...options.limits };
  const beyond = checkDefinitionLimits(root, limits);
  if (beyond.size.length) throw new DefinitionError(beyond.size);

  const analysis = analyzeDefinition(root, options);
  const issues = [...analysis.issues, ...beyond.values];
  if (issues.length || !analysis.model) {
    throw new DefinitionError(
      issues.length ? issues : [{ elementId: '', reason: 'the document could not be read' }],
    );
  }
  const model = analysis.model;
  const engineXml = serializeXml(analysis.engineRoot);

  const expressions = new Map<string, CompiledExpression>();
  for (const source of analysis.expressions) expressions.set(source, compileExpression(source));

  const sourceContext = await loadEngineContext(engineXml);
  const timeZone = options.timeZone ?? 'UTC';
  const sites = prepareContext(sourceContext, analysis.sites, expressions, model, false, timeZone);

  // With message / signal / timer start events, bpmn-engine would run every start event at once:
  // each start event gets its own context holding only that start event (as a none start).
  const starts = model.process.elements.filter(
    (e) => e.kind === 'startEvent' && e.parentId === model.process.id,
  );
  const startContexts = new Map<string, unknown>();
  if (starts.some((e) => e.eventDefinition)) {
    for (const start of starts) {
      const context = await loadEngineContext(serializeXml(startVariant(analysis.engineRoot, start.id)));
      prepareContext(context, analysis.sites, expressions, model, true, timeZone);
      startContexts.set(start.id, context);
    }
  }

  const elementsById = new Map(model.process.elements.map((e) => [e.id, e] as const));
  return Object.freeze({
    processId: model.process.id,
    model,
    engineXml,
    fingerprint: createHash('sha256').update(engineXml).digest('hex'),
    elementsById,
    limits,
    timeZone,
    sourceContext,
    startContexts,
    sites,
    expressions,
  });
}

function prepareContext(
  context: EngineContextApi,
  specs: readonly SiteSpec[],
  expressions: Map<string, CompiledExpression>,
  model: DefinitionModel,
  partial: boolean,
  timeZone: string,
): Map<string, ExpressionSite> {
  const sites = patchSites(context, specs, expressions, partial);
  joinInclusiveGateways(context, model);
  for (const id of reworkExitsPastJoins(model.process.elements, model.process.flows)) {
    const flow = context.getSequenceFlowById(id) as (ParsedEntity & { Behaviour?: unknown }) | undefined;
    if (flow?.Behaviour)
      flow.Behaviour = reworkExitBehaviour(flow.Behaviour as Parameters<typeof reworkExitBehaviour>[0]);
  }
  for (const element of model.process.elements) {
    // intermediate and boundary timers (timer starts are the durable layer's: timer_start, scope timers)
    if (element.eventDefinition?.kind !== 'timer' || element.kind === 'startEvent') continue;
    const definitions = context.getActivityById(element.id)?.behaviour['eventDefinitions'] as
      Array<ParsedEntity & { type?: string; Behaviour?: unknown }> | undefined;
    for (const definition of definitions ?? [])
      if (definition.type === 'bpmn:TimerEventDefinition' && definition.Behaviour)
        definition.Behaviour = heldTimerBehaviour(
          definition.Behaviour as Parameters<typeof heldTimerBehaviour>[0],
          timeZone,
        );
  }
  for (const element of model.process.elements) {
    const elementVariable = element.multiInstance?.elementVariable;
    if (!elementVariable) continue;
    const loop = context.getActivityById(element.id)?.behaviour['loopCharacteristics'] as
      ParsedEntity | undefined;
    if (loop) loop.behaviour['elementVariable'] = elementVariable;
  }
  return sites;
}

/**
 * The engine document for one top-level start event: it becomes a none start event; every other one
 * loses its event definition and gets a flow from itself (an inbound flow, so bpmn-engine does not
 * run it as a start activity; no token ever reaches it). Removing them instead would turn their
 * targets into start activities.
 */
function startVariant(root: XmlElement, startId: string): XmlElement {
  const copy = structuredClone(root);
  const process = copy.children.find((c): c is XmlElement => c.type === 'element' && c.local === 'process');
  if (!process) return copy;
  const idle: XmlElement[] = [];
  for (const child of process.children) {
    if (child.type !== 'element' || child.local !== 'startEvent') continue;
    const id = attr(child, 'id') ?? '';
    child.children = child.children.filter(
      (c) => c.type !== 'element' || !c.local.endsWith('EventDefinition'),
    );
    if (id === startId) continue;
    idle.push({
      ...child,
      name: child.name.replace(/startEvent$/, 'sequenceFlow'),
      local: 'sequenceFlow',
      attributes: [plain('id', `_flowdesk_idle_${id}`), plain('sourceRef', id), plain('targetRef', id)],
      children: [],
    });
  }
  process.children.push(...idle);
  return copy;
}

interface ParsedEntity {
  behaviour: Record<string, unknown>;
}

interface EngineContextApi {
  getActivityById(id: string): ParsedEntity | undefined;
  getSequenceFlowById(id: string): ParsedEntity | undefined;
  getExecutableProcesses(): unknown[];
}

async function loadEngineContext(engineXml: string): Promise<EngineContextApi> {
  // Parse through bpmn-engine's own loader (bpmn-moddle + moddle-context-serializer). Nothing runs.
  const engine = new Engine({ source: engineXml });
  let definitions: Array<{ environment: { options: { source?: unknown } } }>;
  try {
    definitions = (await engine.getDefinitions()) as unknown as typeof definitions;
  } catch (err) {
    throw new DefinitionError([
      { elementId: '', reason: `bpmn-engine could not load the document: ${(err as Error).message}` },
    ]);
  }
  const context = definitions[0]?.environment.options.source as EngineContextApi | undefined;
  if (!context || context.getExecutableProcesses().length !== 1) {
    throw new DefinitionError([
      { elementId: '', reason: 'bpmn-engine found no executable process in the document' },
    ]);
  }
  return context;
}

function plain(name: string, value: string): XmlAttribute {
  return { name, prefix: '', local: name, ns: '', value };
}

/** Puts compiled-expression keys (or canonical literals) into bpmn-engine's parsed model. */
function patchSites(
  context: EngineContextApi,
  specs: readonly SiteSpec[],
  expressions: Map<string, CompiledExpression>,
  partial = false,
): Map<string, ExpressionSite> {
  const sites = new Map<string, ExpressionSite>();
  let n = 0;
  const fail = (spec: SiteSpec, what: string): never => {
    throw new DefinitionError([
      { elementId: spec.elementId, reason: `internal: ${what} not found in the parsed model` },
    ]);
  };
  for (const spec of specs) {
    // a start variant lacks the other start events: same keys (n counts on), nothing to patch
    if (
      partial &&
      (spec.target.type === 'flowCondition'
        ? !context.getSequenceFlowById(spec.target.flowId)
        : !context.getActivityById(spec.target.activityId))
    ) {
      if (!spec.literal) n++;
      continue;
    }
    let value = spec.source;
    if (!spec.literal) {
      const key = `${SITE_KEY_PREFIX}${n++}`;
      const expression = expressions.get(spec.source) ?? compileExpression(spec.source);
      expressions.set(spec.source, expression);
      const timerType = spec.target.type === 'timer' ? spec.target.timerType : undefined;
      sites.set(key, { key, elementId: spec.elementId, role: spec.role, expression, timerType });
      value = key;
    }
    const target = spec.target;
    switch (target.type) {
      case 'flowCondition': {
        const flow = context.getSequenceFlowById(target.flowId) ?? fail(spec, 'sequence flow');
        const condition = flow.behaviour['conditionExpression'] as Record<string, unknown> | undefined;
        if (!condition) fail(spec, 'condition');
        flow.behaviour['conditionExpression'] = { ...condition, body: value, language: undefined };
        break;
      }
      case 'loop': {
        const activity = context.getActivityById(target.activityId) ?? fail(spec, 'activity');
        const loop = activity.behaviour['loopCharacteristics'] as ParsedEntity | undefined;
        if (!loop) fail(spec, 'loop characteristics');
        loop!.behaviour[target.field] = value;
        break;
      }
      case 'timer': {
        const activity = context.getActivityById(target.activityId) ?? fail(spec, 'activity');
        const defs = (activity.behaviour['eventDefinitions'] as ParsedEntity[] | undefined) ?? [];
        const timer = defs.find((d) => target.timerType in d.behaviour) ?? fail(spec, 'timer definition');
        timer.behaviour[target.timerType] = value;
        break;
      }
      case 'calledElement': {
        const activity = context.getActivityById(target.activityId) ?? fail(spec, 'activity');
        activity.behaviour['calledElement'] = value;
        break;
      }
    }
  }
  return sites;
}

/**
 * bpmn-engine fires an inclusive gateway on every arriving token: it has no inclusive join. It
 * does propagate discarded (dead) paths, so an inclusive join is exactly its parallel-join rule
 * (wait until every incoming flow was taken or discarded, go on if one was taken). Give merging
 * inclusive gateways that rule; splitting still evaluates every outgoing condition.
 */
function joinInclusiveGateways(context: EngineContextApi, model: DefinitionModel): void {
  for (const element of model.process.elements) {
    if (element.kind !== 'inclusiveGateway') continue;
    const incoming = model.process.flows.filter((f) => f.targetRef === element.id).length;
    if (incoming < 2) continue;
    const entity = context.getActivityById(element.id) as
      (ParsedEntity & { isParallelGateway?: boolean }) | undefined;
    if (entity) entity.isParallelGateway = true;
  }
}

/** Process-local cache of compiled definitions, keyed by the caller's version key. */
export class DefinitionCache {
  private readonly entries = new Map<string, Promise<CompiledDefinition>>();

  constructor(
    private readonly maxEntries = 200,
    private readonly options: CompileOptions = {},
  ) {}

  /** Returns the compiled definition for `key`, compiling `xml` on a miss. */
  get(key: string, xml: string): Promise<CompiledDefinition> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = compileDefinition(xml, this.options);
    this.entries.set(key, pending);
    pending.catch(() => this.entries.delete(key));
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return pending;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
