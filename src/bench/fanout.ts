import { generateMasterKey } from '../modules/disclosures/sealing';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { principalFromPartner } from '../auth/principal';
import { Role } from '../auth/roles';
import { Distribution, PartnerKind, Platform } from '../common/enums';
import { closeServices, createContext, openServices } from '../services';
import { TakedownKind, TakedownPriority, TakedownStatus } from '../modules/takedowns/takedown.enums';
import { benchConfig, benchToken, createPostgresDatabase, dropPostgresDatabase, percentile, spawnServer } from './support';

const CLI = path.join(__dirname, '..', 'cli', 'index.js');
const SUBSCRIPTION = 'subscription { takedownStatusChanged { request { id status version } entry { toStatus } } }';

/**
 * One status change, many subscribers on two instances over PostgreSQL and Redis: how long until
 * every allowed subscriber has the event, and proof that no disallowed one got it.
 */
export async function runFanout(options: { postgres: string; redis: string; clients: number; say: (line?: string) => void }) {
  const { say } = options;
  say(`\n## 3. Subscription fan-out: ${options.clients} graphql-ws clients across two instances (PostgreSQL + Redis), one status change`);
  const database = await createPostgresDatabase(options.postgres, 'pax_bench_fanout');
  const config = benchConfig(database);
  const services = await openServices(config);
  const pta = await services.partners.add({ slug: 'pta', kind: PartnerKind.AGENCY });
  await services.partners.add({ slug: 'x', kind: PartnerKind.PLATFORM, platforms: [Platform.X] });
  await services.partners.add({ slug: 'meta', kind: PartnerKind.PLATFORM, platforms: [Platform.FACEBOOK] });
  const as = (partner: typeof pta, sub: string, role: Role) =>
    createContext(services, principalFromPartner(partner, sub, [role], Number.MAX_SAFE_INTEGER), 'bench', false);
  const analyst = as(pta, 'analyst', Role.AGENCY_ANALYST);
  const account = await services.accounts.flag(analyst, { platform: Platform.X, handle: 'fanout', distribution: Distribution.ALL_AGENCIES });
  const draft = await services.takedowns.create(analyst, {
    accountIds: [account.id], kind: TakedownKind.ORDER, priority: TakedownPriority.STANDARD, legalBasis: { instrument: 'PECA 2016' }, reasons: ['bench'],
  });
  await services.takedowns.updateStatus(as(pta, 'supervisor', Role.AGENCY_SUPERVISOR), { id: draft.id, status: TakedownStatus.SUBMITTED });
  await closeServices(services);

  const env = { DATABASE_URL: database, REDIS_URL: options.redis, PAX_JWT_SECRET: config.jwt.secret!, LOG_LEVEL: 'warn', NODE_ENV: 'production' , PAX_MASTER_KEYS: generateMasterKey('bench') };
  const ports = [4610, 4611];
  const instances = await Promise.all(ports.map((port) => spawnServer([CLI, 'serve', '--port', String(port)], env)));
  const tokens = {
    x: benchToken(config, 'x', Role.PLATFORM_REVIEWER),
    pta: benchToken(config, 'pta', Role.AGENCY_SUPERVISOR),
    meta: benchToken(config, 'meta', Role.PLATFORM_REVIEWER),
  };
  const clients: { client: Client; allowed: boolean; arrivedAt?: number }[] = [];
  try {
    const connecting: Promise<void>[] = [];
    for (let i = 0; i < options.clients; i++) {
      const kind = i % 10 < 4 ? 'x' : i % 10 < 7 ? 'pta' : 'meta';
      const client = createClient({
        url: `ws://127.0.0.1:${ports[i % 2]}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${tokens[kind]}` },
        lazy: false,
        retryAttempts: 0,
      });
      const entry: (typeof clients)[number] = { client, allowed: kind !== 'meta' };
      clients.push(entry);
      connecting.push(new Promise((resolve) => client.on('connected', () => resolve())));
      client.subscribe({ query: SUBSCRIPTION }, {
        next: () => {
          entry.arrivedAt ??= performance.now();
        },
        error: () => undefined,
        complete: () => undefined,
      });
    }
    await Promise.all(connecting);
    await new Promise((r) => setTimeout(r, 1000));

    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${ports[0]}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.x}` },
      body: JSON.stringify({ query: `mutation { updateTakedownStatus(input: { id: "${draft.id}", status: ACKNOWLEDGED }) { version } }` }),
    });
    const mutated = performance.now();
    if (!response.ok) throw new Error(`mutation failed: ${await response.text()}`);
    const allowed = clients.filter((c) => c.allowed);
    const deadline = Date.now() + 30_000;
    while (allowed.some((c) => c.arrivedAt === undefined) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 500));
    const latencies = allowed.filter((c) => c.arrivedAt !== undefined).map((c) => c.arrivedAt! - started).sort((a, b) => a - b);
    const leaked = clients.filter((c) => !c.allowed && c.arrivedAt !== undefined).length;
    say('| allowed clients | received | p50 ms | p99 ms | last ms | disallowed clients | disallowed that received |');
    say('|---|---|---|---|---|---|---|');
    say(`| ${allowed.length} | ${latencies.length} | ${percentile(latencies, 50).toFixed(0)} | ${percentile(latencies, 99).toFixed(0)} | ${latencies.at(-1)!.toFixed(0)} | ${clients.length - allowed.length} | ${leaked} |`);
    say(`(the mutation itself answered in ${(mutated - started).toFixed(0)} ms; times are from sending it)`);
  } finally {
    await Promise.all(clients.map((c) => c.client.dispose()));
    instances.forEach((i) => i.kill());
    await new Promise((r) => setTimeout(r, 500));
    await dropPostgresDatabase(options.postgres, database);
  }
}
