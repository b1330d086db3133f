import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { TEST_SECRET } from '../helpers/exchange';
import { generateMasterKey } from '../../src/modules/disclosures/sealing';
import { loadConfig } from '../../src/config';
import { signDevToken } from '../../src/auth/jwt';
import { Role } from '../../src/auth/roles';
import { PartnerKind, Platform } from '../../src/common/enums';
import { closeServices, openServices } from '../../src/services';
import { freePort } from '../../src/bench/support';

/** Every instance of a cluster must share the master key, as they share the database. */
const CLUSTER_MASTER_KEY = generateMasterKey('cluster');

export const CLI = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'index.js');

/** What every `pax serve` of a test cluster, and the CLI run against its database, is given. */
export const clusterEnv = (databaseUrl: string): Record<string, string> => ({
  NODE_ENV: 'test',
  DATABASE_URL: databaseUrl,
  PAX_JWT_SECRET: TEST_SECRET,
  PAX_SEED_DEMO: 'false',
  PAX_MASTER_KEYS: CLUSTER_MASTER_KEY,
});

const jwt = loadConfig({ PAX_JWT_SECRET: TEST_SECRET, DATABASE_URL: 'sqlite::memory:' }).jwt;

/** A token every instance of a test cluster accepts. */
export const clusterToken = (partner: string, role: Role, sub = `${partner}-user`) => signDevToken(jwt, { partner, roles: [role], sub, ttl: '1h' });

/** Migrates the database and registers agency pta and platforms x (X) and meta (FACEBOOK). */
export async function registerPartners(databaseUrl: string): Promise<void> {
  const services = await openServices(loadConfig({ DATABASE_URL: databaseUrl, PAX_JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' }));
  try {
    await services.partners.add({ slug: 'pta', kind: PartnerKind.AGENCY });
    await services.partners.add({ slug: 'x', kind: PartnerKind.PLATFORM, platforms: [Platform.X] });
    await services.partners.add({ slug: 'meta', kind: PartnerKind.PLATFORM, platforms: [Platform.FACEBOOK] });
  } finally {
    await closeServices(services);
  }
}


async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Instance {
  url: string;
  port: number;
  output: string[];
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A real `pax serve` process, as an operator would run it behind a load balancer. */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], {
    env: { ...process.env, ...clusterEnv(env.DATABASE_URL), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}/graphql`;
  await until(`instance on port ${port} (output: ${output.join(' | ')})`, async () => (await fetch(url.replace('/graphql', '/healthz'))).ok);
  return {
    url,
    port,
    output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/** A private redis-server on a free port, so a test can take it away and bring it back. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until(`redis-server on ${port}`, async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    });
  };
  const stop = async () => {
    if (child.exitCode === null) {
      const gone = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await gone;
    }
  };
  await start();
  return { url, stop, restart: start };
}
