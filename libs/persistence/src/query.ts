import type { DataSource, EntityManager } from 'typeorm';

/**
 * The rows of an `UPDATE … RETURNING` (or `DELETE … RETURNING`). TypeORM's `query()` on Postgres
 * answers `[rows, affectedCount]` for those statements and plain rows for SELECT and INSERT; this
 * gives the rows either way.
 */
export async function updateReturning<T>(runner: Pick<DataSource | EntityManager, 'query'>, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await runner.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
