import crypto from 'node:crypto';
import { Client } from 'pg';

/** The server PAX's PostgreSQL suites run against; a fresh database is made per run. */
export const POSTGRES_ADMIN_URL = process.env.PAX_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function withPostgres<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;

/** Creates an empty database and returns its URL. */
export async function createDatabase(prefix = 'pax_test'): Promise<string> {
  const name = uniqueName(prefix);
  await withPostgres(POSTGRES_ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await withPostgres(POSTGRES_ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** A fresh schema inside the run's database, so suites running in parallel never share tables. */
export async function createSchema(databaseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = uniqueName('pax');
  await withPostgres(databaseUrl, (c) => c.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(databaseUrl);
  url.searchParams.set('schema', schema);
  return { url: url.toString(), drop: () => withPostgres(databaseUrl, (c) => c.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => undefined) };
}
