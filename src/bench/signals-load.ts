import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { keySetOf, SignalMatcher, SignalPublicJwk } from '../matcher';
import type { ScreeningSubject } from '../modules/mirrors/engine/mirror-index';
import { percentile } from '../modules/mirrors/engine/metrics';

/**
 * The matcher's side of `npm run bench -- --only signals`, in a process of its own so that its heap
 * is the matcher's alone: loads a snapshot file, then screens the queries twice and times the second
 * round. Prints one JSON line.
 */
async function main() {
  const [snapshot, keysFile, queriesFile] = process.argv.slice(2);
  const queries: ScreeningSubject[] = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
  const keys = keySetOf(JSON.parse(fs.readFileSync(keysFile, 'utf8')) as { keys: SignalPublicJwk[] });
  global.gc?.();
  const { heapUsed: before, arrayBuffers: buffersBefore } = process.memoryUsage();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 100);
  const started = performance.now();
  const matcher = new SignalMatcher(keys);
  await matcher.loadSnapshot(fs.createReadStream(snapshot, { highWaterMark: 1 << 20 }));
  const loadSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
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
  process.stdout.write(`${JSON.stringify({ size: matcher.size, loadSeconds, heapMiB: (heap - before) / 2 ** 20, arrayBuffersMiB: (arrayBuffers - buffersBefore) / 2 ** 20, peakHeapMiB: (Math.max(peak, heap) - before) / 2 ** 20, p50: percentile(times, 50), p99: percentile(times, 99), queries: times.length })}\n`);
}

void main();
