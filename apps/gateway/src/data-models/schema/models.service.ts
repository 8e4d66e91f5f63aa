import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type Actor,
  CheckFormDataCommand,
  ErrorCode,
  type FieldError,
  WorkflowPattern,
} from '@app/contracts';
import { AppException, type Page, pageOffset, type PageQueryDto, toPage } from '@app/common';
import {
  type DataFieldDefinition,
  type DataFlowBinding,
  type DataFormBinding,
  DataModelEntity,
} from '@app/database';
import type {
  AddFieldDto,
  ChangeFieldDto,
  CreateModelDto,
  FieldDto,
  FieldInputDto,
  FlowBindingDto,
  FormBindingDto,
  ModelDto,
  ModelVersionDto,
  UpdateModelDto,
} from '../data-models.dto';
import { DataModelException, DataModelReason } from '../data-models.exception';
import { SYSTEM_FIELDS } from '../views/record-query';
import {
  type FieldOptions,
  type FieldSpec,
  type FieldType,
  normalizeValue,
  SCALAR_TYPES,
  UNIQUE_TYPES,
} from './field-types';
import { GatewayEnv } from '../../config/gateway.env';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import { fieldIndexNames, ModelsRepository } from './models.repository';

const MAX_FIELDS = 200;

/** The stored field list as the validators see it. */
export const specsOf = (model: Pick<DataModelEntity, 'fields'>): FieldSpec[] =>
  model.fields as unknown as FieldSpec[];

const iso = (d: Date) => d.toISOString();

function fieldDto(f: DataFieldDefinition): FieldDto {
  return {
    id: f.id,
    key: f.key,
    name: f.name,
    type: f.type,
    required: f.required,
    unique: f.unique,
    indexed: f.indexed,
    deprecated: f.deprecated,
    ...(f.default !== undefined ? { default: f.default } : {}),
    ...(f.options ? { options: f.options } : {}),
  };
}

/** Flow bindings keep field ids (renames do not break them); clients see keys. */
function flowsOut(model: DataModelEntity): DataFlowBinding[] {
  const keyOf = (id: string) => model.fields.find((f) => f.id === id)?.key ?? id;
  return model.flows.map((b) => ({
    flowCode: b.flowCode,
    variables: Object.fromEntries(Object.entries(b.variables).map(([v, id]) => [v, keyOf(id)])),
    ...(b.title ? { title: keyOf(b.title) } : {}),
  }));
}

/** Form bindings keep field ids too; clients see `form key → field key`. */
export function formsOut(model: Pick<DataModelEntity, 'fields' | 'forms'>): DataFormBinding[] {
  const keyOf = (id: string) => model.fields.find((f) => f.id === id)?.key ?? id;
  return (model.forms ?? []).map((b) => ({
    formKey: b.formKey,
    fields: Object.fromEntries(Object.entries(b.fields).map(([formField, id]) => [formField, keyOf(id)])),
  }));
}

export function modelDto(model: DataModelEntity): ModelDto {
  return {
    id: model.id,
    key: model.key,
    name: model.name,
    description: model.description,
    version: model.version,
    fields: model.fields.map(fieldDto),
    flows: flowsOut(model),
    forms: formsOut(model),
    createdAt: iso(model.createdAt),
    updatedAt: iso(model.updatedAt),
  };
}

/**
 * Model definitions (seed 004's data modelling tool). Every schema change raises the model's version
 * and is kept in `data_model_version` (who, when, what, the fields after it). Values are stored by
 * field id, so renames and option changes never touch records; a field is deprecated, never dropped.
 */
@Injectable()
export class ModelsService {
  private readonly logger = new Logger(ModelsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly models: ModelsRepository,
    private readonly config: GatewayEnv,
    private readonly workflow: WorkflowClient,
  ) {}

  async list(query: PageQueryDto): Promise<Page<ModelDto>> {
    const [rows, total] = await this.models.page(pageOffset(query), query.pageSize);
    return toPage(rows.map(modelDto), total, query);
  }

  async get(key: string): Promise<ModelDto> {
    return modelDto(await this.load(key));
  }

  /** The model or 404. */
  async load(key: string, manager?: EntityManager, lock = false): Promise<DataModelEntity> {
    const model = await this.models.findByKey(key, manager, lock);
    if (!model) throw AppException.notFound('data model', key);
    return model;
  }

  async versions(key: string, query: PageQueryDto): Promise<Page<ModelVersionDto>> {
    const model = await this.load(key);
    const [rows, total] = await this.models.versions(model.id, pageOffset(query), query.pageSize);
    return toPage(
      rows.map((v) => ({
        version: v.version,
        change: v.change,
        fields: v.fields.map(fieldDto),
        actorId: v.actorId,
        at: iso(v.at),
      })),
      total,
      query,
    );
  }

  async create(actor: Actor, dto: CreateModelDto): Promise<ModelDto> {
    const errors: FieldError[] = [];
    const fields: DataFieldDefinition[] = [];
    if (dto.fields.length > MAX_FIELDS)
      errors.push({ field: 'fields', reason: `at most ${MAX_FIELDS} fields` });
    for (const [index, input] of dto.fields.entries()) {
      const field = await this.checkField(
        input,
        fields,
        `fields[${index}]`,
        `f${index + 1}`,
        errors,
        dto.key,
      );
      if (field) fields.push(field);
    }
    const flows = this.checkFlows(dto.flows ?? [], fields, errors);
    if (errors.length) throw AppException.invalid(errors);
    const keyTaken = () =>
      DataModelException.conflict(DataModelReason.KeyTaken, `a model ${dto.key} exists already`);
    const id = await this.dataSource.transaction(async (manager) => {
      if (await this.models.findByKey(dto.key, manager)) throw keyTaken();
      // a model of the same key created since the look-up (a concurrent save) is the same conflict
      const inserted = await manager
        .insert(DataModelEntity, {
          key: dto.key,
          name: dto.name,
          description: dto.description ?? null,
          fields: fields as never,
          nextFieldNo: fields.length + 1,
          flows: flows as never,
          creatorId: actor.id,
        })
        .catch((error: unknown) => {
          const { code, constraint } = error as { code?: string; constraint?: string };
          throw code === '23505' && constraint === 'uq_data_model_key' ? keyTaken() : error;
        });
      const model = (await this.models.findById(String(inserted.identifiers[0].id), manager))!;
      for (const field of fields.filter((f) => f.unique))
        await this.models.createUniqueIndex(manager, model.id, field as FieldSpec);
      await this.models.insertVersion(
        manager,
        model,
        { op: 'created', fields: fields.map((f) => f.key) },
        actor.id,
      );
      return model.id;
    });
    const model = (await this.models.findById(id))!;
    await this.buildPlainIndexes(
      model,
      fields.filter((f) => f.indexed && !f.unique),
    );
    return modelDto(model);
  }

  async update(actor: Actor, key: string, dto: UpdateModelDto): Promise<ModelDto> {
    // the bound forms' keys come from the workflow app, before the model row is locked
    const formKeys = dto.forms ? await this.storedFormKeys(actor, dto.forms) : null;
    return this.change(actor, key, dto.version, (model, errors) => {
      const described = () => ({
        name: model.name,
        description: model.description,
        flows: flowsOut(model),
        forms: formsOut(model),
      });
      const before = described();
      if (dto.name !== undefined) model.name = dto.name;
      if (dto.description !== undefined) model.description = dto.description;
      if (dto.flows !== undefined) model.flows = this.checkFlows(dto.flows, model.fields, errors);
      if (dto.forms !== undefined)
        model.forms = this.checkForms(dto.forms, model.fields, formKeys ?? new Map(), errors);
      return { change: { op: 'model_changed', before, after: described() } };
    });
  }

  /** The input keys of each stored form named (null: no stored form has that key). */
  private async storedFormKeys(
    actor: Actor,
    bindings: FormBindingDto[],
  ): Promise<Map<string, string[] | null>> {
    const keys = new Map<string, string[] | null>();
    for (const formKey of new Set(bindings.map((b) => b.formKey))) {
      const stored = await this.workflow
        .send(WorkflowPattern.FormCheckData, CheckFormDataCommand.create({ actor, formKey }))
        .catch((error: unknown) => {
          if (error instanceof AppException && error.code === ErrorCode.NotFound) return null;
          throw error;
        });
      keys.set(formKey, stored ? stored.keys : null);
    }
    return keys;
  }

  /**
   * A form binding maps form field keys to live model fields (stored by field id). Without a mapping,
   * every form key that is also a live field key maps to that field.
   */
  private checkForms(
    input: FormBindingDto[],
    fields: readonly DataFieldDefinition[],
    formKeys: Map<string, string[] | null>,
    errors: FieldError[],
  ): DataFormBinding[] {
    if (new Set(input.map((b) => b.formKey)).size !== input.length)
      errors.push({ field: 'forms', reason: 'one binding per formKey' });
    const live = (key: unknown) => fields.find((f) => f.key === key && !f.deprecated);
    return input.map((b, i) => {
      const keys = formKeys.get(b.formKey);
      if (!keys) {
        errors.push({ field: `forms[${i}].formKey`, reason: `no stored form ${b.formKey}` });
        return { formKey: b.formKey, fields: {} };
      }
      const mapped: Record<string, string> = {};
      const pairs = b.fields
        ? Object.entries(b.fields)
        : keys.filter((k) => live(k)).map((k) => [k, k] as [string, string]);
      for (const [formField, fieldKey] of pairs) {
        const at = `forms[${i}].fields.${formField}`;
        const field = live(fieldKey);
        if (!keys.includes(formField))
          errors.push({ field: at, reason: `is not a field of form ${b.formKey}` });
        else if (!field) errors.push({ field: at, reason: `must name a live field of the model` });
        else if (Object.values(mapped).includes(field.id))
          errors.push({ field: at, reason: `field ${field.key} is mapped twice` });
        else mapped[formField] = field.id;
      }
      if (pairs.length === 0)
        errors.push({
          field: `forms[${i}].fields`,
          reason: 'no form key matches a field key of the model: map them in fields',
        });
      return { formKey: b.formKey, fields: mapped };
    });
  }

  async addField(actor: Actor, key: string, dto: AddFieldDto): Promise<ModelDto> {
    let added: DataFieldDefinition | null = null;
    const result = await this.change(actor, key, dto.version, async (model, errors, manager) => {
      if (model.fields.length >= MAX_FIELDS)
        errors.push({ field: 'field', reason: `at most ${MAX_FIELDS} fields` });
      const field = await this.checkField(
        dto.field,
        model.fields,
        'field',
        `f${model.nextFieldNo}`,
        errors,
        key,
      );
      if (!field || errors.length) return { change: {} };
      model.fields = [...model.fields, field];
      model.nextFieldNo += 1;
      if (field.unique) await this.uniqueIndex(manager, model, field);
      added = field;
      return { change: { op: 'field_added', field: field.key, after: field } };
    });
    const field = added as DataFieldDefinition | null;
    if (field?.indexed && !field.unique) await this.buildPlainIndexes(await this.load(key), [field]);
    return result;
  }

  async changeField(actor: Actor, key: string, fieldKey: string, dto: ChangeFieldDto): Promise<ModelDto> {
    let toIndex: DataFieldDefinition | null = null;
    const result = await this.change(actor, key, dto.version, async (model, errors, manager) => {
      const index = model.fields.findIndex((f) => f.key === fieldKey);
      if (index < 0) throw AppException.notFound('field', fieldKey);
      const before = model.fields[index];
      const input: FieldInputDto = {
        key: dto.key ?? before.key,
        name: dto.name ?? before.name,
        type: before.type as FieldType,
        required: dto.required ?? before.required,
        unique: dto.unique ?? before.unique,
        indexed: dto.indexed ?? before.indexed,
        default: dto.default === null ? undefined : (dto.default ?? before.default),
        options: (dto.options ?? before.options) as FieldInputDto['options'],
      };
      const others = model.fields.filter((_, i) => i !== index);
      const checked = await this.checkField(input, others, '', before.id, errors, key);
      if (!checked || errors.length) return { change: {} };
      const after: DataFieldDefinition = { ...checked, deprecated: dto.deprecated ?? before.deprecated };
      if (after.deprecated && after.required) after.required = false;
      model.fields = model.fields.map((f, i) => (i === index ? after : f));
      const names = fieldIndexNames(model.id, after.id);
      if (after.unique && !before.unique) await this.uniqueIndex(manager, model, after);
      if (!after.unique && before.unique) await this.models.dropIndex(manager, names.unique);
      if (!after.indexed && before.indexed) await this.models.dropIndex(manager, names.plain);
      if (after.indexed && !after.unique && (!before.indexed || before.unique)) toIndex = after;
      const op =
        after.deprecated !== before.deprecated
          ? after.deprecated
            ? 'field_deprecated'
            : 'field_restored'
          : after.key !== before.key
            ? 'field_renamed'
            : 'field_changed';
      return { change: { op, field: after.key, before, after } };
    });
    const field = toIndex as DataFieldDefinition | null;
    if (field) await this.buildPlainIndexes(await this.load(result.key), [field]);
    return result;
  }

  /** A form-js schema of the model's live fields: its submitted data is a record's `values`. */
  async formSchema(key: string): Promise<Record<string, unknown>> {
    const model = await this.load(key);
    const components = specsOf(model)
      .filter((f) => !f.deprecated)
      .flatMap((f) => formComponent(f));
    return { type: 'default', id: `data_model_${model.key}`, schemaVersion: 16, components };
  }

  /** Runs one schema change on the locked model; the version rises and the change is recorded. */
  private async change(
    actor: Actor,
    key: string,
    expected: number | undefined,
    apply: (
      model: DataModelEntity,
      errors: FieldError[],
      manager: EntityManager,
    ) => Promise<{ change: Record<string, unknown> }> | { change: Record<string, unknown> },
  ): Promise<ModelDto> {
    await this.dataSource.transaction(async (manager) => {
      const model = await this.load(key, manager, true);
      if (expected !== undefined && expected !== model.version)
        throw DataModelException.stale(`model ${key}`, model.version);
      const errors: FieldError[] = [];
      const { change } = await apply(model, errors, manager);
      if (errors.length) throw AppException.invalid(errors);
      model.version += 1;
      await manager.update(
        DataModelEntity,
        { id: model.id },
        {
          name: model.name,
          description: model.description,
          fields: model.fields as never,
          flows: model.flows as never,
          forms: model.forms as never,
          nextFieldNo: model.nextFieldNo,
          version: model.version,
        },
      );
      await this.models.insertVersion(manager, model, change, actor.id);
    });
    return this.get(key);
  }

  private async uniqueIndex(manager: EntityManager, model: DataModelEntity, field: DataFieldDefinition) {
    await manager.query('SAVEPOINT unique_index');
    try {
      await this.models.createUniqueIndex(manager, model.id, field as FieldSpec);
      await manager.query('RELEASE SAVEPOINT unique_index');
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT unique_index');
      if ((error as { code?: string }).code === '23505')
        throw new DataModelException(
          ErrorCode.Conflict,
          DataModelReason.NotUnique,
          `${field.key}: stored records share a value; make them unique first`,
          [{ field: 'unique', reason: 'stored records share a value' }],
        );
      throw error;
    }
  }

  /** Plain indexes are built CONCURRENTLY after the change commits, so writes to records never wait. */
  private async buildPlainIndexes(model: DataModelEntity, fields: DataFieldDefinition[]): Promise<void> {
    for (const field of fields) {
      try {
        await this.models.createPlainIndex(model.id, field as FieldSpec);
      } catch (error) {
        this.logger.error({ err: error, model: model.key, field: field.key }, 'field index build failed');
      }
    }
  }

  /** Checks one field definition against its siblings; returns it normalized, or null with errors. */
  private async checkField(
    input: FieldInputDto,
    siblings: readonly DataFieldDefinition[],
    path: string,
    id: string,
    errors: FieldError[],
    selfKey: string,
  ): Promise<DataFieldDefinition | null> {
    const at = (name: string) => (path ? `${path}.${name}` : name);
    const before = errors.length;
    if (Object.hasOwn(SYSTEM_FIELDS, input.key))
      errors.push({ field: at('key'), reason: 'is a system field name' });
    if (siblings.some((f) => f.key === input.key))
      errors.push({ field: at('key'), reason: 'is used by another field' });
    const type = input.type;
    const options: FieldOptions = {};
    const o = input.options ?? {};
    if (type === 'text' || type === 'long_text') {
      if (o.maxLength !== undefined) {
        if (type === 'text' && o.maxLength > 2000)
          errors.push({
            field: at('options.maxLength'),
            reason: 'text holds at most 2000 characters (use long_text)',
          });
        options.maxLength = o.maxLength;
      }
    }
    if (type === 'number' || type === 'decimal') {
      if (o.min !== undefined) options.min = o.min;
      if (o.max !== undefined) options.max = o.max;
      if (o.min !== undefined && o.max !== undefined && o.min > o.max)
        errors.push({ field: at('options.min'), reason: 'must not exceed max' });
      if (type === 'number' && o.integer) options.integer = true;
      if (type === 'decimal') options.scale = o.scale ?? 2;
    }
    if (type === 'single_select' || type === 'multi_select') {
      const choices = o.choices ?? [];
      if (choices.length === 0)
        errors.push({ field: at('options.choices'), reason: 'a select field needs choices' });
      if (new Set(choices.map((c) => c.value)).size !== choices.length)
        errors.push({ field: at('options.choices'), reason: 'choice values must be unique' });
      options.choices = choices.map((c) => ({
        value: c.value,
        label: c.label,
        ...(c.color ? { color: c.color } : {}),
      }));
    }
    if (type === 'relation') {
      if (!o.model) errors.push({ field: at('options.model'), reason: 'a relation names its target model' });
      else if (o.model !== selfKey && !(await this.models.findByKey(o.model)))
        errors.push({ field: at('options.model'), reason: `no model ${o.model}` });
      else options.model = o.model;
    }
    if (type === 'attachment') options.maxFiles = o.maxFiles ?? 20;
    if (input.unique && !UNIQUE_TYPES.includes(type))
      errors.push({ field: at('unique'), reason: `a ${type} field cannot be unique` });
    if (input.indexed && !SCALAR_TYPES.includes(type))
      errors.push({
        field: at('indexed'),
        reason: `a ${type} field cannot be indexed (filters on it use the GIN index)`,
      });
    const field: DataFieldDefinition = {
      id,
      key: input.key,
      name: input.name,
      type,
      required: input.required ?? false,
      unique: input.unique ?? false,
      indexed: (input.indexed ?? false) || (input.unique ?? false),
      deprecated: false,
      ...(Object.keys(options).length ? { options: options as Record<string, unknown> } : {}),
    };
    if (input.default !== undefined && input.default !== null) {
      if (input.unique) errors.push({ field: at('default'), reason: 'a unique field has no default' });
      const checked = normalizeValue(field as unknown as FieldSpec, input.default, this.config.TZ_BUSINESS);
      if (checked.ok) field.default = checked.value;
      else errors.push({ field: at('default'), reason: checked.reason });
    }
    return errors.length > before ? null : field;
  }

  private checkFlows(
    input: FlowBindingDto[],
    fields: readonly DataFieldDefinition[],
    errors: FieldError[],
  ): DataFlowBinding[] {
    const idOf = (key: string, at: string) => {
      const field = fields.find((f) => f.key === key);
      if (!field) errors.push({ field: at, reason: `no field ${key}` });
      return field?.id ?? key;
    };
    if (new Set(input.map((b) => b.flowCode)).size !== input.length)
      errors.push({ field: 'flows', reason: 'one binding per flowCode' });
    return input.map((b, i) => {
      const variables: Record<string, string> = {};
      for (const [name, key] of Object.entries(b.variables ?? {})) {
        if (!/^[A-Za-z_][\w]{0,63}$/.test(name) || typeof key !== 'string') {
          errors.push({
            field: `flows[${i}].variables.${name}`,
            reason: 'must map a variable name to a field key',
          });
          continue;
        }
        variables[name] = idOf(key, `flows[${i}].variables.${name}`);
      }
      return {
        flowCode: b.flowCode,
        variables,
        ...(b.title ? { title: idOf(b.title, `flows[${i}].title`) } : {}),
      };
    });
  }
}

function formComponent(f: FieldSpec): Record<string, unknown>[] {
  const base = {
    key: f.key,
    label: f.name,
    id: `field_${f.id}`,
    validate: f.required ? { required: true } : {},
  };
  const values = (f.options?.choices ?? []).map((c) => ({ label: c.label, value: c.value }));
  switch (f.type) {
    case 'text':
    case 'member':
    case 'department':
    case 'relation':
      return [{ ...base, type: 'textfield' }];
    case 'long_text':
      return [{ ...base, type: 'textarea' }];
    case 'number':
      return [{ ...base, type: 'number' }];
    case 'decimal':
      return [{ ...base, type: 'number', decimalDigits: f.options?.scale ?? 2, serializeToString: true }];
    case 'boolean':
      return [{ ...base, type: 'checkbox' }];
    case 'date':
      return [{ ...base, type: 'datetime', subtype: 'date', dateLabel: f.name }];
    case 'datetime':
      return [
        {
          ...base,
          type: 'datetime',
          subtype: 'datetime',
          dateLabel: f.name,
          timeSerializingFormat: 'utc_offset',
        },
      ];
    case 'single_select':
      return [{ ...base, type: 'select', values }];
    case 'multi_select':
      return [{ ...base, type: 'checklist', values }];
    case 'attachment':
    case 'json':
      return []; // form-js has no widget that stores file ids or free JSON: set them through the API
  }
}
