import 'reflect-metadata';
import { createDataSource } from './src/db/data-source';

/** The DataSource the TypeORM CLI uses: `npx typeorm -d dist/ormconfig.js migration:show`. */
export default createDataSource(process.env.DATABASE_URL ?? 'sqlite:./data/pax.sqlite');
