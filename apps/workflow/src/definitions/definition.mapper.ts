import type { CategoryReply, DefinitionReply } from '@app/contracts';
import type { DefinitionCategoryEntity } from '@app/database';
import type { ListedDefinition } from './definitions.repository';

export function mapDefinition(
  entity: ListedDefinition,
  latest: boolean,
  vendors: string[] = [],
): DefinitionReply {
  return {
    id: entity.id,
    key: entity.key,
    version: entity.version,
    name: entity.name,
    category: entity.category,
    description: entity.description,
    serialCode: entity.serialCode,
    resourceName: entity.resourceName,
    startFormKey: entity.startFormKey,
    suspended: entity.suspended,
    latest,
    deployedBy: entity.deployedBy,
    deployedAt: entity.deployedAt.toISOString(),
    vendors,
  };
}

export function mapCategory(entity: DefinitionCategoryEntity): CategoryReply {
  return { id: entity.id, code: entity.code, name: entity.name, sortOrder: entity.sortOrder };
}
