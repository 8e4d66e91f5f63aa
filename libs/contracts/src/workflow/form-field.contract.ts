import { IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';

/**
 * Filters over the form data of instances (their variables) and work orders (their form data), as
 * yudao's process report filters by form fields. A key is a form field key or a dotted path of up to
 * three keys; it reaches SQL only as a bound parameter.
 */
export const FORM_FIELD_OPERATORS = [
  'eq',
  'ne',
  'contains',
  'starts_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'empty',
  'not_empty',
] as const;
export type FormFieldOperator = (typeof FORM_FIELD_OPERATORS)[number];

export const FORM_FIELD_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}(\.[A-Za-z_][A-Za-z0-9_-]{0,63}){0,2}$/;
export const MAX_FORM_FIELD_FILTERS = 10;
export const MAX_FORM_FIELDS_SHOWN = 20;

export class FormFieldFilter {
  @IsString() @Matches(FORM_FIELD_KEY) field!: string;
  @IsIn(FORM_FIELD_OPERATORS) operator!: FormFieldOperator;
  /** The operand as text (numbers and dates are parsed by the operator); a list for `in`. */
  @IsArray() @IsString({ each: true }) @MaxLength(255, { each: true }) values!: string[];
}
