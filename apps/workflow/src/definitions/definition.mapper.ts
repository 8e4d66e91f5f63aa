import type { CategoryReply, DefinitionReply } from '@app/contracts';
import type { DefinitionCategoryEntity, ProcessDefinitionEntity } from '@app/database';

export function mapDefinition(
  entity: ProcessDefinitionEntity,
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
