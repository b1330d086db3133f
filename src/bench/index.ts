import { generateMasterKey } from '../modules/disclosures/sealing';
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client as PgClient } from 'pg';
import { Command } from 'commander';
import { Role } from '../auth/roles';
import { createDataSource } from '../db/data-source';
import { QueryCounter } from '../db/query-counter';
import { buildPaxSchema } from '../schema';
import { startServer } from '../server';
import { closeServices, createContext, openServices, Services } from '../services';
import { principalFromPartner } from '../auth/principal';
import { Distribution, PartnerKind, Platform } from '../common/enums';
import { TakedownKind, TakedownPriority, TakedownStatus } from '../modules/takedowns/takedown.enums';
import { seedBenchDataset } from './dataset';
import { runFanout } from './fanout';
import { runResponsiveness } from './responsiveness';
import { runSoak } from './soak';
import { runWebhooks } from './webhooks';
import { runSignals } from './signals';
import { runDesignationImport } from './designations';
import { benchConfig, benchToken, createPostgresDatabase, dropPostgresDatabase, spawnServer } from './support';

const CLI = path.join(__dirname, '..', 'cli', 'index.js');
const BASELINE = path.join(__dirname, 'baseline-server.js');

export const QUEUE_QUERY = `query PlatformQueue($first: Int) { takedownRequests(first: $first, filter: { statuses: [SUBMITTED, ACKNOWLEDGED, ESCALATED] }) {
  totalCount nodes { id status priority deadlineAt overdue legalBasis { instrument section }
  accounts { id handle displayName } organisations { id name } history { sequence toStatus at note } } } }`;

const say = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function load(url: string, token: string, connections: number, duration: number) {
  const body = JSON.stringify({ query: QUEUE_QUERY, variables: { first: 50 } });
  const options = { url, method: 'POST' as const, connections, duration, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body };
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon(options);
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function queueBenchmark(file: string, options: { connections: number; duration: number; rounds: number }) {
  say(`\n## 1. Platform queue: 50 open requests with accounts, organisations and history (autocannon, ${options.connections} connections, ${options.duration}s each)`);
  const config = benchConfig(`sqlite:${file}`);
  const token = benchToken(config, 'x', Role.PLATFORM_REVIEWER);
  const env = { DATABASE_URL: `sqlite:${file}`, PAX_JWT_SECRET: config.jwt.secret!, LOG_LEVEL: 'warn', NODE_ENV: 'production', PAX_SEED_DEMO: 'false' , PAX_MASTER_KEYS: generateMasterKey('bench') };
  const baseline = await spawnServer([BASELINE, file, 'x', '4601'], {});
  const pax = await spawnServer([CLI, 'serve', '--port', '4600'], env);
  try {
    const post = (port: number) =>
      fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: QUEUE_QUERY, variables: { first: 50 } }),
      }).then((r) => r.text());
    const [paxJson, baselineJson] = [await post(4600), await post(4601)];
    say(`same JSON from both: ${paxJson.trim() === baselineJson.trim() ? 'yes' : 'NO'} (${paxJson.length} bytes)`);
    if (paxJson.trim() !== baselineJson.trim()) {
      const at = [...paxJson].findIndex((c, i) => c !== baselineJson[i]);
      say(`  first difference at ${at}: PAX …${paxJson.slice(at - 80, at + 40)}… baseline …${baselineJson.slice(at - 80, at + 40)}…`);
    }
    // Alternate the two servers and take the median round: this machine has two cores and the
    // load generator shares them, so single runs vary.
    const rounds: { base: Awaited<ReturnType<typeof load>>; pax: Awaited<ReturnType<typeof load>> }[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const base = await load('http://127.0.0.1:4601/graphql', token, options.connections, options.duration);
      const paxResult = await load('http://127.0.0.1:4600/graphql', token, options.connections, options.duration);
      rounds.push({ base, pax: paxResult });
    }
    say('| round | server | req/s | p50 ms | p99 ms | PAX/baseline |');
    say('|---|---|---|---|---|---|');
    rounds.forEach(({ base, pax: p }, i) => {
      say(`| ${i + 1} | baseline (http + graphql-js + SQL) | ${fmt(base.rps)} | ${base.p50} | ${base.p99} | |`);
      say(`| ${i + 1} | PAX | ${fmt(p.rps)} | ${p.p50} | ${p.p99} | ${fmt(p.rps / base.rps, 2)} |`);
    });
    const ratios = rounds.map((r) => r.pax.rps / r.base.rps).sort((a, b) => a - b);
    say(`PAX/baseline throughput, median of ${rounds.length} rounds: ${fmt(ratios[Math.floor(ratios.length / 2)], 2)}`);
  } finally {
    baseline.kill();
    pax.kill();
  }
}

async function statementBenchmark(file: string) {
  say('\n## 2. SQL statements per queue request, counted through the TypeORM logger');
  const queries = new QueryCounter();
  const config = benchConfig(`sqlite:${file}`);
  const services = await openServices(config, undefined, queries);
  const server = await startServer(services, await buildPaxSchema(services.events), 0);
  const token = benchToken(config, 'x', Role.PLATFORM_REVIEWER);
  await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUEUE_QUERY, variables: { first: 1 } }),
  });
  say('| page size | statements |');
  say('|---|---|');
  for (const first of [1, 10, 100]) {
    const statements = await queries.measure(() =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: QUEUE_QUERY, variables: { first } }),
      }).then((r) => r.json()),
    );
    say(`| ${first} | ${statements} |`);
  }
  await server.close();
  await closeServices(services);
}

async function transitionsPerSecond(services: Services, count: number, concurrency: number): Promise<number> {
  const [pta, x] = [await services.partners.findActiveBySlug('pta'), await services.partners.findActiveBySlug('x')];
  const as = (partner: NonNullable<typeof pta>, sub: string, role: Role) =>
    createContext(services, principalFromPartner(partner!, sub, [role], Number.MAX_SAFE_INTEGER), 'bench', false);
  const analyst = as(pta!, 'analyst', Role.AGENCY_ANALYST);
  const supervisor = as(pta!, 'supervisor', Role.AGENCY_SUPERVISOR);
  const reviewer = as(x!, 'reviewer', Role.PLATFORM_REVIEWER);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const account = await services.accounts.flag(analyst, { platform: Platform.X, handle: `w${i}_${Date.now()}`, distribution: Distribution.ALL_AGENCIES });
    const draft = await services.takedowns.create(analyst, {
      accountIds: [account.id], kind: TakedownKind.REFERRAL, priority: TakedownPriority.STANDARD,
      legalBasis: { instrument: 'PECA 2016' }, reasons: ['bench'],
    });
    ids.push(draft.id);
  }
  const steps: [ReturnType<typeof as>, TakedownStatus, object][] = [
    [supervisor, TakedownStatus.SUBMITTED, {}],
    [reviewer, TakedownStatus.ACKNOWLEDGED, {}],
    [reviewer, TakedownStatus.ACTIONED, { action: 'ACCOUNT_SUSPENDED' }],
  ];
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      for (const [ctx, status, extra] of steps) await services.takedowns.updateStatus(ctx, { id, status, ...extra });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (ids.length * steps.length) / seconds;
}

async function writeBenchmark(dir: string, postgresUrl: string | null) {
  say('\n## 4. Write path: status transitions per second (each with its history row, version check and event)');
  say('| engine | concurrency | transitions/s |');
  say('|---|---|---|');
  const setups: [string, string, number[]][] = [['SQLite', `sqlite:${path.join(dir, 'writes.sqlite')}`, [1, 8]]];
  let database: string | null = null;
  if (postgresUrl) {
    database = await createPostgresDatabase(postgresUrl, 'pax_bench_writes');
    setups.push(['PostgreSQL', database, [1, 8]]);
  }
  for (const [engine, url, concurrencies] of setups) {
    const services = await openServices(benchConfig(url));
    await services.partners.add({ slug: 'pta', kind: PartnerKind.AGENCY });
    await services.partners.add({ slug: 'x', kind: PartnerKind.PLATFORM, platforms: [Platform.X] });
    for (const concurrency of concurrencies) say(`| ${engine} | ${concurrency} | ${fmt(await transitionsPerSecond(services, 300, concurrency), 0)} |`);
    await closeServices(services);
  }
  if (database && postgresUrl) await dropPostgresDatabase(postgresUrl, database);
}

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const options = new Command('bench')
    .description('PAX benchmarks: they print figures and ratios, they assert nothing')
    .option('--only <list>', 'queue,statements,fanout,writes,responsiveness,webhooks,designations, and soak and signals (not run unless named: minutes each)', 'queue,statements,fanout,writes,responsiveness,webhooks,designations')
    .option('--signal-accounts <n>', 'removed accounts in the signal feed benchmark', '1000000')
    .option('--webhook-events <n>', 'events delivered in the webhook benchmark', '1000')
    .option('--designation-entities <n>', 'entities in the designation import list', '5000')
    .option('--accounts <n>', 'accounts in the queue dataset', '100000')
    .option('--requests <n>', 'takedown requests in the queue dataset', '20000')
    .option('--connections <n>', 'autocannon connections', '10')
    .option('--duration <s>', 'seconds per autocannon run', '10')
    .option('--rounds <n>', 'alternating baseline/PAX rounds for the queue', '3')
    .option('--removed <n>', 'removed accounts in the mirror index for the responsiveness run', '20000')
    .option('--profiles <n>', 'profiles per screenAccounts call in the responsiveness run', '1000')
    .option('--clients <n>', 'WebSocket clients for the fan-out', '1000')
    .option('--soak-seconds <s>', 'length of the soak', '600')
    .option('--soak-rate <n>', 'soak operations per second, across both instances', '50')
    .option('--soak-concurrency <n>', 'soak operations in flight at most', '8')
    .option('--soak-subscribers <n>', 'graphql-ws subscribers during the soak', '20')
    .option('--postgres <url>', 'PostgreSQL server for the PostgreSQL figures', process.env.PAX_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
    .option('--redis <url>', 'Redis for the fan-out and the soak', process.env.PAX_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379')
    .parse()
    .opts();
  const only = new Set(String(options.only).split(','));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  say(`# PAX benchmarks — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} × ${cpu}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pax-bench-'));
  const postgres = (await reachable(async () => {
    const c = new PgClient({ connectionString: options.postgres });
    await c.connect();
    await c.end();
  })) ? String(options.postgres) : null;
  if (!postgres) say(`(PostgreSQL at ${options.postgres} is not reachable: PostgreSQL figures and the fan-out are skipped)`);
  try {
    if (only.has('queue') || only.has('statements')) {
      const file = path.join(dir, 'queue.sqlite');
      const db = createDataSource(`sqlite:${file}`);
      await db.initialize();
      await db.runMigrations();
      const started = Date.now();
      say(`\nSeeding ${options.accounts} accounts and ${options.requests} requests into SQLite (${file})…`);
      await seedBenchDataset(db, { accounts: Number(options.accounts), requests: Number(options.requests) });
      await db.destroy();
      say(`seeded in ${fmt((Date.now() - started) / 1000)}s`);
      if (only.has('queue')) await queueBenchmark(file, { connections: Number(options.connections), duration: Number(options.duration), rounds: Number(options.rounds) });
      if (only.has('statements')) await statementBenchmark(file);
    }
    if (only.has('fanout')) {
      if (postgres) await runFanout({ postgres, redis: String(options.redis), clients: Number(options.clients), say });
      else say('\n## 3. Subscription fan-out: skipped (needs PostgreSQL and Redis)');
    }
    if (only.has('writes')) await writeBenchmark(dir, postgres);
    if (only.has('responsiveness')) await runResponsiveness({ dir, removed: Number(options.removed), profiles: Number(options.profiles), concurrent: 3, say });
    if (only.has('soak')) {
      if (postgres) {
        await runSoak({
          postgres, redis: String(options.redis), say,
          seconds: Number(options.soakSeconds), rate: Number(options.soakRate), concurrency: Number(options.soakConcurrency), subscribers: Number(options.soakSubscribers),
        });
      } else say('\n## 6. Soak: skipped (needs PostgreSQL and Redis)');
    }
    if (only.has('signals')) await runSignals({ dir, accounts: Number(options.signalAccounts), say });
    if (only.has('designations')) await runDesignationImport({ dir, entities: Number(options.designationEntities), say });
    if (only.has('webhooks')) await runWebhooks({ dir, postgres, events: Number(options.webhookEvents), rounds: Number(options.rounds), say });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: Error) => {
      process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
      process.exit(1);
    },
  );
}
