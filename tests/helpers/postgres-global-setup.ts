import { createDatabase } from './postgres';

/** `npm run test:postgres`: one fresh database per run; each server then takes its own schema. */
export default async function setup(): Promise<void> {
  process.env.PAX_TEST_DATABASE_URL = await createDatabase();
  process.stdout.write(`\nPostgreSQL suite database: ${process.env.PAX_TEST_DATABASE_URL}\n`);
}
