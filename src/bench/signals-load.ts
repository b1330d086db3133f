import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { KEYS_FILE, keySetOf, LocalState, SignalMatcher, SignalPublicJwk, STATE_FILE } from '../matcher';
import type { ScreeningSubject } from '../modules/mirrors/engine/mirror-index';
import { percentile } from '../modules/mirrors/engine/metrics';

const IMAGE = 'snapshot.index';

/**
 * The matcher's side of `npm run bench -- --only signals`, in a process of its own so that its heap
 * is the matcher's alone. In a directory laid out as `pax signals pull` keeps it (snapshot.ndjson,
 * keys.json): `snapshot` loads and verifies the snapshot's JSON, then writes its index image as pull
 * does; `image` starts as a restarted platform service does, with `SignalMatcher.fromDirectory`
 * over the image. Either then screens the queries twice and times the second round. Prints one JSON line.
 */
async function main() {
  const [mode, dir, queriesFile] = process.argv.slice(2);
  const queries: ScreeningSubject[] = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
  const keys = keySetOf(JSON.parse(fs.readFileSync(path.join(dir, KEYS_FILE), 'utf8')) as { keys: SignalPublicJwk[] });
  global.gc?.();
  const { heapUsed: before, arrayBuffers: buffersBefore } = process.memoryUsage();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 100);
  const started = performance.now();
  let matcher: SignalMatcher;
  if (mode === 'image') matcher = await SignalMatcher.fromDirectory(dir, keys);
  else {
    matcher = new SignalMatcher(keys);
    await matcher.loadSnapshot(fs.createReadStream(path.join(dir, 'snapshot.ndjson'), { highWaterMark: 1 << 20 }));
  }
  const loadSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (mode === 'image' && matcher.origin.loadedFrom !== 'image') throw new Error(`the index image was not used: ${matcher.origin.imageRefused}`);
  global.gc?.();
  const { heapUsed: heap, arrayBuffers } = process.memoryUsage();
  const times: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const query of queries) {
      const at = performance.now();
      matcher.screen(query);
      if (round === 1) times.push(performance.now() - at);
    }
  }
  let imageWriteSeconds: number | undefined;
  if (mode === 'snapshot') {
    const writing = performance.now();
    matcher.writeImage(path.join(dir, IMAGE), 'snapshot.ndjson');
    imageWriteSeconds = (performance.now() - writing) / 1000;
    const state: LocalState = { cursor: matcher.cursor, snapshot: 'snapshot.ndjson', changes: [], image: IMAGE };
    fs.writeFileSync(path.join(dir, STATE_FILE), JSON.stringify(state));
  }
  process.stdout.write(
    `${JSON.stringify({
      size: matcher.size,
      loadSeconds,
      heapMiB: (heap - before) / 2 ** 20,
      arrayBuffersMiB: (arrayBuffers - buffersBefore) / 2 ** 20,
      peakHeapMiB: (Math.max(peak, heap) - before) / 2 ** 20,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      queries: times.length,
      imageWriteSeconds,
      imageMiB: fs.existsSync(path.join(dir, IMAGE)) ? fs.statSync(path.join(dir, IMAGE)).size / 2 ** 20 : undefined,
    })}\n`,
  );
}

void main();
