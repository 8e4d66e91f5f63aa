import { getMetadataStorage, type MetadataStorage } from 'class-validator';
import { withNestedObjectRules } from './nested-objects';
import { forgetValidatedInputs } from './validated-memo';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

type Lookup = (
  target: object,
  schema: string,
  always: boolean,
  strictGroups: boolean,
  groups?: string[],
) => ValidationMetadata[];

interface Storage {
  getTargetValidationMetadatas: Lookup;
  addValidationMetadata(metadata: ValidationMetadata): void;
  flowdeskCached?: true;
}

/**
 * class-validator looks up a class's rules on every validate() by testing `instanceof` against every
 * decorated class in the process (hundreds here): it was the largest single cost of a validated request
 * in a CPU profile of the gateway (bench/gateway). The rules only change when a class is decorated, so
 * the lookup is remembered per class and options until the next decoration. Installed once per process
 * (the storage is global to class-validator). The one place rules are looked up also adds the object
 * checks of nested rules (withNestedObjectRules).
 */
export function cacheValidationMetadata(): void {
  const storage = getMetadataStorage() as unknown as Storage;
  if (storage.flowdeskCached) return;
  storage.flowdeskCached = true;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let cache = new Map<object, Map<string, ValidationMetadata[]>>();
  storage.addValidationMetadata = (metadata) => {
    cache = new Map();
    forgetValidatedInputs();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const options = `${schema}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let byOptions = cache.get(target);
    if (!byOptions) cache.set(target, (byOptions = new Map()));
    let found = byOptions.get(options);
    if (!found)
      byOptions.set(
        options,
        (found = withNestedObjectRules(lookup(target, schema, always, strictGroups, groups))),
      );
    return found;
  };
}
