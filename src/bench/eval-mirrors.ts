import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { MirrorIndex } from '../modules/mirrors/engine/mirror-index';
import { meanReciprocalRank, percentile, precisionAtRecall, recallAtFpr, rocAuc } from '../modules/mirrors/engine/metrics';
import { POSSIBLE_THRESHOLD, probability, SHIPPED_WEIGHTS } from '../modules/mirrors/engine/model';
import { EVASION_FAMILIES, generateLabelledSet, LabelledQuery } from '../modules/mirrors/engine/synthetic';

/**
 * `npm run eval:mirrors`: detection quality per evasion family on a held-out labelled set, and
 * screening latency, memory and build time at 100,000 and 1,000,000 indexed accounts, beside a
 * brute-force scan of the same scorer.
 */
const say = (line = '') => process.stdout.write(`${line}\n`);
const f3 = (n: number) => (Number.isNaN(n) ? 'n/a' : n.toFixed(3));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function build(size: number, seed: number) {
  const set = generateLabelledSet({ seed, banned: size, positivesPerFamily: 400, negativesPerFamily: 1000 });
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const index = new MirrorIndex();
  const step = Math.max(1, Math.floor(size / 10));
  set.banned.forEach((account, i) => {
    index.add(account);
    if ((i + 1) % step === 0) process.stderr.write(`\r  indexing ${i + 1}/${size}`);
  });
  process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  global.gc?.();
  return { set, index, seconds, heap: process.memoryUsage().heapUsed - before };
}

function quality(index: MirrorIndex, queries: LabelledQuery[]) {
  const negatives: number[] = [];
  const byFamily = new Map<string, { scores: number[]; ranks: (number | null)[] }>();
  for (const query of queries) {
    const matches = index.screen(query.subject, { limit: 10, minProbability: 0 });
    if (!query.originalId) {
      negatives.push(matches[0]?.probability ?? 0);
      continue;
    }
    const at = matches.findIndex((m) => m.account.id === query.originalId);
    const family = byFamily.get(query.family) ?? { scores: [], ranks: [] };
    family.scores.push(at >= 0 ? matches[at].probability : 0);
    family.ranks.push(at >= 0 ? at + 1 : null);
    byFamily.set(query.family, family);
  }
  say('| family | mirrors | ROC-AUC | precision @ recall 0.9 | recall @ FPR 1e-3 | MRR |');
  say('|---|---|---|---|---|---|');
  const all = { scores: [] as number[], ranks: [] as (number | null)[] };
  for (const family of EVASION_FAMILIES) {
    const { scores, ranks } = byFamily.get(family)!;
    all.scores.push(...scores);
    all.ranks.push(...ranks);
    say(`| ${family} | ${scores.length} | ${f3(rocAuc(scores, negatives))} | ${f3(precisionAtRecall(scores, negatives, 0.9))} | ${f3(recallAtFpr(scores, negatives, 1e-3))} | ${f3(meanReciprocalRank(ranks))} |`);
  }
  say(`| **overall** | ${all.scores.length} | ${f3(rocAuc(all.scores, negatives))} | ${f3(precisionAtRecall(all.scores, negatives, 0.9))} | ${f3(recallAtFpr(all.scores, negatives, 1e-3))} | ${f3(meanReciprocalRank(all.ranks))} |`);
  say(`(${negatives.length} negatives: news outlets and researchers, common names, fan and parody accounts, unrelated accounts)`);
}

/**
 * Latency of the index, and its recall against the scorer itself. A full scan finds the original
 * exactly when the scorer rates the pair at POSSIBLE_MIRROR or above, so the pair's own score over
 * every positive stands in for a million-account scan per query; a timed scan of a small sample
 * gives the brute-force latency and checks the shortcut.
 */
function speed(index: MirrorIndex, queries: LabelledQuery[], bruteForceSample: number) {
  const times: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const query of queries) {
      const started = performance.now();
      index.screen(query.subject);
      if (round === 1) times.push(performance.now() - started);
    }
  }
  const positives = queries.filter((q) => q.originalId);
  const found = (query: LabelledQuery, matches: { account: { id: string }; probability: number }[]) =>
    matches.some((m) => m.account.id === query.originalId && m.probability >= POSSIBLE_THRESHOLD);
  let byScorer = 0;
  let byIndex = 0;
  for (const query of positives) {
    if (probability(index.featuresOf(query.subject, query.originalId!)!, SHIPPED_WEIGHTS) < POSSIBLE_THRESHOLD) continue;
    byScorer++;
    if (found(query, index.screen(query.subject, { limit: 10 }))) byIndex++;
  }
  const sample = positives.filter((_, i) => i % Math.floor(positives.length / bruteForceSample) === 0).slice(0, bruteForceSample);
  const bruteTimes: number[] = [];
  let bruteFound = 0;
  for (const query of sample) {
    const started = performance.now();
    if (found(query, index.screenBruteForce(query.subject, { limit: 10 }))) bruteFound++;
    bruteTimes.push(performance.now() - started);
  }
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    bruteP50: percentile(bruteTimes, 50),
    bruteSample: `${bruteFound}/${sample.length}`,
    scorerRecall: byScorer / positives.length,
    indexRecall: byIndex / positives.length,
    loss: byScorer ? (byScorer - byIndex) / byScorer : 0,
  };
}

function main() {
  const options = new Command('eval:mirrors').option('--sizes <list>', 'index sizes', '100000,1000000').option('--seed <n>', 'held-out seed (training used 20261123)', '7').parse().opts();
  say(`# Mirror detection evaluation — ${new Date().toISOString()} — node ${process.version}`);
  say(`model: ${SHIPPED_WEIGHTS.trainedOn} (trained ${SHIPPED_WEIGHTS.trainedAt})`);
  const sizes = String(options.sizes).split(',').map(Number);
  const rows: string[] = [];
  let qualityDone = false;
  for (const size of sizes) {
    process.stderr.write(`index of ${size} removed accounts:\n`);
    const { set, index, seconds, heap } = build(size, Number(options.seed));
    if (!qualityDone) {
      say(`\n## Detection quality on ${size.toLocaleString('en')} removed accounts (seed ${options.seed})`);
      quality(index, set.queries);
      qualityDone = true;
    }
    const s = speed(index, set.queries, size >= 1_000_000 ? 20 : 100);
    rows.push(
      `| ${size.toLocaleString('en')} | ${seconds.toFixed(1)} | ${mb(heap)} | ${s.p50.toFixed(2)} | ${s.p99.toFixed(2)} | ${s.bruteP50.toFixed(0)} (${s.bruteSample}) | ${f3(s.scorerRecall)} | ${f3(s.indexRecall)} | ${f3(s.loss)} |`,
    );
  }
  say('\n## Screening speed and memory');
  say('| indexed accounts | build s | heap | screen p50 ms | screen p99 ms | brute-force scan p50 ms (found) | scorer recall | index recall | recall loss |');
  say('|---|---|---|---|---|---|---|---|---|');
  rows.forEach((row) => say(row));
}

main();
