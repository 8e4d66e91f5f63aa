import { registerDecorator, type ValidationOptions } from 'class-validator';

/** A reason that names one element: flattenValidationErrors turns `[2] must be …` on `urls` into `urls[2]`. */
export const ITEM_REASON = /^\[(\d+)\] ([\s\S]*)$/;

/**
 * Checks each element of an array with `problem` (undefined when the element is fine). The first bad
 * element fails the property with a reason naming its index, so a client is told `attachmentUrls[2]`:
 * class-validator's `each` rules name only the array. A value that is not an array is left to IsArray.
 */
export function EachItem(
  name: string,
  problem: (item: unknown) => string | undefined,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || value.every((item) => !problem(item)),
        defaultMessage: (args) => {
          const items = (args?.value ?? []) as unknown[];
          const index = items.findIndex((item) => problem(item));
          return `[${index}] ${problem(items[index])}`;
        },
      },
    });
}
