import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { createDataSource } from '../db/data-source';
import { KEYS_FILE } from '../matcher';
import { DocumentSigner, FORMAT } from '../matcher/codec';
import { signalEntryOf } from '../modules/mirrors/engine/mirror-index';
import { generateLabelledSet } from '../modules/mirrors/engine/synthetic';
import { generateSignalKey, parseSignalKeys, publicKeySet } from '../modules/signals/signal-keys';
import { SignalOp } from '../modules/signals/signal.entity';

const LOADER = path.join(__dirname, 'signals-load.js');
const CLI = path.join(__dirname, '..', 'cli', 'index.js');
const gzipSize = (bytes: Buffer) => zlib.gzipSync(bytes).length;

/**
 * `npm run bench -- --only signals`: the signal feed at scale. Generates the removed accounts of
 * the evaluation generator, writes their snapshot, and measures: its size per account, a change
 * batch's size per removal, the embedded matcher's load time, heap and screening latency (in a
 * process of its own), and how long `pax serve` takes to be ready with its index loaded from the feed.
 */
export async function runSignals(options: { dir: string; accounts: number; say: (line?: string) => void }) {
  const { dir, accounts, say } = options;
  say(`\n## Signal feed at ${accounts.toLocaleString('en')} removed accounts`);
  const set = generateLabelledSet({ seed: 7, banned: accounts, positivesPerFamily: 100, negativesPerFamily: 250 });
  const [key] = parseSignalKeys(generateSignalKey('bench'));
  const signer = new DocumentSigner(key);
  const snapshotFile = path.join(dir, 'snapshot.ndjson');
  const out = fs.openSync(snapshotFile, 'w');
  const payloads: { entryId: string; accountId: string; payload: string }[] = [];
  let computeMs = 0;
  fs.writeSync(out, signer.line({ format: FORMAT, kind: 'snapshot', cursor: accounts, count: accounts }));
  set.banned.forEach((account, i) => {
    const started = performance.now();
    const entryId = crypto.randomUUID();
    const payload = JSON.stringify(signalEntryOf(entryId, account, (account.organisationIds ?? []).map((id) => ({ id, name: id.toUpperCase() }))));
    computeMs += performance.now() - started;
    payloads.push({ entryId, accountId: account.id, payload });
    fs.writeSync(out, signer.raw(payload));
    if ((i + 1) % 50_000 === 0) process.stderr.write(`\r  computing feed entries ${i + 1}/${accounts}`);
  });
  fs.writeSync(out, signer.finish());
  fs.closeSync(out);
  process.stderr.write('\n');
  const snapshotBytes = fs.statSync(snapshotFile).size;
  const gzipped = await new Promise<number>((resolve, reject) => {
    let size = 0;
    fs.createReadStream(snapshotFile).pipe(zlib.createGzip()).on('data', (c: Buffer) => (size += c.length)).on('end', () => resolve(size)).on('error', reject);
  });
  const batch = new DocumentSigner(key);
  const changeLines = [batch.line({ format: FORMAT, kind: 'changes', after: 0, cursor: 1000, count: 1000 })];
  payloads.slice(0, 1000).forEach((p, i) => changeLines.push(batch.raw(`{"seq":${i + 1},"op":"upsert","entry":${p.payload}}`)));
  changeLines.push(batch.finish());
  const changeBytes = Buffer.concat(changeLines);
  say('| figure | value |');
  say('|---|---|');
  say(`| snapshot size | ${(snapshotBytes / 2 ** 20).toFixed(1)} MiB, ${(snapshotBytes / accounts).toFixed(0)} bytes per account (${(gzipped / accounts).toFixed(0)} gzip'd on the wire) |`);
  say(`| change batch, per removal (1,000 upserts) | ${(changeBytes.length / 1000).toFixed(0)} bytes (${(gzipSize(changeBytes) / 1000).toFixed(0)} gzip'd); a tombstone ~${Buffer.byteLength(`{"seq":1000000,"op":"tombstone","id":"${crypto.randomUUID()}"}\n`)} bytes |`);
  say(`| computing one entry's keys (at the removal, in its transaction) | ${((computeMs / accounts) * 1000).toFixed(0)} µs |`);

  fs.writeFileSync(path.join(dir, KEYS_FILE), JSON.stringify(publicKeySet([key])));
  const queriesFile = path.join(dir, 'queries.json');
  fs.writeFileSync(queriesFile, JSON.stringify(set.queries.map((q) => q.subject)));
  const load = async (mode: 'snapshot' | 'image') =>
    JSON.parse((await promisify(execFile)(process.execPath, ['--expose-gc', '--max-old-space-size=8192', LOADER, mode, dir, queriesFile], { maxBuffer: 1 << 20 })).stdout);
  const fromJson = await load('snapshot');
  const fromImage = await load('image');
  say(`| embedded matcher: load and verify the snapshot's JSON | ${fromJson.loadSeconds.toFixed(1)} s |`);
  say(`| embedded matcher: start from a pulled directory (\`fromDirectory\`, index image) | ${fromImage.loadSeconds.toFixed(1)} s (${(fromJson.loadSeconds / fromImage.loadSeconds).toFixed(1)}× faster) |`);
  say(`| \`pax signals pull\`: writing the index image of a new snapshot | ${fromJson.imageWriteSeconds.toFixed(1)} s, ${fromJson.imageMiB.toFixed(0)} MiB on disk |`);
  for (const [name, loaded] of [['from JSON', fromJson], ['from the image', fromImage]]) {
    say(`| embedded matcher ${name}: heap after load (peak while loading) | ${loaded.heapMiB.toFixed(0)} MiB (${loaded.peakHeapMiB.toFixed(0)} MiB) |`);
    say(`| embedded matcher ${name}: typed arrays after load (outside the heap) | ${loaded.arrayBuffersMiB.toFixed(0)} MiB |`);
    say(`| embedded matcher ${name}: screening p50 / p99 (${loaded.queries} profiles, in process) | ${loaded.p50.toFixed(3)} / ${loaded.p99.toFixed(3)} ms |`);
  }

  // The server: a database whose change log holds every entry, and `pax serve` started over it.
  const file = path.join(dir, 'signals.sqlite');
  const db = createDataSource(`sqlite:${file}`);
  await db.initialize();
  await db.runMigrations();
  const now = new Date();
  for (let i = 0; i < payloads.length; i += 10_000) {
    await db.transaction(async (em) => {
      for (let j = i; j < Math.min(i + 10_000, payloads.length); j += 100) {
        await em.createQueryBuilder().insert().into('signal_changes').values(payloads.slice(j, j + 100).map((p) => ({ ...p, op: SignalOp.UPSERT, createdAt: now }))).execute();
      }
    });
    process.stderr.write(`\r  writing the change log ${Math.min(i + 10_000, payloads.length)}/${payloads.length}`);
  }
  process.stderr.write('\n');
  await db.destroy();
  // The first start on this database re-keys the feed (its state records no key scheme yet), as the
  // first start after an upgrade does; a restart is what a running exchange meets every time.
  for (const start of ['first start on this database, which re-keys the feed', 'restart']) {
    say(`| \`pax serve\` ready, index loaded from the feed (${start}) | ${(await secondsUntilReady(file)).toFixed(1)} s |`);
  }
}

async function secondsUntilReady(database: string): Promise<number> {
  const port = 4650;
  const started = performance.now();
  const server = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], {
    env: { ...process.env, DATABASE_URL: `sqlite:${database}`, PAX_JWT_SECRET: crypto.randomBytes(48).toString('base64'), PAX_SEED_DEMO: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (server.exitCode !== null) throw new Error(`pax serve exited with ${server.exitCode}`);
      try {
        await fetch(`http://127.0.0.1:${port}/healthz`);
        return (performance.now() - started) / 1000;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    server.kill();
    await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once('exit', resolve)));
  }
}
