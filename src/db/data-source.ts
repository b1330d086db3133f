import path from 'node:path';
import fs from 'node:fs';
import { DataSource, Logger, MigrationExecutor } from 'typeorm';
import { ConfigError } from '../config';
import { ENTITIES } from './entities';
import { InsertWatcher } from './transaction';
import { MIGRATIONS } from '../../migrations';

export interface DataSourceOptions {
  poolSize?: number;
  logger?: Logger;
}

/** `sqlite:./data/pax.sqlite`, `sqlite::memory:` or `postgres://…[?schema=name]`. Tables come from migrations only. */
export function createDataSource(databaseUrl: string, options: DataSourceOptions = {}): DataSource {
  const common = {
    entities: ENTITIES,
    subscribers: [InsertWatcher],
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logger: options.logger,
    logging: options.logger ? ('all' as const) : false,
  };
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: file,
      enableWAL: file !== ':memory:',
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
      },
    });
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // `?schema=name` keeps PAX in its own schema (the test suites use one per server).
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    return new DataSource({
      ...common,
      type: 'postgres',
      url: url.toString(),
      schema,
      extra: { max: options.poolSize ?? 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) },
    });
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${databaseUrl.split(':')[0]}:…)`);
}

/** Applies the pending migrations, each in its own transaction, and names the ones it applied. */
export async function applyMigrations(db: DataSource): Promise<string[]> {
  const applied = await db.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

/**
 * Refuses a database that is behind the code, before anything reads a table that may not exist
 * yet. It only reads: a refused database is left exactly as it was.
 */
export async function assertMigrated(db: DataSource): Promise<void> {
  const pending = await new MigrationExecutor(db).getPendingMigrations();
  if (pending.length) {
    throw new ConfigError(
      `the database has ${pending.length} pending migration${pending.length === 1 ? '' : 's'}; run \`pax migrate\` first (or let it migrate with PAX_MIGRATE_ON_START=true)`,
    );
  }
}
