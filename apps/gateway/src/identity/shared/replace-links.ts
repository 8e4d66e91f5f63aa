import type {
  EntityManager,
  EntityTarget,
  FindOptionsWhere,
  ObjectLiteral,
  QueryDeepPartialEntity,
} from 'typeorm';

/** Replaces the link rows of one owner (a member's groups, a group's menus …) with `rows`. */
export async function replaceLinks<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  owner: FindOptionsWhere<T>,
  rows: QueryDeepPartialEntity<T>[],
): Promise<void> {
  await manager.delete(entity, owner);
  if (rows.length) await manager.insert(entity, rows);
}
