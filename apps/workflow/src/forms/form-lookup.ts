import type { EntityManager } from 'typeorm';
import { ErrorCode, type FormFieldFilter } from '@app/contracts';
import { AppException } from '@app/common';
import type { FormDefinitionEntity, ProcessDefinitionEntity } from '@app/database';
import { checkFormFieldQuery } from '../common/form-field-filter';
import type { DefinitionRegistry } from '../definitions/definition.registry';
import { type FormSchema, formKeys, validateFormData } from './form-schema';
import type { FormsRepository } from './forms.repository';

/**
 * Which form a definition uses, as plain functions over the forms repository: FormsService and the list queries
 * (instances, work orders) share them without a module cycle (forms already import instances).
 */

/** `formKey` values may carry a scheme (`camunda-forms:deployment:key`, RuoYi's `key`); the last segment is the key. */
export function normaliseFormKey(formKey: string): string {
  return formKey.split(':').pop()!.trim();
}

/** The form a definition version uses for a key (see `FormsRepository.formAsDeployed`). */
export function formFor(
  forms: FormsRepository,
  formKey: string | null | undefined,
  definition: Pick<ProcessDefinitionEntity, 'deployedAt'>,
  manager?: EntityManager,
): Promise<FormDefinitionEntity | null> {
  if (!formKey) return Promise.resolve(null);
  return forms.formAsDeployed(normaliseFormKey(formKey), definition.deployedAt, manager);
}

/** The top-level none start event of a definition and its form key. */
export async function startFormOf(
  registry: DefinitionRegistry,
  definition: ProcessDefinitionEntity,
): Promise<{ elementId: string | null; formKey: string | null }> {
  const compiled = await registry.compile(definition);
  for (const element of compiled.elementsById.values()) {
    if (element.kind === 'startEvent' && element.parentId === compiled.processId && !element.eventDefinition)
      return { elementId: element.id, formKey: element.formKey ?? null };
  }
  return { elementId: null, formKey: null };
}

/**
 * Starting a process whose start event has a form: the variables must satisfy that form, as the
 * start screen shows it (4101 naming `variables.<field>`, as task completion does). Variables outside
 * the form pass as they are.
 */
export async function checkStartData(
  forms: FormsRepository,
  registry: DefinitionRegistry,
  definition: ProcessDefinitionEntity,
  variables: Record<string, unknown>,
  manager?: EntityManager,
): Promise<void> {
  const start = await startFormOf(registry, definition);
  const form = await formFor(forms, start.formKey, definition, manager);
  if (!form) return;
  const errors = validateFormData(form.schema as unknown as FormSchema, variables);
  if (errors.length > 0)
    throw new AppException(
      ErrorCode.InvalidParameter,
      'FORM_DATA_INVALID',
      'form data invalid',
      errors.map(({ field, reason }) => ({ field: `variables.${field}`, reason })),
    );
}

/**
 * The field keys of every form of a process key's newest version (its start form and its tasks'
 * forms: what its instances and work orders carry as form data), or null when the key has no
 * definition or no element of it has a form.
 */
export async function processFormKeysOf(
  forms: FormsRepository,
  registry: DefinitionRegistry,
  definitionKey: string,
): Promise<Set<string> | null> {
  const definition = await forms.newestDefinition(definitionKey);
  if (!definition) return null;
  const compiled = await registry.compile(definition);
  const formKeysUsed = new Set<string>();
  for (const element of compiled.elementsById.values())
    if (element.formKey) formKeysUsed.add(normaliseFormKey(element.formKey));
  const keys = new Set<string>();
  let found = false;
  for (const formKey of formKeysUsed) {
    const form = await formFor(forms, formKey, definition);
    if (!form) continue;
    found = true;
    for (const key of formKeys(form.schema as unknown as FormSchema)) keys.add(key);
  }
  return found ? keys : null;
}

/**
 * Checks a list's form-field filters and shown fields: operands always; keys against the forms of
 * `definitionKey` when the list names one whose start has a form (the process report's whitelist).
 */
export async function checkFormFieldList(
  forms: FormsRepository,
  registry: DefinitionRegistry,
  query: { definitionKey?: string; formFilters?: FormFieldFilter[]; formFields?: string[] },
): Promise<void> {
  if (!query.formFilters?.length && !query.formFields?.length) return;
  const allowed = query.definitionKey ? await processFormKeysOf(forms, registry, query.definitionKey) : null;
  checkFormFieldQuery(query, allowed);
}
