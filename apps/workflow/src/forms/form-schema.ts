/**
 * Server-side validation of submitted data against a form-js schema (the bpmn.io format: `{ type:
 * 'default', components: [...] }`). Pure TypeScript: what the form-js viewer checks in the browser is
 * checked again here, because a client may send anything.
 *
 * Supported: textfield, textarea, number, checkbox, radio, select, checklist, taglist, datetime,
 * filepicker (a list of URLs), and the containers group, dynamiclist (repeated rows) and table.
 * Rules: `validate.required`, `min`, `max`, `minLength`, `maxLength`, `pattern`,
 * `validationType` (`email` | `phone`), static `values` of choice fields, number `decimalDigits`.
 * Display-only components (text, html, image, spacer, separator, button, iframe) take no input.
 */
import type { FieldError } from '@app/contracts';

export interface FormComponent {
  type: string;
  key?: string;
  path?: string;
  id?: string;
  label?: string;
  components?: FormComponent[];
  values?: { label?: string; value: unknown }[];
  valuesKey?: string;
  subtype?: string;
  decimalDigits?: number;
  readonly?: boolean | string;
  disabled?: boolean;
  validate?: {
    required?: boolean;
    min?: number;
    max?: number;
    minLength?: number;
    maxLength?: number;
    pattern?: string;
    validationType?: 'email' | 'phone';
  };
}

export interface FormSchema {
  type?: string;
  id?: string;
  components: FormComponent[];
  [extra: string]: unknown;
}

const INPUT_TYPES = new Set([
  'textfield',
  'textarea',
  'number',
  'checkbox',
  'radio',
  'select',
  'checklist',
  'taglist',
  'datetime',
  'filepicker',
  'expression',
]);
const CONTAINERS = new Set(['group', 'dynamiclist', 'table']);
const DISPLAY = new Set(['text', 'html', 'image', 'spacer', 'separator', 'button', 'iframe', 'default']);
const MAX_PATTERN = 500;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?([+-]\d{2}:?\d{2}|Z)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{5,20}$/;

const NUMERIC_RULES = ['min', 'max', 'minLength', 'maxLength'] as const;

/**
 * Numeric rules must be numbers. form-js's properties panel can hand over what was typed as a string
 * ("100"): such a string is stored as the number it spells; anything else is refused, because a rule
 * compared with NaN would never fail and the field would go unchecked.
 */
function checkNumericRules(c: FormComponent, here: string, errors: FieldError[]): void {
  const rules = c.validate as Record<string, unknown> | undefined;
  if (typeof rules !== 'object' || rules === null) return;
  for (const rule of NUMERIC_RULES) {
    const value = rules[rule];
    if (value === undefined || value === null || value === '') {
      delete rules[rule];
      continue;
    }
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n === 'number' && Number.isFinite(n)) rules[rule] = n;
    else errors.push({ field: `${here}.validate.${rule}`, reason: 'must be a number' });
  }
}

/**
 * Structural check of a schema at save time: every problem as a field error. Numeric rules typed as
 * strings are normalised in place (checkNumericRules).
 */
export function checkFormSchema(schema: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof schema !== 'object' || schema === null || !Array.isArray((schema as FormSchema).components))
    return [{ field: 'schema.components', reason: 'a form-js schema needs a components array' }];
  const keys = new Set<string>();
  const walk = (components: FormComponent[], at: string, depth: number) => {
    if (depth > 8) return errors.push({ field: at, reason: 'components nested too deep' });
    components.forEach((c, i) => {
      const here = `${at}[${i}]`;
      if (typeof c !== 'object' || c === null || typeof c.type !== 'string')
        return errors.push({ field: here, reason: 'a component needs a type' });
      if (CONTAINERS.has(c.type)) {
        if (c.type === 'dynamiclist' && !c.path)
          errors.push({ field: `${here}.path`, reason: 'a dynamic list needs a path' });
        walk(c.components ?? [], `${here}.components`, depth + 1);
        return;
      }
      if (!INPUT_TYPES.has(c.type)) {
        if (!DISPLAY.has(c.type))
          errors.push({ field: `${here}.type`, reason: `unknown component type ${c.type}` });
        return;
      }
      if (c.type === 'expression') return;
      if (!c.key || !/^[A-Za-z_][A-Za-z0-9_.]{0,99}$/.test(c.key))
        return errors.push({
          field: `${here}.key`,
          reason: 'an input needs a key of letters, digits, _ and .',
        });
      const full = `${at}|${c.key}`;
      if (keys.has(full)) errors.push({ field: `${here}.key`, reason: `duplicate key ${c.key}` });
      keys.add(full);
      checkNumericRules(c, here, errors);
      const pattern = c.validate?.pattern;
      if (pattern !== undefined) {
        if (typeof pattern !== 'string' || pattern.length > MAX_PATTERN || unsafePattern(pattern))
          errors.push({
            field: `${here}.validate.pattern`,
            reason: 'pattern is too long or may backtrack badly',
          });
        else
          try {
            new RegExp(pattern, 'u');
          } catch {
            errors.push({ field: `${here}.validate.pattern`, reason: 'not a valid regular expression' });
          }
      }
    });
  };
  walk((schema as FormSchema).components, 'schema.components', 0);
  return errors;
}

/** Nested quantifiers like `(a+)+` backtrack exponentially: refuse them (no user regex runs unbounded). */
function unsafePattern(pattern: string): boolean {
  return /\([^)]*[+*}]\)[+*{]/.test(pattern) || /\\[1-9]/.test(pattern);
}

/** Keys of the inputs of a schema (top level and groups), for filtering variables and reading data. */
export function formKeys(schema: FormSchema): string[] {
  const out: string[] = [];
  const walk = (components: FormComponent[]) => {
    for (const c of components) {
      if (c.type === 'dynamiclist' && c.path) out.push(c.path);
      else if (CONTAINERS.has(c.type)) walk(c.components ?? []);
      else if (INPUT_TYPES.has(c.type) && c.key && c.type !== 'expression') out.push(c.key);
    }
  };
  walk(schema.components ?? []);
  return out;
}

function empty(value: unknown): boolean {
  return (
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

function choiceValues(c: FormComponent): unknown[] | null {
  return Array.isArray(c.values) && c.values.length > 0 ? c.values.map((v) => v.value) : null;
}

/**
 * Validates `data` against `schema`; returns one error per failing field (`field` is the key, with
 * `[i]` for rows of a dynamic list). Unknown keys are not an error here: callers keep only form keys.
 */
export function validateFormData(schema: FormSchema, data: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, reason: string) => errors.push({ field, reason });

  const checkInput = (c: FormComponent, value: unknown, field: string) => {
    const v = c.validate ?? {};
    if (empty(value)) {
      if (v.required) fail(field, 'is required');
      return;
    }
    switch (c.type) {
      case 'textfield':
      case 'textarea': {
        if (typeof value !== 'string') return fail(field, 'must be a string');
        if (value.length > 10_000) return fail(field, 'is too long');
        if (v.minLength !== undefined && value.length < v.minLength)
          fail(field, `must have at least ${v.minLength} characters`);
        if (v.maxLength !== undefined && value.length > v.maxLength)
          fail(field, `must have at most ${v.maxLength} characters`);
        if (v.pattern && !unsafePattern(v.pattern) && v.pattern.length <= MAX_PATTERN) {
          let re: RegExp | null;
          try {
            re = new RegExp(`^(?:${v.pattern})$`, 'u');
          } catch {
            re = null;
          }
          if (re && !re.test(value)) fail(field, `must match ${v.pattern}`);
        }
        if (v.validationType === 'email' && !EMAIL.test(value)) fail(field, 'must be an email address');
        if (v.validationType === 'phone' && !PHONE.test(value)) fail(field, 'must be a phone number');
        return;
      }
      case 'number': {
        const n =
          typeof value === 'number'
            ? value
            : typeof value === 'string' && value.trim() !== ''
              ? Number(value)
              : NaN;
        if (!Number.isFinite(n)) return fail(field, 'must be a number');
        if (v.min !== undefined && n < v.min) fail(field, `must be at least ${v.min}`);
        if (v.max !== undefined && n > v.max) fail(field, `must be at most ${v.max}`);
        if (c.decimalDigits !== undefined) {
          const digits = (String(n).split('.')[1] ?? '').length;
          if (digits > c.decimalDigits) fail(field, `must have at most ${c.decimalDigits} decimal digits`);
        }
        return;
      }
      case 'checkbox':
        if (typeof value !== 'boolean') fail(field, 'must be true or false');
        return;
      case 'radio':
      case 'select': {
        const allowed = choiceValues(c);
        if (typeof value === 'object') return fail(field, 'must be a single value');
        if (allowed && !allowed.some((a) => a === value))
          fail(field, `must be one of ${allowed.map(String).join(', ')}`);
        return;
      }
      case 'checklist':
      case 'taglist': {
        if (!Array.isArray(value)) return fail(field, 'must be a list');
        const allowed = choiceValues(c);
        if (allowed && value.some((x) => !allowed.some((a) => a === x)))
          fail(field, `every item must be one of ${allowed.map(String).join(', ')}`);
        if (v.minLength !== undefined && value.length < v.minLength)
          fail(field, `must have at least ${v.minLength} items`);
        if (v.maxLength !== undefined && value.length > v.maxLength)
          fail(field, `must have at most ${v.maxLength} items`);
        return;
      }
      case 'datetime': {
        if (typeof value !== 'string') return fail(field, 'must be a date/time string');
        const re = c.subtype === 'date' ? DATE : c.subtype === 'time' ? TIME : DATETIME;
        const okFormat = re.test(value) || (c.subtype === undefined && DATE.test(value));
        if (!okFormat || (c.subtype !== 'time' && Number.isNaN(Date.parse(value.slice(0, 10)))))
          fail(
            field,
            `must be a ${c.subtype ?? 'datetime'} (yyyy-MM-dd${c.subtype === 'date' ? '' : ' HH:mm[:ss]'})`,
          );
        return;
      }
      case 'filepicker': {
        const list = Array.isArray(value) ? value : [value];
        if (list.some((x) => typeof x !== 'string' || x.length > 2000)) fail(field, 'must be file URLs');
        return;
      }
      default:
        return;
    }
  };

  const walk = (components: FormComponent[], scope: Record<string, unknown>, prefix: string) => {
    for (const c of components) {
      if (c.type === 'dynamiclist' && c.path) {
        const rows = scope[c.path];
        const field = `${prefix}${c.path}`;
        if (empty(rows)) {
          if (c.validate?.required) fail(field, 'is required');
          continue;
        }
        if (!Array.isArray(rows)) {
          fail(field, 'must be a list of rows');
          continue;
        }
        if (rows.length > 500) {
          fail(field, 'has too many rows');
          continue;
        }
        rows.forEach((row, i) => {
          if (typeof row !== 'object' || row === null || Array.isArray(row))
            fail(`${field}[${i}]`, 'must be an object');
          else walk(c.components ?? [], row as Record<string, unknown>, `${field}[${i}].`);
        });
      } else if (CONTAINERS.has(c.type)) {
        walk(c.components ?? [], scope, prefix);
      } else if (INPUT_TYPES.has(c.type) && c.key && c.type !== 'expression') {
        if (c.disabled) continue;
        checkInput(c, readPath(scope, c.key), `${prefix}${c.key}`);
      }
    }
  };
  walk(schema.components ?? [], data, '');
  return errors;
}

function readPath(scope: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(scope, key)) return scope[key];
  let at: unknown = scope;
  for (const part of key.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}
