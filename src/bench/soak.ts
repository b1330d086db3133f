import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ChildProcess } from 'node:child_process';
import { Presets, SingleBar } from 'cli-progress';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '../auth/roles';
import { PartnerKind, Platform } from '../common/enums';
import { generateMasterKey } from '../modules/disclosures/sealing';
import { closeServices, openServices } from '../services';
import { benchConfig, benchToken, createPostgresDatabase, dropPostgresDatabase, freePort, percentile, spawnServer } from './support';

const CLI = path.join(__dirname, '..', 'cli', 'index.js');
const fmt = (n: number) => n.toFixed(1);

const QUEUE = `query { takedownRequests(first: 20, filter: { statuses: [SUBMITTED, ACKNOWLEDGED] }) { totalCount nodes { id status deadlineAt accounts { handle } history { sequence toStatus } } } }`;
const READ = `query($id: ID!) { takedownRequest(id: $id) { id status version accounts { handle } history { sequence toStatus at } } }`;
const FLAG = `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`;
const CREATE = `mutation($input: CreateTakedownRequestInput!) { createTakedownRequest(input: $input) { id status version } }`;
const MOVE = `mutation($input: UpdateTakedownStatusInput!) { updateTakedownStatus(input: $input) { id status version } }`;
const CHANGES = `subscription($filter: TakedownStatusChangedFilter) { takedownStatusChanged(filter: $filter) { request { id status } entry { sequence toStatus } } }`;

/** What platform subscribers ask for: statuses a request only reaches once it is theirs to see. */
const PLATFORM_STATUSES = ['ACKNOWLEDGED', 'ACTIONED'];

/** Each request goes DRAFT → SUBMITTED → ACKNOWLEDGED → ACTIONED → CLOSED, one step per `transition`. */
const LIFECYCLE: { status: string; by: 'supervisor' | 'reviewer'; extra?: Record<string, string> }[] = [
  { status: 'SUBMITTED', by: 'supervisor' },
  { status: 'ACKNOWLEDGED', by: 'reviewer' },
  { status: 'ACTIONED', by: 'reviewer', extra: { action: 'ACCOUNT_SUSPENDED' } },
  { status: 'CLOSED', by: 'supervisor' },
];

/** The mix, by weight: reads dominate, as on a platform reviewer's day. */
const MIX = [
  ['queue', 35],
  ['read', 25],
  ['flag', 5],
  ['create', 5],
  ['transition', 30],
] as const;
type Kind = (typeof MIX)[number][0];

export interface SoakOptions {
  postgres: string;
  redis: string;
  seconds: number;
  /** Operations per second across both instances, at most `concurrency` in flight. */
  rate: number;
  concurrency: number;
  subscribers: number;
  say: (line?: string) => void;
}

/** Resident set size of a process in MiB, from /proc (Linux). */
function rssMiB(child: ChildProcess): number {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

interface Feed {
  client: Client;
  platform: boolean;
  received: number;
  errors: number;
}

/**
 * Minutes of mixed reads, writes and subscriptions over two `pax serve` instances sharing
 * PostgreSQL and Redis, at a fixed rate: errors, latency per kind, whether every subscriber got
 * every event, and whether the instances' memory stays flat.
 */
export async function runSoak(options: SoakOptions) {
  const { say } = options;
  say(`\n## 6. Soak: ${options.seconds}s of mixed traffic at ${options.rate} operations/s (at most ${options.concurrency} in flight) over two instances (PostgreSQL + Redis), ${options.subscribers} subscribers`);
  const database = await createPostgresDatabase(options.postgres, 'pax_bench_soak');
  const config = benchConfig(database);
  const services = await openServices(config);
  await services.partners.add({ slug: 'pta', kind: PartnerKind.AGENCY });
  await services.partners.add({ slug: 'x', kind: PartnerKind.PLATFORM, platforms: [Platform.X] });
  await closeServices(services);

  const env = { DATABASE_URL: database, REDIS_URL: options.redis, PAX_JWT_SECRET: config.jwt.secret!, LOG_LEVEL: 'warn', NODE_ENV: 'production', PAX_MASTER_KEYS: generateMasterKey('bench') };
  const ports = [await freePort(), await freePort()];
  const instances = await Promise.all(ports.map((port) => spawnServer([CLI, 'serve', '--port', String(port)], env)));
  const urls = ports.map((port) => `http://127.0.0.1:${port}/graphql`);
  const tokens = {
    analyst: benchToken(config, 'pta', Role.AGENCY_ANALYST, 'analyst'),
    supervisor: benchToken(config, 'pta', Role.AGENCY_SUPERVISOR, 'supervisor'),
    reviewer: benchToken(config, 'x', Role.PLATFORM_REVIEWER, 'reviewer'),
  };
  const feeds: Feed[] = [];
  const bar = new SingleBar({ format: 'soak {bar} {value}/{total}s | {ops} operations, {errors} errors', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 10_000 }, Presets.shades_classic);
  try {
    for (let i = 0; i < options.subscribers; i++) {
      const platform = i % 2 === 1;
      const client = createClient({
        url: urls[Math.floor(i / 2) % 2].replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${platform ? tokens.reviewer : tokens.supervisor}` },
        lazy: false,
        retryAttempts: 0,
      });
      const feed: Feed = { client, platform, received: 0, errors: 0 };
      feeds.push(feed);
      const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      client.subscribe({ query: CHANGES, variables: platform ? { filter: { statuses: PLATFORM_STATUSES } } : {} }, {
        next: (value) => (value.errors ? feed.errors++ : feed.received++),
        error: () => feed.errors++,
        complete: () => undefined,
      });
      await connected;
    }
    // The subscribe message follows the acknowledgement; let the servers register them.
    await new Promise((r) => setTimeout(r, 1000));

    /** Latency of every answer, errors included; a request with no answer has none. */
    const latencies = new Map<Kind, number[]>(MIX.map(([kind]) => [kind, []]));
    const counts = new Map<Kind, number>(MIX.map(([kind]) => [kind, 0]));
    /** Latencies of the minute under way, every kind together, for a trend by minute. */
    let thisMinute: number[] = [];
    const p50ByMinute: number[] = [];
    const errors = new Map<Kind, string[]>(MIX.map(([kind]) => [kind, []]));
    const accounts: string[] = [];
    const requests: string[] = [];
    /** Requests waiting for their next step, by how many steps they have taken; one worker moves a request at a time. */
    const waiting: { id: string; step: number }[] = [];
    let agencyEvents = 0;
    let platformEvents = 0;
    let sent = 0;

    const call = async (kind: Kind, token: string, query: string, variables: Record<string, unknown> = {}) => {
      const url = urls[sent % 2];
      counts.set(kind, counts.get(kind)! + 1);
      const started = performance.now();
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
        const body = (await response.json()) as { data?: Record<string, { id: string; status: string }>; errors?: { message: string; extensions?: { code?: string } }[] };
        const took = performance.now() - started;
        latencies.get(kind)!.push(took);
        thisMinute.push(took);
        if (body.errors?.length || !body.data) {
          errors.get(kind)!.push(`${body.errors?.[0]?.extensions?.code}: ${body.errors?.[0]?.message}`);
          return null;
        }
        return Object.values(body.data)[0];
      } catch (error) {
        errors.get(kind)!.push(String(error));
        return null;
      }
    };
    const operations: Record<Kind, () => Promise<unknown>> = {
      queue: () => call('queue', tokens.reviewer, QUEUE),
      read: async () => (requests.length ? call('read', tokens.supervisor, READ, { id: requests[Math.floor(Math.random() * requests.length)] }) : operations.queue()),
      flag: async () => {
        const account = await call('flag', tokens.analyst, FLAG, { input: { platform: 'X', handle: `soak_${sent}_${Date.now()}`, distribution: 'ALL_AGENCIES' } });
        if (account) accounts.push(account.id);
      },
      create: async () => {
        const accountId = accounts.pop();
        if (!accountId) return operations.flag();
        const request = await call('create', tokens.analyst, CREATE, {
          input: { accountIds: [accountId], kind: 'ORDER', priority: 'STANDARD', legalBasis: { instrument: 'PECA 2016' }, reasons: ['soak'] },
        });
        if (!request) return;
        agencyEvents++;
        requests.push(request.id);
        waiting.push({ id: request.id, step: 0 });
      },
      transition: async () => {
        const next = waiting.shift();
        if (!next) return operations.create();
        const { status, by, extra } = LIFECYCLE[next.step];
        const moved = await call('transition', tokens[by], MOVE, { input: { id: next.id, status, ...extra } });
        if (!moved) return;
        agencyEvents++;
        if (PLATFORM_STATUSES.includes(status)) platformEvents++;
        if (next.step + 1 < LIFECYCLE.length) waiting.push({ id: next.id, step: next.step + 1 });
      },
    };
    const totalWeight = MIX.reduce((sum, [, weight]) => sum + weight, 0);
    const pick = (): Kind => {
      let roll = Math.random() * totalWeight;
      for (const [kind, weight] of MIX) if ((roll -= weight) < 0) return kind;
      return 'queue';
    };

    const warmUpSeconds = Math.min(30, Math.max(1, Math.floor(options.seconds / 5)));
    const startedAt = performance.now();
    const endsAt = startedAt + options.seconds * 1000;
    const rss = { start: [] as number[], end: [] as number[], peak: instances.map(() => 0), byMinute: instances.map(() => [] as number[]) };
    const sample = setInterval(() => {
      const now = instances.map(rssMiB);
      now.forEach((mib, i) => (rss.peak[i] = Math.max(rss.peak[i], mib)));
      const elapsed = (performance.now() - startedAt) / 1000;
      if (!rss.start.length && elapsed >= warmUpSeconds) rss.start = now;
      if (elapsed >= (rss.byMinute[0].length + 1) * 60) {
        now.forEach((mib, i) => rss.byMinute[i].push(mib));
        p50ByMinute.push(percentile(thisMinute.sort((a, b) => a - b), 50) ?? NaN);
        thisMinute = [];
      }
      const failed = [...errors.values()].reduce((sum, list) => sum + list.length, 0);
      bar.update(Math.min(options.seconds, Math.floor(elapsed)), { ops: sent, errors: failed });
    }, 1000);
    bar.start(options.seconds, 0, { ops: 0, errors: 0 });
    // A fixed schedule, one slot every 1/rate seconds; a worker late for its slot sends at once,
    // so a server that falls behind shows as a lower achieved rate, never as a longer soak.
    const worker = async () => {
      for (;;) {
        const slot = startedAt + (sent * 1000) / options.rate;
        if (slot >= endsAt || performance.now() >= endsAt) return;
        sent++;
        const wait = slot - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await operations[pick()]();
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    clearInterval(sample);
    rss.end = instances.map(rssMiB);
    if (!rss.start.length) rss.start = rss.end;
    bar.update(options.seconds);
    bar.stop();

    const expectedFor = (feed: Feed) => (feed.platform ? platformEvents : agencyEvents);
    const settleBy = Date.now() + 15_000;
    while (feeds.some((f) => f.received < expectedFor(f)) && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 200));

    say('| operation | requests | errors | p50 ms | p99 ms |');
    say('|---|---|---|---|---|');
    for (const [kind] of MIX) {
      const sorted = latencies.get(kind)!.sort((a, b) => a - b);
      const failed = errors.get(kind)!;
      say(`| ${kind} | ${counts.get(kind)} | ${failed.length} | ${sorted.length ? percentile(sorted, 50).toFixed(1) : '-'} | ${sorted.length ? percentile(sorted, 99).toFixed(1) : '-'} |`);
    }
    const firstErrors = [...errors.values()].flat().slice(0, 5);
    if (firstErrors.length) say(`first errors: ${firstErrors.join('; ')}`);
    say('\n| subscribers | events each should get | got all of them | events received in total / expected | subscription errors |');
    say('|---|---|---|---|---|');
    for (const [label, platform] of [['agency supervisors (all pta requests)', false], [`platform reviewers (x, ${PLATFORM_STATUSES.join(' and ')})`, true]] as const) {
      const group = feeds.filter((f) => f.platform === platform);
      const expected = platform ? platformEvents : agencyEvents;
      const received = group.reduce((sum, f) => sum + f.received, 0);
      say(`| ${group.length} ${label} | ${expected} | ${group.filter((f) => f.received === expected).length} of ${group.length} | ${received} / ${expected * group.length} | ${group.reduce((sum, f) => sum + f.errors, 0)} |`);
    }
    say('\n| instance | RSS after warm-up MiB | RSS at end MiB | change | peak MiB |');
    say('|---|---|---|---|---|');
    instances.forEach((_, i) => {
      const change = ((rss.end[i] - rss.start[i]) / rss.start[i]) * 100;
      say(`| ${'AB'[i]} | ${rss.start[i].toFixed(0)} | ${rss.end[i].toFixed(0)} | ${change >= 0 ? '+' : ''}${change.toFixed(1)}% | ${rss.peak[i].toFixed(0)} |`);
    });
    if (p50ByMinute.length > 1) {
      say(`RSS at each minute, MiB: ${rss.byMinute.map((minutes, i) => `${'AB'[i]} ${minutes.map((m) => m.toFixed(0)).join(', ')}`).join('; ')}`);
      say(`p50 ms of each minute, every kind together: ${p50ByMinute.map((m) => m.toFixed(0)).join(', ')}`);
    }
    const seconds = (performance.now() - startedAt) / 1000;
    say(`(warm-up: the first ${warmUpSeconds}s; ${sent} operations in ${seconds.toFixed(0)}s, ${fmt(sent / seconds)} a second against ${options.rate} asked; ${requests.length} takedown requests created)`);
  } finally {
    bar.stop();
    await Promise.all(feeds.map((f) => f.client.dispose()));
    instances.forEach((i) => i.kill());
    await new Promise((r) => setTimeout(r, 500));
    await dropPostgresDatabase(options.postgres, database);
  }
}
