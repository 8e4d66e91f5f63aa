import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { Statement } from './statement-pipeline';

// Statements built from TypeORM's metadata, for raw SQL on the command path (no query builder, no
// hydration pass): the column names stay declared once, on the entities.

/** An entity's columns (all but `except`) selected from `alias` as `"<alias>.<property>"`. */
export function selection(metadata: EntityMetadata, alias: string, except: string[] = []): string {
  return metadata.columns
    .filter((column) => !except.includes(column.propertyName))
    .map((column) => `${alias}.${column.databaseName} AS "${alias}.${column.propertyName}"`)
    .join(', ');
}

/** The entity whose properties are the `"<alias>.<property>"` fields of a row of `selection`. */
export function hydrate<T extends object>(
  entity: new () => T,
  row: Record<string, unknown>,
  alias: string,
): T {
  const out = new entity() as Record<string, unknown>;
  const prefix = `${alias}.`;
  for (const key in row) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = row[key];
  return out as T;
}

/** A property's value as its column's parameter: jsonb as JSON text, SQL NULL for null (as TypeORM writes it). */
function parameter(column: ColumnMetadata, value: unknown): unknown {
  return column.type === 'jsonb' && value !== null ? JSON.stringify(value) : value;
}

/** `UPDATE <table> SET …` of `changes` (entity properties), jsonb columns as JSON; `where` uses `$1…`. */
export function updateStatement(
  metadata: EntityMetadata,
  changes: object,
  where: string,
  whereParams: unknown[],
): Statement {
  const params = [...whereParams];
  const sets = Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([property, value]) => {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`${metadata.name} has no column ${property}`);
      params.push(parameter(column, value));
      return `${column.databaseName} = $${params.length}`;
    });
  return { sql: `UPDATE ${metadata.tablePath} SET ${sets.join(', ')} WHERE ${where}`, params };
}

/**
 * One multi-row `INSERT` of `rows` (entity properties), jsonb as JSON: a column any row sets is written,
 * and a row that leaves it undefined gets the column's DEFAULT, as TypeORM's insert does.
 */
export function insertStatement(
  metadata: EntityMetadata,
  rows: readonly object[],
  returning = '',
): Statement {
  const records = rows as readonly Record<string, unknown>[];
  const columns = metadata.columns.filter((column) =>
    records.some((record) => record[column.propertyName] !== undefined),
  );
  const params: unknown[] = [];
  const values = records.map((record) => {
    const cells = columns.map((column) => {
      const value = record[column.propertyName];
      if (value === undefined) return 'DEFAULT';
      params.push(parameter(column, value));
      return `$${params.length}`;
    });
    return `(${cells.join(', ')})`;
  });
  return {
    sql: `INSERT INTO ${metadata.tablePath} (${columns.map((c) => c.databaseName).join(', ')})
          VALUES ${values.join(', ')}${returning ? ` RETURNING ${returning}` : ''}`,
    params,
  };
}
