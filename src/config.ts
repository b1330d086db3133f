import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import os from 'node:os';
import type { Algorithm } from 'jsonwebtoken';
import { DEFAULT_SLA_POLICY, parseSlaPolicy, SlaPolicy } from './modules/takedowns/sla';
import { DEFAULT_INSTRUMENTS, InstrumentRule, parseInstrumentRules } from './modules/disclosures/instruments';
import { generateMasterKey, Keyring, parseKeyring } from './modules/disclosures/sealing';
import { generateSignalKey, parseSignalKeys } from './modules/signals/signal-keys';
import type { SigningKey } from './matcher/codec';
import type { WorkerLimits } from './workers/task-pool';

/** An identity provider's JSON Web Key Set, fetched over HTTP and picked from by the token's kid. */
export interface JwksConfig {
  url: string;
  /** How long a fetched set is used before the next token fetches it again. */
  cacheSeconds: number;
  /** The least time between two fetches for kids the set does not hold: what random kids can cost the provider. */
  cooldownSeconds: number;
}
import { DEFAULT_RETRY_POLICY, RetryPolicy } from './modules/webhooks/retry';
import type { TransportLimits } from './modules/webhooks/transport';

export interface JwtConfig {
  algorithms: Algorithm[];
  /** HS* verification and dev signing. */
  secret?: string;
  /** RS256 or ES256 verification: the public key (PEM) of the identity provider. */
  publicKey?: string;
  /** RS256 or ES256 verification with the provider's published, rotating keys. */
  jwks?: JwksConfig;
  issuer: string;
  audience: string;
}

export interface WebhookSettings {
  /** Whether this process runs the delivery worker (PAX_WEBHOOK_WORKER). */
  worker: boolean;
  pollMs: number;
  batchSize: number;
  retry: RetryPolicy;
  transport: TransportLimits;
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
  /** The signal feed's Ed25519 keys, the first one signing; null turns the feed off. */
  signalKeys: SigningKey[] | null;
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
  /** Per-partner budgets, checked before an operation runs (see access/admission.ts). */
  rateLimits: { operationsPerMinute: number; screeningProfilesPerMinute: number };
  /** How often unauthenticated refusals are written to the audit log as one tally entry. */
  refusalWindowSeconds: number;
  /** Where Prometheus scrapes: a port of its own, or the API port behind a token; neither, no /metrics. */
  metrics: { port?: number; host: string; token?: string };
  /** Worker threads for CPU-heavy work, and how much work may wait for them. */
  workers: WorkerLimits;
  /** The webhook delivery worker, its retry schedule and its limits on each request. */
  webhooks: WebhookSettings;
  /**
   * The URL clients reach PAX at (PAX_PUBLIC_URL), without a trailing slash, for the absolute URLs
   * PAX advertises (TAXII discovery); unset, the request's own scheme and Host are used.
   */
  publicUrl?: string;
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

/**
 * The signal feed's keys. Production names them (PAX_SIGNAL_KEYS) or runs without the feed, since a
 * key made up at start would change the published key at every restart; dev keeps a generated one
 * beside the SQLite file.
 */
export function signalKeysFromEnv(env: NodeJS.ProcessEnv, production: boolean, databaseUrl: string): SigningKey[] | null {
  try {
    if (env.PAX_SIGNAL_KEYS) return parseSignalKeys(env.PAX_SIGNAL_KEYS);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (production) return null;
  if (databaseUrl.includes(':memory:')) return parseSignalKeys(generateSignalKey('dev'));
  return parseSignalKeys(devSecret(databaseUrl, 'dev-signal-keys', () => generateSignalKey('dev')));
}

/** In 200,000 tries each, 32 random bytes as hex or base64 counted 180 bits or more, 24 bytes 160 or less. */
const MIN_SECRET_BITS = 160;

/** Shannon entropy of the symbols, times their number: roughly the bits a string carries if its symbols are independent. */
function shannonBits(symbols: string[]): number {
  const counts = new Map<string, number>();
  for (const symbol of symbols) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= count * Math.log2(count / symbols.length);
  return bits;
}

/**
 * A rough count of the random bits in a secret. Counting the characters catches repeats and small
 * alphabets; counting the steps between neighbours catches runs such as "abcd…" or "0123…".
 */
export function estimatedSecretBits(secret: string): number {
  const codes = [...secret].map((c) => c.codePointAt(0)!);
  const steps = codes.slice(1).map((code, i) => String(code - codes[i]));
  return Math.min(shannonBits([...secret]), shannonBits(steps));
}

/**
 * The HS* secret. Production must set a strong one, since a guessable secret lets anyone mint
 * tokens for any partner and role; dev keeps a generated one beside the SQLite file.
 */
function hmacSecret(env: NodeJS.ProcessEnv, production: boolean, databaseUrl: string): string {
  const secret = env.PAX_JWT_SECRET;
  if (!production) return secret || devSecret(databaseUrl, 'dev-jwt-secret', () => crypto.randomBytes(32).toString('hex'));
  if (!secret) throw new ConfigError('NODE_ENV=production: set PAX_JWT_JWKS_URL or PAX_JWT_PUBLIC_KEY (RS256/ES256), or PAX_JWT_SECRET');
  const bytes = Buffer.byteLength(secret);
  const problem = bytes < 32 ? `is only ${bytes} byte${bytes === 1 ? '' : 's'} long` : estimatedSecretBits(secret) < MIN_SECRET_BITS ? 'is too regular to be random' : null;
  if (problem) {
    throw new ConfigError(
      `NODE_ENV=production: PAX_JWT_SECRET ${problem}; use at least 32 random bytes, e.g. \`openssl rand -base64 48\`, or an identity provider's keys (PAX_JWT_JWKS_URL or PAX_JWT_PUBLIC_KEY)`,
    );
  }
  return secret;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!(value > 0)) throw new ConfigError(`${name} must be a positive number, not ${env[name]}`);
  return value;
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a whole number (0 or more), not ${env[name]}`);
  return value;
}

function jwksFromEnv(env: NodeJS.ProcessEnv, url: string, production: boolean): JwksConfig {
  const protocol = URL.canParse(url) ? new URL(url).protocol : null;
  // Whoever can rewrite the key set in transit can mint tokens for every partner.
  if (production && protocol !== 'https:') throw new ConfigError(`NODE_ENV=production: PAX_JWT_JWKS_URL must be an https:// URL, not ${url}`);
  if (protocol !== 'https:' && protocol !== 'http:') throw new ConfigError(`PAX_JWT_JWKS_URL must be an https:// URL (http:// outside production), not ${url}`);
  return {
    url,
    cacheSeconds: positive(env, 'PAX_JWT_JWKS_CACHE_SECONDS', 600),
    cooldownSeconds: positive(env, 'PAX_JWT_JWKS_COOLDOWN_SECONDS', 30),
  };
}

export function jwtConfigFromEnv(env: NodeJS.ProcessEnv, production: boolean, databaseUrl: string): JwtConfig {
  const publicKey = env.PAX_JWT_PUBLIC_KEY_FILE
    ? fs.readFileSync(env.PAX_JWT_PUBLIC_KEY_FILE, 'utf8')
    : env.PAX_JWT_PUBLIC_KEY?.replace(/\\n/g, '\n');
  const jwksUrl = env.PAX_JWT_JWKS_URL || undefined;
  if (jwksUrl && publicKey) throw new ConfigError('set PAX_JWT_JWKS_URL or PAX_JWT_PUBLIC_KEY(_FILE), not both: PAX verifies tokens of one identity provider');
  const algorithms = (env.PAX_JWT_ALGORITHMS ?? (publicKey || jwksUrl ? 'RS256,ES256' : 'HS256'))
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean) as Algorithm[];
  const usesHmac = algorithms.some((a) => HMAC.has(a));
  const usesKeys = algorithms.some((a) => ASYMMETRIC.has(a));
  const unknown = algorithms.filter((a) => !HMAC.has(a) && !ASYMMETRIC.has(a));
  if (unknown.length) throw new ConfigError(`PAX_JWT_ALGORITHMS has unsupported algorithms: ${unknown.join(', ')}`);
  // Mixing both families lets a token signed with HS256 and the public key as secret pass.
  if (usesHmac && usesKeys) throw new ConfigError('PAX_JWT_ALGORITHMS must not mix HS* with RS*/ES* algorithms');
  if (usesKeys && !publicKey && !jwksUrl) throw new ConfigError('RS*/ES* algorithms need PAX_JWT_JWKS_URL, or PAX_JWT_PUBLIC_KEY or PAX_JWT_PUBLIC_KEY_FILE (PEM)');
  if (usesHmac && jwksUrl) throw new ConfigError('PAX_JWT_JWKS_URL publishes public keys: set PAX_JWT_ALGORITHMS to RS256 and/or ES256, not HS*');
  return {
    algorithms,
    secret: usesHmac ? hmacSecret(env, production, databaseUrl) : undefined,
    publicKey: usesKeys ? publicKey : undefined,
    jwks: usesKeys && jwksUrl ? jwksFromEnv(env, jwksUrl, production) : undefined,
    issuer: env.PAX_JWT_ISSUER ?? 'pax-dev',
    audience: env.PAX_JWT_AUDIENCE ?? 'pax',
  };
}

function metricsFromEnv(env: NodeJS.ProcessEnv): PaxConfig['metrics'] {
  const token = env.PAX_METRICS_TOKEN || undefined;
  if (token && token.length < 16) throw new ConfigError('PAX_METRICS_TOKEN must be at least 16 characters; generate one with `openssl rand -hex 24`');
  if (!env.PAX_METRICS_PORT) return { host: '0.0.0.0', token };
  const port = Number(env.PAX_METRICS_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PAX_METRICS_PORT must be a port number, not ${env.PAX_METRICS_PORT}`);
  return { port, host: env.PAX_METRICS_HOST || '0.0.0.0', token };
}

function publicUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.PAX_PUBLIC_URL;
  if (!value) return undefined;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || !['https:', 'http:'].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`PAX_PUBLIC_URL must be the https:// URL clients reach PAX at, e.g. https://pax.example, with no query or fragment; not ${value}`);
  }
  return url.href.replace(/\/+$/, '');
}

/** What `pax migrate` needs, and nothing more: a migration job need not hold the API's secrets. */
export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<PaxConfig, 'databaseUrl' | 'dbPoolSize'> {
  return { databaseUrl: env.DATABASE_URL ?? 'sqlite:./data/pax.sqlite', dbPoolSize: Number(env.PAX_DB_POOL_SIZE ?? 10) };
}

function webhooksFromEnv(env: NodeJS.ProcessEnv, production: boolean): WebhookSettings {
  return {
    worker: bool(env.PAX_WEBHOOK_WORKER, true),
    pollMs: positive(env, 'PAX_WEBHOOK_POLL_MS', 1000),
    batchSize: positive(env, 'PAX_WEBHOOK_BATCH', 50),
    retry: {
      baseMs: positive(env, 'PAX_WEBHOOK_RETRY_BASE_MS', DEFAULT_RETRY_POLICY.baseMs),
      capMs: positive(env, 'PAX_WEBHOOK_RETRY_MAX_DELAY_MS', DEFAULT_RETRY_POLICY.capMs),
      windowMs: positive(env, 'PAX_WEBHOOK_RETRY_WINDOW_MS', DEFAULT_RETRY_POLICY.windowMs),
    },
    transport: {
      connectTimeoutMs: positive(env, 'PAX_WEBHOOK_CONNECT_TIMEOUT_MS', 5000),
      totalTimeoutMs: positive(env, 'PAX_WEBHOOK_TIMEOUT_MS', 15000),
      maxResponseBytes: positive(env, 'PAX_WEBHOOK_MAX_RESPONSE_BYTES', 65536),
      allowLoopback: !production,
    },
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PaxConfig {
  const production = env.NODE_ENV === 'production';
  const { databaseUrl, dbPoolSize } = databaseFromEnv(env);
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, not ${env.PORT}`);
  return {
    port,
    production,
    databaseUrl,
    dbPoolSize,
    redisUrl: env.REDIS_URL || undefined,
    jwt: jwtConfigFromEnv(env, production, databaseUrl),
    sla: env.PAX_SLA_POLICY ? parseSlaPolicy(env.PAX_SLA_POLICY) : DEFAULT_SLA_POLICY,
    disclosureInstruments: env.PAX_DISCLOSURE_INSTRUMENTS ? parseInstrumentRules(env.PAX_DISCLOSURE_INSTRUMENTS) : DEFAULT_INSTRUMENTS,
    keyring: keyringFromEnv(env, production, databaseUrl),
    signalKeys: signalKeysFromEnv(env, production, databaseUrl),
    disclosureMaxBytes: positive(env, 'PAX_DISCLOSURE_MAX_BYTES', 4 * 2 ** 20),
    evidenceMaxBytes: positive(env, 'PAX_EVIDENCE_MAX_BYTES', 2 * 2 ** 20),
    sweepIntervalSeconds: positive(env, 'PAX_SWEEP_INTERVAL_SECONDS', 60),
    auditAnchorSeconds: Number(env.PAX_AUDIT_ANCHOR_SECONDS ?? 0),
    complaintsPerMinute: positive(env, 'PAX_COMPLAINTS_PER_MINUTE', 120),
    partnerCacheSeconds: Number(env.PAX_PARTNER_CACHE_SECONDS ?? 5),
    rateLimits: {
      operationsPerMinute: positive(env, 'PAX_RATE_LIMIT_PER_MINUTE', 3000),
      screeningProfilesPerMinute: positive(env, 'PAX_SCREENING_PROFILES_PER_MINUTE', 30000),
    },
    refusalWindowSeconds: positive(env, 'PAX_AUDIT_REFUSAL_WINDOW_SECONDS', 60),
    metrics: metricsFromEnv(env),
    workers: {
      threads: count(env, 'PAX_WORKER_THREADS', os.availableParallelism()),
      queue: positive(env, 'PAX_WORKER_QUEUE', 64),
      screeningQueue: positive(env, 'PAX_SCREENING_QUEUE', 5000),
    },
    webhooks: webhooksFromEnv(env, production),
    publicUrl: publicUrlFromEnv(env),
    migrateOnStart: bool(env.PAX_MIGRATE_ON_START, true),
    seedDemoWhenEmpty: !production && bool(env.PAX_SEED_DEMO, true),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
  };
}
