import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { Role } from '../auth/roles';
import { Classification, Distribution, PartnerKind, Platform } from '../common/enums';
import { newId } from '../common/ids';
import { createDataSource } from '../db/data-source';
import { generateMasterKey } from '../modules/disclosures/sealing';
import { Account } from '../modules/accounts/account.entity';
import { PartnerDirectory } from '../modules/partners/partner.service';
import { StatusHistoryEntry, TakedownRequest, TakedownRequestAccount } from '../modules/takedowns/takedown.entity';
import { TakedownKind, TakedownPriority, TakedownStatus as S } from '../modules/takedowns/takedown.enums';
import { generateLabelledSet } from '../modules/mirrors/engine/synthetic';
import { insertAll } from './dataset';
import { benchConfig, benchToken, spawnServer } from './support';

const CLI = path.join(__dirname, '..', 'cli', 'index.js');
const SCREEN = `mutation($input: ScreenAccountsInput!) { screenAccounts(input: $input) { verdict probability } }`;

/** Removed accounts of the synthetic mirror set, each taken down by an ACTIONED request, and sign-ups to screen. */
async function seed(file: string, removed: number, profiles: number) {
  const set = generateLabelledSet({ seed: 2026, banned: removed, positivesPerFamily: Math.ceil(profiles / 22), negativesPerFamily: Math.ceil(profiles / 8) });
  const db = createDataSource(`sqlite:${file}`);
  await db.initialize();
  await db.runMigrations();
  const partners = new PartnerDirectory(db);
  const pta = await partners.add({ slug: 'pta', kind: PartnerKind.AGENCY });
  const x = await partners.add({ slug: 'x', kind: PartnerKind.PLATFORM, platforms: [Platform.X] });
  const accounts: Partial<Account>[] = [];
  const requests: Partial<TakedownRequest>[] = [];
  const links: Partial<TakedownRequestAccount>[] = [];
  const history: Partial<StatusHistoryEntry>[] = [];
  for (const banned of set.banned) {
    const at = banned.removedAt;
    accounts.push({
      id: banned.id, platform: Platform.X, handle: banned.handle, handleKey: banned.handle.toLowerCase(), platformAccountId: null, displayName: banned.displayName ?? null,
      url: null, bio: banned.bio ?? null, avatarPdq: banned.avatarPdq ?? null, avatarQuality: banned.avatarQuality ?? null, links: banned.links ?? [], mirrorOfAccountId: null,
      distribution: Distribution.ALL_AGENCIES, internalNotes: null, flaggedByPartnerId: pta.id, flaggedBySub: 'bench', createdAt: at,
    });
    const request: Partial<TakedownRequest> = {
      id: newId(), status: S.ACTIONED, kind: TakedownKind.REFERRAL, priority: TakedownPriority.STANDARD, platform: Platform.X, addressedPartnerId: x.id,
      originatorPartnerId: pta.id, legalInstrument: 'PECA 2016', legalSection: 's.37', reasons: ['bench'], distribution: Distribution.ALL_AGENCIES,
      internalNotes: null, version: 2, deadlineAt: at, pausedRemainingMs: null, submittedAt: at, draftedBySub: 'bench', createdAt: at, updatedAt: at,
    };
    requests.push(request);
    links.push({ takedownRequestId: request.id, accountId: banned.id });
    [S.DRAFT, S.SUBMITTED, S.ACTIONED].forEach((to, sequence, path) =>
      history.push({
        id: newId(), takedownRequestId: request.id, sequence, fromStatus: sequence === 0 ? null : path[sequence - 1], toStatus: to,
        actorPartnerId: sequence === 2 ? x.id : pta.id, actorSub: 'bench', at, reasonCode: null, action: null, note: null, noteClassification: Classification.SHAREABLE,
      }),
    );
  }
  const bar = new SingleBar({ format: 'seeding removed accounts {bar} {percentage}% | {value}/{total} rows', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 5000 }, Presets.shades_classic);
  bar.start(accounts.length + requests.length + links.length + history.length, 0);
  await db.transaction(async (em) => {
    await insertAll(em, Account, accounts, bar);
    await insertAll(em, TakedownRequest, requests, bar);
    await insertAll(em, TakedownRequestAccount, links, bar);
    await insertAll(em, StatusHistoryEntry, history, bar);
  });
  bar.stop();
  await db.destroy();
  return set.queries.slice(0, profiles).map(({ subject }) => ({
    platform: 'X', handle: subject.handle, displayName: subject.displayName ?? undefined, bio: subject.bio ?? undefined, links: subject.links ?? [],
    avatarPdq: subject.avatarPdq?.[0] ?? undefined,
  }));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * `{ me { sub } }` one after another, 10 ms apart, until `until` settles (or `count` probes
 * without load): the latency any cheap request sees meanwhile.
 */
async function probe(url: string, token: string, until: Promise<unknown> | null, count = 200): Promise<number[]> {
  const body = JSON.stringify({ query: '{ me { sub } }' });
  const latencies: number[] = [];
  let settled = false;
  void until?.finally(() => (settled = true));
  while (until ? !settled : latencies.length < count) {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    if (!(await response.text()).includes('"sub"')) throw new Error('{ me } did not answer');
    latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 10));
  }
  return latencies.sort((a, b) => a - b);
}

/**
 * `{ me }` latency while three platform systems each screen 1,000 sign-ups at once: with the mirror
 * index and the hashing on the event loop (PAX_WORKER_THREADS=0), and in worker threads (the
 * default), beside `{ me }` with no load, all in the same run.
 */
export async function runResponsiveness(options: { dir: string; removed: number; profiles: number; concurrent: number; say: (line?: string) => void }) {
  const { say } = options;
  say(`\n## 5. Responsiveness: \`{ me }\` while ${options.concurrent} screenAccounts of ${options.profiles} profiles run against ${options.removed} removed accounts`);
  const file = path.join(options.dir, 'mirrors.sqlite');
  const profiles = await seed(file, options.removed, options.profiles);
  const config = benchConfig(`sqlite:${file}`);
  const token = benchToken(config, 'x', Role.PLATFORM_SYSTEM);
  const env = { DATABASE_URL: `sqlite:${file}`, PAX_JWT_SECRET: config.jwt.secret!, LOG_LEVEL: 'warn', NODE_ENV: 'production', PAX_SEED_DEMO: 'false', PAX_MASTER_KEYS: generateMasterKey('bench') };
  const screen = (url: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: SCREEN, variables: { input: { accounts: profiles } } }) })
      .then((r) => r.json() as Promise<{ errors?: unknown[] }>)
      .then((r) => {
        if (r.errors) throw new Error(`screenAccounts failed: ${JSON.stringify(r.errors).slice(0, 300)}`);
      });
  const runs: { label: string; latencies: number[]; seconds: number | null }[] = [];
  for (const [label, threads, load] of [['no load (worker threads)', undefined, false], ['load, everything on the event loop (PAX_WORKER_THREADS=0)', '0', true], ['load, worker threads (default)', undefined, true]] as const) {
    const port = 4610 + runs.length;
    const server = await spawnServer([CLI, 'serve', '--port', String(port)], { ...env, ...(threads ? { PAX_WORKER_THREADS: threads } : {}) });
    try {
      const url = `http://127.0.0.1:${port}/graphql`;
      await probe(url, token, null, 20);
      await screen(url);
      const started = performance.now();
      const work = load ? Promise.all(Array.from({ length: options.concurrent }, () => screen(url))) : null;
      const latencies = await probe(url, token, work);
      await work;
      runs.push({ label, latencies, seconds: load ? (performance.now() - started) / 1000 : null });
    } finally {
      server.kill();
    }
  }
  const [quiet] = runs;
  const q = (l: number[], p: number) => percentile(l, p).toFixed(1);
  say('| run | `{ me }` answers | p50 ms | p99 ms | max ms | p99 / no-load p99 | screenings took s |');
  say('|---|---|---|---|---|---|---|');
  for (const { label, latencies, seconds } of runs) {
    say(`| ${label} | ${latencies.length} | ${q(latencies, 50)} | ${q(latencies, 99)} | ${latencies.at(-1)!.toFixed(1)} | ${(percentile(latencies, 99) / percentile(quiet.latencies, 99)).toFixed(1)} | ${seconds?.toFixed(2) ?? ''} |`);
  }
}
