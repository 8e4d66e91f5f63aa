import {
  type MetadataStorage,
  type ValidationArguments,
  ValidationTypes,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/** The element of a `@ValidateNested({ each: true })` array that is itself an array, or -1. */
const firstArray = (value: unknown) => (Array.isArray(value) ? value.findIndex((v) => Array.isArray(v)) : -1);

/** See withNestedObjectRules; `constraints[0]` is the nested rule's `each`. */
@ValidatorConstraint({ name: 'isNestedObject' })
class NestedObjectConstraint implements ValidatorConstraintInterface {
  // other non-objects (a string, a number) get the nested rule's own error
  validate(value: unknown, args: ValidationArguments): boolean {
    return args.constraints[0] ? firstArray(value) < 0 : !Array.isArray(value);
  }

  defaultMessage(args: ValidationArguments): string {
    // `[2] …` names the element (ITEM_REASON): flattenValidationErrors reports `topics[2]`
    if (args.constraints[0]) return `[${firstArray(args.value)}] must be an object, not an array`;
    return `${args.property} must be an object, not an array`;
  }
}

/**
 * class-validator's `@ValidateNested()` walks into any array, at any depth, whatever its `each` says:
 * `{ "field": [] }` passed for a nested object and `{ "topics": [[]] }` for a list of objects, and the
 * service got an array where its DTO promised an object (fetch-and-lock took `[[]]` as no topics, silently).
 * So every nested rule gets a companion that refuses an array there (in each element, with `each`).
 * Applied where class-validator looks rules up (cacheValidationMetadata), so no DTO can forget it.
 */
export function withNestedObjectRules(metadatas: ValidationMetadata[]): ValidationMetadata[] {
  const nested = metadatas.filter((m) => m.type === ValidationTypes.NESTED_VALIDATION);
  if (!nested.length) return metadatas;
  return [
    ...metadatas,
    ...nested.map(
      (m) =>
        ({
          type: ValidationTypes.CUSTOM_VALIDATION,
          name: 'isNestedObject',
          target: m.target,
          propertyName: m.propertyName,
          constraintCls: NestedObjectConstraint,
          constraints: [Boolean(m.each)],
          each: false,
          groups: m.groups,
          always: m.always,
          context: undefined,
          message: undefined,
          validationTypeOptions: undefined,
        }) as unknown as ValidationMetadata,
    ),
  ];
}
