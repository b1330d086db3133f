import { dropDatabase } from './postgres';

export default async function teardown(): Promise<void> {
  if (process.env.PAX_TEST_DATABASE_URL) await dropDatabase(process.env.PAX_TEST_DATABASE_URL);
}
