import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ForgetsForTest, forgetOnTestReset } from '@app/common';
import { ErrorCode } from '@app/contracts';
import type { ProcessDefinitionEntity } from '@app/database';
import {
  type CompileOptions,
  type CompiledDefinition,
  compileDefinition,
  DefinitionCache,
  DefinitionError,
  startInstance,
} from '../engine';
import { parseListenerMap, WorkflowEnv } from '../config/workflow.env';

import { notRunnable, WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { DefinitionsRepository } from './definitions.repository';

/**
 * What this platform triggers: message start events (POST /workflow/messages), timer start events
 * (apps/workflow/src/timer-starts) and signal start events (POST /workflow/signals and signal throw
 * events, see ExecutionService.startBySignal). The limits and the named listeners allowed are the
 * operator's (BPMN_* and ENGINE_* variables).
 */
export function compileOptionsOf(config: WorkflowEnv): CompileOptions {
  const listeners = parseListenerMap(config.BPMN_LISTENERS);
  return {
    eventStarts: ['message', 'signal', 'timer'],
    timeZone: config.TZ_BUSINESS,
    listeners: typeof listeners === 'string' ? {} : listeners, // validated at boot
    limits: {
      maxElements: config.BPMN_MAX_ELEMENTS,
      maxNesting: config.BPMN_MAX_NESTING,
      maxCardinality: config.BPMN_MAX_CARDINALITY,
      minTimerCycleMs: config.BPMN_MIN_TIMER_CYCLE_MS,
      maxStepsPerCommand: config.ENGINE_MAX_STEPS,
      maxEngineSliceMs: config.ENGINE_MAX_SLICE_MS,
    },
  };
}

const WARM_UP_XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="warm" targetNamespace="http://flowdesk.example/warm">
  <process id="warmUp" isExecutable="true"><startEvent id="s" /><sequenceFlow id="f" sourceRef="s" targetRef="t" />
    <userTask id="t" /><sequenceFlow id="g" sourceRef="t" targetRef="e" /><endEvent id="e" /></process>
</definitions>`;

const CACHED_VERSIONS = 500;

/**
 * Definition rows and their compiled form, compiled once per version (versions are immutable). A
 * version's row is read on every use (suspension and category change), its XML only the first time.
 */
@Injectable()
export class DefinitionRegistry implements OnApplicationBootstrap, ForgetsForTest {
  /** Options every deploy and every compiled version use. */
  readonly options: CompileOptions;
  private compiled: DefinitionCache;
  /** XML by `id@version`, least recently used first. */
  private readonly logger = new Logger(DefinitionRegistry.name);
  private readonly sources = new Map<string, string>();

  constructor(
    private readonly definitions: DefinitionsRepository,
    @Inject(WorkflowEnv) config: WorkflowEnv,
  ) {
    this.options = compileOptionsOf(config);
    this.compiled = new DefinitionCache(500, { ...this.options, stored: true });
    forgetOnTestReset(this);
  }

  forgetForTest(): void {
    this.compiled = new DefinitionCache(500, { ...this.options, stored: true });
    this.sources.clear();
  }

  /**
   * The first compile and run load and JIT bpmn-moddle and bpmn-engine: ~1 s of CPU that would
   * otherwise hold the event loop during somebody's first deploy. Paid here, before the app serves.
   */
  async onApplicationBootstrap(): Promise<void> {
    const warm = await compileDefinition(WARM_UP_XML, this.options);
    await startInstance({ definition: warm });
  }

  compile(definition: Pick<ProcessDefinitionEntity, 'id' | 'xml'>): Promise<CompiledDefinition> {
    return this.compiled.get(definition.id, definition.xml).catch((error: unknown) => {
      throw error instanceof DefinitionError ? notRunnable(definition, error) : error;
    });
  }

  /**
   * For sweeps over many versions (who catches a message or signal, who starts on one): a version this
   * server no longer compiles can neither start nor move, so it is passed over, with a warning, instead
   * of failing the broadcast for every other definition.
   */
  async compileIfRunnable(
    definition: Pick<ProcessDefinitionEntity, 'id' | 'xml'>,
  ): Promise<CompiledDefinition | undefined> {
    try {
      return await this.compile(definition);
    } catch (error) {
      if (!(error instanceof WorkflowException && error.reason === WorkflowReason.DefinitionNotRunnable))
        throw error;
      this.logger.warn({ definitionId: definition.id, err: error }, 'stored definition no longer compiles');
      return undefined;
    }
  }

  /** `read`: the row already read in this transaction (without its XML), used instead of a new read. */
  async byId(
    id: string,
    manager?: EntityManager,
    read?: ProcessDefinitionEntity,
  ): Promise<ProcessDefinitionEntity> {
    const found = read?.id === id ? read : await this.definitions.findById(id, manager, false);
    if (!found) throw WorkflowException.missing(WorkflowReason.DefinitionNotFound, 'definition', id);
    return this.withXml(found, manager);
  }

  /** The newest version of a key that may be started. */
  async latestActive(key: string, manager?: EntityManager): Promise<ProcessDefinitionEntity> {
    const latest = await this.definitions.findLatestVersion(key, manager, false);
    if (!latest) throw WorkflowException.missing(WorkflowReason.DefinitionNotFound, 'definition key', key);
    if (latest.suspended) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.DefinitionSuspended,
        `definition ${key} is suspended`,
      );
    }
    return this.withXml(latest, manager);
  }

  private async withXml(
    row: ProcessDefinitionEntity,
    manager: EntityManager | undefined,
  ): Promise<ProcessDefinitionEntity> {
    const key = `${row.id}@${row.version}`;
    let xml = this.sources.get(key);
    if (xml === undefined) {
      xml = await this.definitions.xmlOf(row.id, manager);
      while (this.sources.size >= CACHED_VERSIONS) this.sources.delete(this.sources.keys().next().value!);
    } else this.sources.delete(key);
    this.sources.set(key, xml);
    row.xml = xml;
    return row;
  }
}
