import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Algorithm } from 'jsonwebtoken';
import { DEFAULT_SLA_POLICY, parseSlaPolicy, SlaPolicy } from './modules/takedowns/sla';
import { DEFAULT_INSTRUMENTS, InstrumentRule, parseInstrumentRules } from './modules/disclosures/instruments';
import { generateMasterKey, Keyring, parseKeyring } from './modules/disclosures/sealing';

export interface JwtConfig {
  algorithms: Algorithm[];
  /** HS* verification and dev signing. */
  secret?: string;
  /** RS256 or ES256 verification: the public key (PEM) of the identity provider. */
  publicKey?: string;
  issuer: string;
  audience: string;
}

export interface PaxConfig {
  port: number;
  production: boolean;
  databaseUrl: string;
  dbPoolSize: number;
  redisUrl?: string;
  jwt: JwtConfig;
  sla: SlaPolicy;
  /** Which data categories and request types each legal instrument covers. */
  disclosureInstruments: InstrumentRule[];
  /** Master keys that wrap the data keys of sealed disclosures and evidence. */
  keyring: Keyring;
  /** Size limits of a disclosed payload and of an evidence item's captured copy, in bytes. */
  disclosureMaxBytes: number;
  evidenceMaxBytes: number;
  /** How often the preservation and notification sweep runs. */
  sweepIntervalSeconds: number;
  /** How often the audit chain head is logged for anchoring elsewhere; 0 turns it off. */
  auditAnchorSeconds: number;
  /** Complaints one agency's intake may file per minute. */
  complaintsPerMinute: number;
  /** How long a partner lookup is reused; deactivation through another instance takes this long. */
  partnerCacheSeconds: number;
  migrateOnStart: boolean;
  seedDemoWhenEmpty: boolean;
  logLevel: string;
}

const HMAC = new Set(['HS256', 'HS384', 'HS512']);
const ASYMMETRIC = new Set(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512']);

export class ConfigError extends Error {}

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/**
 * Dev and tests sign and verify with one HS256 secret. Without PAX_JWT_SECRET, a random one is
 * kept next to the SQLite file so that `pax token` and `pax serve` agree across runs.
 */
function devSecret(databaseUrl: string, name: string, create: () => string): string {
  const dir = databaseUrl.startsWith('sqlite:') ? path.dirname(databaseUrl.slice('sqlite:'.length)) : './data';
  const file = path.join(dir === '' ? '.' : dir, name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // 'wx': of two processes starting together, the first one's secret wins and both read it.
    try {
      fs.writeFileSync(file, create(), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * The master keyring. Production must name its keys (PAX_MASTER_KEYS); dev keeps a generated one
 * beside the SQLite file, like the JWT secret, so sealed rows survive restarts. An in-memory
 * database gets a throwaway key.
 */
export function keyringFromEnv(env: NodeJS.ProcessEnv, production: boolean, databaseUrl: string): Keyring {
  if (env.PAX_MASTER_KEYS) return parseKeyring(env.PAX_MASTER_KEYS, env.PAX_MASTER_KEY_ID || undefined);
  if (production) throw new ConfigError('NODE_ENV=production: set PAX_MASTER_KEYS (generate one with `pax keys generate`)');
  if (databaseUrl.includes(':memory:')) return parseKeyring(generateMasterKey('dev'));
  return parseKeyring(devSecret(databaseUrl, 'dev-master-keys', () => generateMasterKey('dev')));
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!(value > 0)) throw new ConfigError(`${name} must be a positive number, not ${env[name]}`);
  return value;
}

export function jwtConfigFromEnv(env: NodeJS.ProcessEnv, production: boolean, databaseUrl: string): JwtConfig {
  const publicKey = env.PAX_JWT_PUBLIC_KEY_FILE
    ? fs.readFileSync(env.PAX_JWT_PUBLIC_KEY_FILE, 'utf8')
    : env.PAX_JWT_PUBLIC_KEY?.replace(/\\n/g, '\n');
  const algorithms = (env.PAX_JWT_ALGORITHMS ?? (publicKey ? 'RS256,ES256' : 'HS256'))
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean) as Algorithm[];
  const usesHmac = algorithms.some((a) => HMAC.has(a));
  const usesKeys = algorithms.some((a) => ASYMMETRIC.has(a));
  const unknown = algorithms.filter((a) => !HMAC.has(a) && !ASYMMETRIC.has(a));
  if (unknown.length) throw new ConfigError(`PAX_JWT_ALGORITHMS has unsupported algorithms: ${unknown.join(', ')}`);
  // Mixing both families lets a token signed with HS256 and the public key as secret pass.
  if (usesHmac && usesKeys) throw new ConfigError('PAX_JWT_ALGORITHMS must not mix HS* with RS*/ES* algorithms');
  if (usesKeys && !publicKey) throw new ConfigError('RS*/ES* algorithms need PAX_JWT_PUBLIC_KEY or PAX_JWT_PUBLIC_KEY_FILE (PEM)');
  let secret = env.PAX_JWT_SECRET;
  if (usesHmac && !secret) {
    if (production) throw new ConfigError('NODE_ENV=production: set PAX_JWT_PUBLIC_KEY (RS256/ES256) or PAX_JWT_SECRET');
    secret = devSecret(databaseUrl, 'dev-jwt-secret', () => crypto.randomBytes(32).toString('hex'));
  }
  return {
    algorithms,
    secret: usesHmac ? secret : undefined,
    publicKey: usesKeys ? publicKey : undefined,
    issuer: env.PAX_JWT_ISSUER ?? 'pax-dev',
    audience: env.PAX_JWT_AUDIENCE ?? 'pax',
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PaxConfig {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL ?? 'sqlite:./data/pax.sqlite';
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, not ${env.PORT}`);
  return {
    port,
    production,
    databaseUrl,
    dbPoolSize: Number(env.PAX_DB_POOL_SIZE ?? 10),
    redisUrl: env.REDIS_URL || undefined,
    jwt: jwtConfigFromEnv(env, production, databaseUrl),
    sla: env.PAX_SLA_POLICY ? parseSlaPolicy(env.PAX_SLA_POLICY) : DEFAULT_SLA_POLICY,
    disclosureInstruments: env.PAX_DISCLOSURE_INSTRUMENTS ? parseInstrumentRules(env.PAX_DISCLOSURE_INSTRUMENTS) : DEFAULT_INSTRUMENTS,
    keyring: keyringFromEnv(env, production, databaseUrl),
    disclosureMaxBytes: positive(env, 'PAX_DISCLOSURE_MAX_BYTES', 4 * 2 ** 20),
    evidenceMaxBytes: positive(env, 'PAX_EVIDENCE_MAX_BYTES', 2 * 2 ** 20),
    sweepIntervalSeconds: positive(env, 'PAX_SWEEP_INTERVAL_SECONDS', 60),
    auditAnchorSeconds: Number(env.PAX_AUDIT_ANCHOR_SECONDS ?? 0),
    complaintsPerMinute: positive(env, 'PAX_COMPLAINTS_PER_MINUTE', 120),
    partnerCacheSeconds: Number(env.PAX_PARTNER_CACHE_SECONDS ?? 5),
    migrateOnStart: bool(env.PAX_MIGRATE_ON_START, true),
    seedDemoWhenEmpty: !production && bool(env.PAX_SEED_DEMO, true),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
  };
}
