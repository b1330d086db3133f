import crypto from 'node:crypto';
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { Client as PgClient } from 'pg';
import { loadConfig, PaxConfig } from '../config';
import { signDevToken } from '../auth/jwt';
import { Role } from '../auth/roles';

/** Random per run: the benches start real servers in production mode, which refuse a guessable secret. */
const SECRET = crypto.randomBytes(48).toString('base64');

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


/** The p-th percentile of an ascending list (nearest rank). */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** A port nothing listens on right now, so a bench never collides with another run's servers. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
