import 'reflect-metadata';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import jwt from 'jsonwebtoken';
import { loadConfig, PaxConfig } from '../../src/config';
import { signDevToken } from '../../src/auth/jwt';
import { Role } from '../../src/auth/roles';
import { PartnerKind, Platform } from '../../src/common/enums';
import { buildPaxSchema } from '../../src/schema';
import { PaxServer, startServer } from '../../src/server';
import { closeServices, openServices, Services } from '../../src/services';
import { QueryCounter } from '../../src/db/query-counter';
import { createSchema } from './postgres';
import { PartnerView } from '../../src/modules/partners/partner.types';
import { Clock, systemClock } from '../../src/common/clock';
import type { DestinationStream } from 'pino';
import { createLogger } from '../../src/observability/logger';

/** A clock the test moves by hand, for deadlines, preservation expiry and notice delays. */
export class ManualClock implements Clock {
  private at = new Date('2026-11-23T09:00:00Z').getTime();
  now(): Date {
    return new Date(this.at);
  }
  advanceDays(days: number): void {
    this.at += days * 86_400_000;
  }
}

/** Random (`openssl rand -base64 48`), so that suites may also run with NODE_ENV=production. */
export const TEST_SECRET = 'vYitgLr0RjTEFRAitFeAMYhprFGaMRuxOMoB62tODzIcxzxKxKciU4KLn5+q2V9o';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** A live subscription: events arrive in `events`; `next()` waits for the next one. */
export interface LiveSubscription<T = any> {
  events: T[];
  errors: unknown[];
  next(timeoutMs?: number): Promise<T>;
  /** Resolves after `ms` with whatever arrived meanwhile; for proving that nothing did. */
  settle(ms?: number): Promise<T[]>;
  close(): Promise<void>;
}

export interface TestExchange {
  url: string;
  wsUrl: string;
  config: PaxConfig;
  services: Services;
  server: PaxServer;
  /** Counts every SQL statement the server runs. */
  queries: QueryCounter;
  partners: Record<'pta' | 'moi' | 'x' | 'meta' | 'telegram' | 'ofcom', PartnerView>;
  token(partner: string, roles: Role[] | Role, sub?: string): string;
  gql<T = any>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  subscribe<T = any>(token: string, query: string, variables?: Record<string, unknown>): Promise<LiveSubscription<T>>;
  wsClient(connectionParams: Record<string, unknown>): Client;
  close(): Promise<void>;
}

/**
 * Starts a real PAX server on port 0 over a fresh database: in-memory SQLite, or a new schema in
 * the PostgreSQL database that PAX_TEST_DATABASE_URL names (see `npm run test:postgres`). It
 * registers agencies pta and moi, platforms x (X), meta (FACEBOOK, INSTAGRAM, WHATSAPP) and
 * telegram (TELEGRAM), and the oversight body ofcom. `logTo` receives the server's log lines.
 */
export async function startExchange(env: Record<string, string> = {}, clock: Clock = systemClock, logTo?: DestinationStream): Promise<TestExchange> {
  const runDatabase = process.env.PAX_TEST_DATABASE_URL ?? 'sqlite::memory:';
  const schema = runDatabase.startsWith('postgres') ? await createSchema(runDatabase) : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: schema?.url ?? runDatabase,
    PAX_JWT_SECRET: TEST_SECRET,
    PAX_SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const queries = new QueryCounter();
  const services = await openServices(config, logTo ? createLogger(config.logLevel, logTo) : undefined, queries, clock);
  const add = (slug: string, kind: PartnerKind, platforms?: Platform[]) => services.partners.add({ slug, kind, platforms });
  const partners = {
    pta: await add('pta', PartnerKind.AGENCY),
    moi: await add('moi', PartnerKind.AGENCY),
    x: await add('x', PartnerKind.PLATFORM, [Platform.X]),
    meta: await add('meta', PartnerKind.PLATFORM, [Platform.FACEBOOK, Platform.INSTAGRAM, Platform.WHATSAPP]),
    telegram: await add('telegram', PartnerKind.PLATFORM, [Platform.TELEGRAM]),
    ofcom: await add('ofcom', PartnerKind.OVERSIGHT),
  };
  const server = await startServer(services, await buildPaxSchema(services.events), 0);
  const url = server.url.replace('localhost', '127.0.0.1');
  const wsUrl = url.replace('http', 'ws');
  const clients: Client[] = [];

  const wsClient = (connectionParams: Record<string, unknown>) => {
    const client = graphqlWsClient(wsUrl, connectionParams);
    clients.push(client);
    return client;
  };

  return {
    url,
    wsUrl,
    config,
    services,
    server,
    queries,
    partners,
    wsClient,
    token: (partner, roles, sub = `${partner}-user`) =>
      signDevToken(config.jwt, { partner, roles: Array.isArray(roles) ? roles : [roles], sub, ttl: '1h' }),
    gql: (token, query, variables) => postGraphQL(url, token, query, variables),
    subscribe: (token, query, variables) => openSubscription(wsClient({ authorization: `Bearer ${token}` }), query, variables),
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await server.close();
      await closeServices(services);
      await schema?.drop();
    },
  };
}

/** Signs arbitrary claims with the test secret, for the JWT rejection tests. */
export function signRaw(claims: Record<string, unknown>, options: jwt.SignOptions = {}, secret = TEST_SECRET): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', ...options });
}

export const errorCode = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;

export async function postGraphQL<T = any>(
  url: string,
  token: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

export function graphqlWsClient(wsUrl: string, connectionParams: Record<string, unknown>): Client {
  return createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

/** Subscribes once the server has acknowledged the connection, and collects what arrives. */
export async function openSubscription<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<LiveSubscription<T>> {
  const events: any[] = [];
  const errors: unknown[] = [];
  let waiter: (() => void) | null = null;
  let acknowledged!: () => void;
  const ready = new Promise<void>((resolve) => (acknowledged = resolve));
  client.on('connected', () => acknowledged());
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        events.push(value.data ?? value);
        if (value.errors) errors.push(value.errors);
        waiter?.();
      },
      error: (error) => {
        errors.push(error);
        waiter?.();
      },
      complete: () => undefined,
    },
  );
  await ready;
  // The subscribe message follows the acknowledgement; give the server a moment to register it.
  await new Promise((r) => setTimeout(r, 100));
  let consumed = 0;
  return {
    events,
    errors,
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length <= consumed) {
        if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline) throw new Error('no subscription event arrived in time');
        await new Promise<void>((resolve) => {
          waiter = resolve;
          setTimeout(resolve, 50);
        });
      }
      return events[consumed++];
    },
    async settle(ms = 400) {
      await new Promise((r) => setTimeout(r, ms));
      return events.slice(consumed);
    },
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}
