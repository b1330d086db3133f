import path from 'node:path';
import fs from 'node:fs';
import { DataSource, Logger } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from '../../migrations';

export interface DataSourceOptions {
  poolSize?: number;
  logger?: Logger;
}

/** `sqlite:./data/pax.sqlite`, `sqlite::memory:` or `postgres://…`. Schema comes from migrations only. */
export function createDataSource(databaseUrl: string, options: DataSourceOptions = {}): DataSource {
  const common = {
    entities: ENTITIES,
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
    return new DataSource({ ...common, type: 'postgres', url: databaseUrl, extra: { max: options.poolSize ?? 10 } });
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${databaseUrl.split(':')[0]}:…)`);
}
