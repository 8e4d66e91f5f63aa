import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  FORM_FIELD_KEY,
  FORM_FIELD_OPERATORS,
  type FieldError,
  type FormFieldFilter,
  type FormFieldOperator,
  MAX_FORM_FIELD_FILTERS,
  MAX_FORM_FIELDS_SHOWN,
} from '@app/contracts';
import { AppException } from '@app/common';

/** The form-field part of an instance or work-order list request. */
export interface FormFieldQuery {
  formFilters?: FormFieldFilter[];
  formFields?: string[];
}

// formField.amount[gte]=100, formField[amount][gte]=100 (OpenAPI deepObject), formField.amount=100 (eq)
const PARAM = /^formField(?:\.([^[\]]+)|\[([^[\]]+)\])(?:\[([^[\]]*)\])?$/;

/**
 * Reads `formField.<key>[<operator>]=<value>` and `formFields=a,b` from the raw query string: the keys
 * carry the field, so no DTO property can hold them. Everything is checked here (key shape, operator,
 * counts) and refused as 4101 naming the parameter; the workflow app then checks the operands and,
 * for a given `definitionKey`, the keys against the process's form.
 */
export function parseFormFieldQuery(query: Record<string, unknown>): FormFieldQuery {
  const errors: FieldError[] = [];
  const formFilters: FormFieldFilter[] = [];
  for (const [name, raw] of Object.entries(query)) {
    if (!name.startsWith('formField') || name === 'formFields') continue;
    const match = PARAM.exec(name);
    const field = match?.[1] ?? match?.[2];
    const operator = (match?.[3] || 'eq') as FormFieldOperator;
    if (!match || !field || !FORM_FIELD_KEY.test(field)) {
      errors.push({
        field: name,
        reason:
          'write formField.<key>[<operator>]=<value>; a key is letters, digits, _ or - (dotted up to 3 levels)',
      });
      continue;
    }
    if (!FORM_FIELD_OPERATORS.includes(operator)) {
      errors.push({ field: name, reason: `operator must be one of ${FORM_FIELD_OPERATORS.join(', ')}` });
      continue;
    }
    const given = (Array.isArray(raw) ? raw : [raw]).map(String);
    const values = operator === 'in' ? given.flatMap((v) => v.split(',')).map((v) => v.trim()) : given;
    if (values.some((v) => v.length > 255)) {
      errors.push({ field: name, reason: 'a value has at most 255 characters' });
      continue;
    }
    formFilters.push({ field, operator, values });
  }
  if (formFilters.length > MAX_FORM_FIELD_FILTERS)
    errors.push({ field: 'formField', reason: `at most ${MAX_FORM_FIELD_FILTERS} form-field filters` });
  let formFields: string[] | undefined;
  if (query.formFields !== undefined) {
    formFields = (Array.isArray(query.formFields) ? query.formFields : [query.formFields])
      .flatMap((v) => String(v).split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    const bad = formFields.filter((key) => !FORM_FIELD_KEY.test(key));
    if (bad.length > 0)
      errors.push({ field: 'formFields', reason: `not form field keys: ${bad.join(', ')}` });
    else if (formFields.length > MAX_FORM_FIELDS_SHOWN)
      errors.push({ field: 'formFields', reason: `at most ${MAX_FORM_FIELDS_SHOWN} fields` });
  }
  if (errors.length > 0) throw AppException.invalid(errors);
  return {
    ...(formFilters.length > 0 ? { formFilters } : {}),
    ...(formFields?.length ? { formFields } : {}),
  };
}

export const FormFields = createParamDecorator((_: unknown, context: ExecutionContext): FormFieldQuery =>
  parseFormFieldQuery(context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown>),
);

/** The Swagger side of FormFields. */
export function ApiFormFieldQuery(what: 'instance variables' | 'work order form data') {
  return applyDecorators(
    ApiQuery({
      name: 'formField',
      required: false,
      style: 'deepObject',
      explode: true,
      schema: {
        type: 'object',
        additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
      },
      description: `Filters over the ${what} (form fields), all ANDed: \`formField.<key>[<operator>]=<value>\` or \`formField[<key>][<operator>]=<value>\`; no operator = eq. Operators: ${FORM_FIELD_OPERATORS.join(', ')} (gt/gte/lt/lte take a number or a yyyy-MM-dd date; in takes a,b,c; empty/not_empty ignore the value). With definitionKey, keys must be fields of that process's forms (start and task forms). At most ${MAX_FORM_FIELD_FILTERS}; a bad key, operator or value is 4101 naming the parameter.`,
      example: { amount: { gte: '100' }, reason: { contains: '出差' } },
    }),
    ApiQuery({
      name: 'formFields',
      required: false,
      type: String,
      description: `Form field keys (comma-separated, at most ${MAX_FORM_FIELDS_SHOWN}) returned in each row as formValues`,
      example: 'amount,reason',
    }),
  );
}
