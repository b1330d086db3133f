import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, EntitySubscriberInterface, EventSubscriber, InsertEvent } from 'typeorm';
import { engineOf } from './dialect';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * What an operation asks of every transaction it runs: work to add before the commit (the audit
 * entry, so it commits or rolls back with the change) and a signal once the commit succeeded.
 */
export interface TransactionHooks {
  beforeCommit(em: EntityManager): Promise<void>;
  afterCommit(): void;
  /** Every row inserted, in order; the first one names the object a create made. */
  inserted(entity: string, id: unknown): void;
}

/** Tells the running operation's hooks what its transactions insert. */
@EventSubscriber()
export class InsertWatcher implements EntitySubscriberInterface {
  afterInsert(event: InsertEvent<{ id?: unknown }>): void {
    transactionHooks.getStore()?.inserted(event.metadata.name, event.entity?.id);
  }
}

export const transactionHooks = new AsyncLocalStorage<TransactionHooks>();

/**
 * Runs `work` in one transaction. better-sqlite3 has a single connection, so two interleaved
 * async transactions would share it; writers on SQLite therefore queue here, one at a time.
 * PostgreSQL runs them concurrently and relies on row locks and version checks.
 */
export async function inTransaction<T>(db: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const hooks = transactionHooks.getStore();
  const withHooks = async (em: EntityManager) => {
    const result = await work(em);
    await hooks?.beforeCommit(em);
    return result;
  };
  let committed: Promise<T>;
  if (engineOf(db) === 'postgres') {
    committed = db.transaction('READ COMMITTED', withHooks);
  } else {
    const previous = sqliteQueues.get(db) ?? Promise.resolve();
    committed = previous.catch(() => undefined).then(() => db.transaction(withHooks));
    sqliteQueues.set(db, committed);
  }
  const result = await committed;
  hooks?.afterCommit();
  return result;
}
