import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type EntityManager, QueryFailedError } from 'typeorm';
import {
  type Actor,
  actorHas,
  type CategoryReply,
  type DefinitionReply,
  type CheckDefinitionCommand,
  type DefinitionCheckReply,
  type DefinitionReferenceReply,
  type DefinitionXmlReply,
  type DeployDefinitionCommand,
  ErrorCode,
  type ListDefinitionsCommand,
  type PageReply,
  type SaveCategoryCommand,
  type UpdateDefinitionCommand,
  type WorkflowPermission,
} from '@app/contracts';
import { compileDefinition, DefinitionError, hasExpression } from '../engine';
import { normaliseFormKey } from '../forms/forms.service';
import { fromEngineError, WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { DefinitionRegistry } from './definition.registry';
import { TimerStartScheduleService } from '../timer-starts/timer-start-schedule.service';
import { mapCategory, mapDefinition } from './definition.mapper';
import { DefinitionsRepository } from './definitions.repository';
import { starterKeysOf } from '../common/starters';

export function requirePermission(actor: Actor, permission: WorkflowPermission): void {
  if (!actorHas(actor, permission)) {
    throw new WorkflowException(
      ErrorCode.NoPermission,
      WorkflowReason.MissingPermission,
      `requires ${permission}`,
    );
  }
}

@Injectable()
export class DefinitionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DefinitionsService.name);
  /** Filling the starters of versions stored without them: one fill at a time, shared by the lists. */
  private startersRead?: Promise<void>;
  /** Versions that no longer compile: their starters stay NULL (admins only list them); not read again. */
  private readonly unrunnable = new Set<string>();

  constructor(
    private readonly registry: DefinitionRegistry,
    private readonly repository: DefinitionsRepository,
    private readonly timerStarts: TimerStartScheduleService,
  ) {}

  /** Validates, then stores a new immutable version of the process key (version = previous + 1). */
  async deploy(command: DeployDefinitionCommand): Promise<DefinitionReply> {
    requirePermission(command.actor, 'workflow:deploy');
    const compiled = await compileDefinition(command.xml, this.registry.options).catch((error: unknown) => {
      throw fromEngineError(error);
    });
    const process = compiled.model.process;
    const start = compiled.elementsById.get(process.startEventId);
    const saved = await this.repository.transaction(async (manager) => {
      await this.repository.lockKey(manager, process.id);
      const previous = await this.repository.newestVersion(process.id, manager);
      if (command.category) await this.requireCategory(command.category, manager);
      const saved = await this.repository.insert(manager, {
        key: process.id,
        version: (previous ?? 0) + 1,
        name: process.name?.trim() || process.id,
        category: command.category ?? null,
        description: null,
        serialCode: command.serialCode ?? (process.id.replace(/[^A-Za-z0-9]/g, '').slice(0, 64) || 'P'),
        xml: command.xml,
        resourceName: command.resourceName ?? null,
        fingerprint: compiled.fingerprint,
        startFormKey: start?.formKey ?? null,
        suspended: false,
        starters: starterKeysOf(process),
        deployedBy: command.actor.id,
      });
      await this.timerStarts.schedule(manager, saved, compiled, new Date());
      return saved;
    });
    return mapDefinition(saved, true, [...compiled.model.vendors]);
  }

  /**
   * Everything deploy checks, plus what only the platform knows: every literal form key names a form
   * that exists. The literal people and groups come back so the gateway can check them against the
   * directory. Nothing is stored.
   */
  async check(command: CheckDefinitionCommand): Promise<DefinitionCheckReply> {
    requirePermission(command.actor, 'workflow:deploy');
    const compiled = await compileDefinition(command.xml, this.registry.options).catch((error: unknown) => {
      throw fromEngineError(error);
    });
    const process = compiled.model.process;
    const references: DefinitionReferenceReply[] = [];
    const forms: { elementId: string; formKey: string }[] = [];
    const literal = (value: string | undefined): value is string => !!value?.trim() && !hasExpression(value);
    const add = (elementId: string, attribute: string, kind: 'user' | 'group', values: readonly string[]) => {
      for (const value of values)
        if (literal(value)) references.push({ elementId, attribute, kind, value: value.trim() });
    };
    add(process.id, 'candidateStarterUsers', 'user', process.candidateStarterUsers);
    add(process.id, 'candidateStarterGroups', 'group', process.candidateStarterGroups);
    let userTasks = 0;
    for (const element of process.elements) {
      const formKey = element.userTask?.formKey ?? element.formKey;
      if (literal(formKey)) forms.push({ elementId: element.id, formKey: normaliseFormKey(formKey) });
      const task = element.userTask;
      if (!task) continue;
      userTasks += 1;
      if (task.assignee) add(element.id, 'assignee', 'user', [task.assignee]);
      add(element.id, 'candidateUsers', 'user', task.candidateUsers);
      add(element.id, 'candidateGroups', 'group', task.candidateGroups);
    }
    if (forms.length) {
      const known = await this.repository.existingFormKeys([...new Set(forms.map((f) => f.formKey))]);
      const missing = forms.filter((f) => !known.has(f.formKey));
      if (missing.length)
        throw fromEngineError(
          new DefinitionError(
            missing.map((f) => ({ elementId: f.elementId, reason: `formKey '${f.formKey}': no such form` })),
          ),
        );
    }
    return {
      key: process.id,
      name: process.name?.trim() || process.id,
      vendors: [...compiled.model.vendors],
      userTasks,
      references,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.readStarters();
  }

  /**
   * A startable list depends on the caller (their starter keys): gateways that cache pages key
   * startable ones by `starterKeysOfActor` too (DefinitionListCache); every other list is the same for
   * every caller.
   */
  async list(command: ListDefinitionsCommand): Promise<PageReply<DefinitionReply>> {
    if (command.startableOnly) await this.readStarters();
    const { rows, total } = await this.repository.findPage(command);
    return {
      total,
      pageNum: command.pageNum,
      pageSize: command.pageSize,
      rows: rows.map((row) => mapDefinition(row.entity, row.latest)),
    };
  }

  /**
   * Versions stored without their starters get them from their XML before every startable list: those
   * deployed before the column, and those an older replica still deploys during a rolling upgrade (read
   * once at boot, they stayed hidden from `startable=true` until a restart). Nothing to read is one
   * query. A version that no longer compiles stays null: only admins list it (nobody can start it anyway).
   */
  private readStarters(): Promise<void> {
    this.startersRead ??= this.fillStarters().finally(() => {
      this.startersRead = undefined;
    });
    return this.startersRead;
  }

  private async fillStarters(): Promise<void> {
    for (const row of await this.repository.withoutStarters([...this.unrunnable])) {
      // as a stored version runs: the deploy-only refusals do not apply (DefinitionRegistry)
      const compiled = await this.registry.compileIfRunnable({ id: String(row.id), xml: row.xml });
      if (compiled) await this.repository.setStarters(row.id, starterKeysOf(compiled.model.process));
      else this.unrunnable.add(String(row.id));
    }
  }

  async get(id: string): Promise<DefinitionReply> {
    const entity = await this.registry.byId(id);
    const compiled = await this.registry.compile(entity);
    return mapDefinition(entity, await this.repository.isLatest(entity), [...compiled.model.vendors]);
  }

  /** The newest deployed version of the key, or null if it was never deployed. */
  newestVersion(key: string): Promise<number | null> {
    return this.repository.newestVersion(key);
  }

  async xml(id: string): Promise<DefinitionXmlReply> {
    const entity = await this.registry.byId(id);
    return { id: entity.id, xml: entity.xml };
  }

  async update(command: UpdateDefinitionCommand): Promise<DefinitionReply> {
    requirePermission(command.actor, 'workflow:deploy');
    const entity = await this.registry.byId(command.id);
    if (command.category !== undefined && command.category !== null) {
      await this.requireCategory(command.category);
    }
    await this.repository.update(entity.id, {
      ...(command.suspended !== undefined && { suspended: command.suspended }),
      ...(command.category !== undefined && { category: command.category }),
    });
    return this.get(entity.id);
  }

  async categories(): Promise<CategoryReply[]> {
    return (await this.repository.categories()).map(mapCategory);
  }

  async saveCategory(command: SaveCategoryCommand): Promise<CategoryReply> {
    requirePermission(command.actor, 'workflow:deploy');
    try {
      if (command.id) {
        const existing = await this.repository.findCategory(command.id);
        if (!existing)
          throw WorkflowException.missing(WorkflowReason.CategoryNotFound, 'category', command.id);
        return mapCategory(
          await this.repository.saveCategory({
            ...existing,
            code: command.code,
            name: command.name,
            sortOrder: command.sortOrder ?? existing.sortOrder,
          }),
        );
      }
      return mapCategory(
        await this.repository.saveCategory({
          code: command.code,
          name: command.name,
          sortOrder: command.sortOrder ?? 0,
        }),
      );
    } catch (error) {
      if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505') {
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.CategoryExists,
          `category ${command.code} exists`,
        );
      }
      throw error;
    }
  }

  async deleteCategory(actor: Actor, id: string): Promise<{ deleted: true }> {
    requirePermission(actor, 'workflow:deploy');
    const existing = await this.repository.findCategory(id);
    if (!existing) throw WorkflowException.missing(WorkflowReason.CategoryNotFound, 'category', id);
    const used = await this.repository.isCategoryUsed(existing.code);
    if (used) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.CategoryInUse,
        `category ${existing.code} has definitions`,
      );
    }
    await this.repository.deleteCategory(id);
    return { deleted: true };
  }

  private async requireCategory(code: string, manager?: EntityManager): Promise<void> {
    const exists = await this.repository.categoryExists(code, manager);
    if (!exists) {
      throw new WorkflowException(ErrorCode.InvalidParameter, WorkflowReason.CategoryNotFound, undefined, [
        { field: 'category', reason: `category ${code} does not exist` },
      ]);
    }
  }
}
