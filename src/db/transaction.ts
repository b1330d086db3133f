import { DataSource, EntityManager } from 'typeorm';
import { engineOf } from './dialect';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in one transaction. better-sqlite3 has a single connection, so two interleaved
 * async transactions would share it; writers on SQLite therefore queue here, one at a time.
 * PostgreSQL runs them concurrently and relies on row locks and version checks.
 */
export function inTransaction<T>(db: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  if (engineOf(db) === 'postgres') return db.transaction('READ COMMITTED', work);
  const previous = sqliteQueues.get(db) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => db.transaction(work));
  sqliteQueues.set(db, next);
  return next;
}
