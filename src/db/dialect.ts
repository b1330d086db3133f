import { DataSource, EntityManager, SelectQueryBuilder, ObjectLiteral, TableColumnOptions } from 'typeorm';

/**
 * Every difference between the embedded SQLite engine and PostgreSQL lives here, so the rest of
 * the code is written once for both.
 */
export type Engine = 'sqlite' | 'postgres';

export function engineOf(db: DataSource): Engine {
  return db.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/** Column type for an instant: PostgreSQL keeps the zone, SQLite stores UTC text. */
export function timestampColumn(engine: Engine, name: string, nullable = false): TableColumnOptions {
  return { name, type: engine === 'postgres' ? 'timestamptz' : 'datetime', isNullable: nullable };
}

/** Row lock for a read-modify-write. SQLite serialises writers already (see transaction.ts). */
export function lockForUpdate<T extends ObjectLiteral>(db: DataSource, query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return engineOf(db) === 'postgres' ? query.setLock('pessimistic_write') : query;
}

/**
 * Runs transactions of one kind one at a time, across instances: a PostgreSQL advisory lock held
 * until the transaction ends. SQLite serialises writers already.
 */
export async function serialiseByName(db: DataSource, em: EntityManager, name: string): Promise<void> {
  if (engineOf(db) === 'postgres') await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
}

/** Case-insensitive containment against a column that stores lower-cased text. */
export function containsLowered(column: string, parameter: string): string {
  return `${column} LIKE :${parameter} ESCAPE '\\'`;
}

export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** SQLSTATE 23505 (PostgreSQL) or SQLITE_CONSTRAINT_PRIMARYKEY/UNIQUE (SQLite). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e.driverError?.code ?? e.code ?? '';
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY') || code.startsWith('SQLITE_CONSTRAINT_UNIQUE');
}

/**
 * Keeps the query planner's statistics current. Without them SQLite guesses that any indexed
 * column is selective and can pick a scan of half the accounts table over a primary-key lookup.
 * PostgreSQL's autovacuum already does this.
 */
export async function refreshPlannerStatistics(db: DataSource): Promise<void> {
  if (engineOf(db) !== 'sqlite') return;
  await db.query('PRAGMA analysis_limit = 1000');
  await db.query('PRAGMA optimize = 0x10002');
}

/** SQL for the seconds from one timestamp column to another, on either engine. */
export function secondsBetween(db: DataSource, from: string, to: string): string {
  return engineOf(db) === 'postgres' ? `EXTRACT(EPOCH FROM (${to} - ${from}))` : `((julianday(${to}) - julianday(${from})) * 86400.0)`;
}

/**
 * Claims rows for one worker among several: PostgreSQL locks them and skips rows another
 * transaction holds; SQLite has a single writer, so its transaction alone is enough.
 */
export function claimUnlocked<T extends ObjectLiteral>(db: DataSource, query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return engineOf(db) === 'postgres' ? query.setLock('pessimistic_write').setOnLocked('skip_locked') : query;
}
