import { ChildProcess, spawn } from 'node:child_process';
import { Client as PgClient } from 'pg';
import { loadConfig, PaxConfig } from '../config';
import { signDevToken } from '../auth/jwt';
import { Role } from '../auth/roles';

const SECRET = 'bench-secret-bench-secret-bench-secret';

export function benchConfig(databaseUrl: string, extra: Record<string, string> = {}): PaxConfig {
  return loadConfig({ DATABASE_URL: databaseUrl, PAX_JWT_SECRET: SECRET, LOG_LEVEL: 'warn', PAX_SEED_DEMO: 'false', ...extra });
}

export const benchToken = (config: PaxConfig, partner: string, role: Role, sub = `${partner}-bench`) =>
  signDevToken(config.jwt, { partner, roles: [role], sub, ttl: '2h' });

export function spawnServer(args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    const port = env.PORT ?? args.at(-1);
    const started = Date.now();
    const poll = async () => {
      try {
        await fetch(`http://127.0.0.1:${port}/healthz`);
        resolve(child);
      } catch {
        if (Date.now() - started > 30_000) reject(new Error(`server on ${port} did not start`));
        else setTimeout(poll, 200);
      }
    };
    void poll();
  });
}

export async function createPostgresDatabase(adminUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}`;
  const client = new PgClient({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(adminUrl: string, url: string): Promise<void> {
  const client = new PgClient({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
  await client.end();
}

