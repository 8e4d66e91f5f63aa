import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  actorHas,
  type Actor,
  ErrorCode,
  type CheckFormDataCommand,
  type FormDataCheckReply,
  type FormReply,
  type GetFormCommand,
  type ListFormsCommand,
  type PageReply,
  type ProcessFormCommand,
  type ProcessFormReply,
  type SaveFormCommand,
} from '@app/contracts';
import { AppException } from '@app/common';
import type { FormDefinitionEntity, ProcessDefinitionEntity, TaskEntity } from '@app/database';
import { DefinitionRegistry } from '../definitions/definition.registry';
import { InstanceQueriesService } from '../instances/queries/instance-queries.service';
import { formFor, startFormOf } from './form-lookup';
import { FormsRepository } from './forms.repository';
import { checkFormSchema, type FormSchema, formKeys, validateFormData } from './form-schema';

export function mapForm(form: FormDefinitionEntity): FormReply {
  return {
    id: String(form.id),
    formKey: form.formKey,
    version: form.version,
    name: form.name,
    schema: form.schema,
    createdAt: form.createdAt.toISOString(),
  };
}

export { normaliseFormKey } from './form-lookup';

@Injectable()
export class FormsService {
  constructor(
    private readonly repository: FormsRepository,
    private readonly registry: DefinitionRegistry,
    private readonly instances: InstanceQueriesService,
  ) {}

  /** A new version of a key; the lock on the key's newest row makes concurrent saves take 1, 2, 3 … without gaps. */
  async save(command: SaveFormCommand): Promise<FormReply> {
    this.requireDesigner(command.actor);
    const errors = checkFormSchema(command.schema);
    if (errors.length > 0) throw AppException.invalid(errors);
    return this.repository.transaction(async (manager) => mapForm(await this.saveVersion(manager, command)));
  }

  async saveVersion(
    manager: EntityManager,
    input: { formKey: string; name: string; schema: Record<string, unknown>; actor?: Actor },
  ): Promise<FormDefinitionEntity> {
    return this.repository.saveNextVersion(manager, input);
  }

  /** The newest version of every key (optionally filtered by key or name). */
  async list(command: ListFormsCommand): Promise<PageReply<FormReply>> {
    const { rows, total } = await this.repository.pageOfNewest(
      command.keyword,
      command.pageNum,
      command.pageSize,
    );
    return { total, pageNum: command.pageNum, pageSize: command.pageSize, rows: rows.map(mapForm) };
  }

  async get(command: GetFormCommand): Promise<FormReply> {
    const found = await this.repository.findVersion(command.formKey, command.version);
    if (!found) throw AppException.notFound('form', command.formKey);
    return mapForm(found);
  }

  /** Checks data against a stored form; stores nothing (forms bound to data models submit through it). */
  async checkData(command: CheckFormDataCommand): Promise<FormDataCheckReply> {
    const form = await this.get(command);
    const schema = form.schema as unknown as FormSchema;
    const data = command.data ?? {};
    const keys = formKeys(schema);
    const known = new Set(keys);
    return {
      formKey: form.formKey,
      version: form.version,
      keys,
      errors: validateFormData(schema, data),
      data: Object.fromEntries(Object.entries(data).filter(([k]) => known.has(k))),
    };
  }

  async versions(command: GetFormCommand): Promise<FormReply[]> {
    const rows = await this.repository.versionsOf(command.formKey);
    if (rows.length === 0) throw AppException.notFound('form', command.formKey);
    return rows.map(mapForm);
  }

  /** The form a definition version uses for a key (form-lookup.ts). */
  formFor(
    manager: EntityManager | undefined,
    formKey: string | null | undefined,
    definition: Pick<ProcessDefinitionEntity, 'deployedAt'>,
  ): Promise<FormDefinitionEntity | null> {
    return formFor(this.repository, formKey, definition, manager);
  }

  startFormKey(
    definition: ProcessDefinitionEntity,
  ): Promise<{ elementId: string | null; formKey: string | null }> {
    return startFormOf(this.registry, definition);
  }

  /** Refuses data that its form does not accept (4101 with one error per field); returns only the form's keys when a form exists. */
  async validate(
    manager: EntityManager,
    formKey: string | null | undefined,
    definition: Pick<ProcessDefinitionEntity, 'deployedAt'>,
    data: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const form = await this.formFor(manager, formKey, definition);
    if (!form) return data;
    const schema = form.schema as unknown as FormSchema;
    const errors = validateFormData(schema, data);
    if (errors.length > 0)
      throw new AppException(ErrorCode.InvalidParameter, 'FORM_DATA_INVALID', 'form data invalid', errors);
    const keys = new Set(formKeys(schema));
    return Object.fromEntries(Object.entries(data).filter(([k]) => keys.has(k) || keys.has(k.split('.')[0])));
  }

  /**
   * Completing a task that has a form: the instance's data with the submitted variables must satisfy
   * that form (4101 naming `variables.<field>`). Variables outside the form pass as they are.
   */
  async checkTaskCompletion(
    manager: EntityManager,
    task: Pick<TaskEntity, 'formKey' | 'definitionId' | 'instanceId'>,
    variables: Record<string, unknown>,
  ): Promise<void> {
    if (!task.formKey) return;
    const definition = await this.registry.byId(task.definitionId, manager);
    const form = await this.formFor(manager, task.formKey, definition);
    if (!form) return;
    const instance = await this.repository.instanceVariables(manager, task.instanceId);
    const data = { ...((instance?.variables as Record<string, unknown> | undefined) ?? {}), ...variables };
    const errors = validateFormData(form.schema as unknown as FormSchema, data);
    if (errors.length > 0)
      throw new AppException(
        ErrorCode.InvalidParameter,
        'FORM_DATA_INVALID',
        'form data invalid',
        errors.map(({ field, reason }) => ({ field: `variables.${field}`, reason })),
      );
  }

  async processForm(command: ProcessFormCommand): Promise<ProcessFormReply> {
    if (command.instanceId) {
      const instance = await this.instances.visibleInstance(command.actor, command.instanceId);
      const definition = await this.registry.byId(instance.definitionId);
      const task = await this.repository.taskOf(instance.id, command.taskId);
      if (command.taskId && !task) throw AppException.notFound('task', command.taskId);
      const start = task ? null : await this.startFormKey(definition);
      const formKey = task ? task.formKey : start!.formKey;
      const form = await this.formFor(undefined, formKey, definition);
      return {
        definitionId: String(definition.id),
        definitionKey: definition.key,
        elementId: task ? task.elementId : start!.elementId,
        formKey,
        form: form ? mapForm(form) : null,
        instanceId: String(instance.id),
        taskId: task ? String(task.id) : null,
        data: instance.variables as Record<string, unknown>,
      };
    }
    const definition = command.definitionId
      ? await this.registry.byId(command.definitionId)
      : await this.registry.latestActive(command.definitionKey!);
    const start = await this.startFormKey(definition);
    const form = await this.formFor(undefined, start.formKey, definition);
    return {
      definitionId: String(definition.id),
      definitionKey: definition.key,
      elementId: start.elementId,
      formKey: start.formKey,
      form: form ? mapForm(form) : null,
      instanceId: null,
      taskId: null,
      data: null,
    };
  }

  private requireDesigner(actor: Actor): void {
    if (!actorHas(actor, 'workflow:deploy') && !actor.permissions.includes('form:write'))
      throw AppException.forbidden('MISSING_PERMISSION', 'form:write or workflow:deploy required');
  }
}
