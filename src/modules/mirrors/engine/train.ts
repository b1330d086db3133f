import fs from 'node:fs';
import path from 'node:path';
import { MirrorIndex, prepareSubject } from './mirror-index';
import { FEATURES, FeatureVector, ModelWeights, probability } from './model';
import { rocAuc } from './metrics';
import { EVASION_FAMILIES, generateLabelledSet } from './synthetic';

/**
 * Trains the mirror scorer offline: logistic regression with L2, on labelled pairs from the
 * synthetic set (each query against the candidates the index proposes), then writes
 * weights.json next to this file's source. Run with `npm run train:mirrors`.
 */
const SEED = 20261123;

function pairs(seed: number, banned: number, perFamily: number) {
  const set = generateLabelledSet({ seed, banned, positivesPerFamily: perFamily, negativesPerFamily: perFamily * 2 });
  const index = new MirrorIndex();
  set.banned.forEach((account) => index.add(account));
  const rows: { x: FeatureVector; y: number }[] = [];
  for (const query of set.queries) {
    const candidates = index.candidates(prepareSubject(query.subject)).slice(0, 20);
    if (query.originalId && !candidates.includes(query.originalId)) candidates.push(query.originalId);
    for (const id of candidates) rows.push({ x: index.featuresOf(query.subject, id)!, y: id === query.originalId ? 1 : 0 });
  }
  return rows;
}

function fit(rows: { x: FeatureVector; y: number }[], epochs = 3000, rate = 1, l2 = 1e-4): ModelWeights {
  const positives = rows.filter((r) => r.y === 1).length;
  const weightOf = (y: number) => (y === 1 ? rows.length / (2 * positives) : rows.length / (2 * (rows.length - positives)));
  const w = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<(typeof FEATURES)[number], number>;
  let bias = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gradient = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<(typeof FEATURES)[number], number>;
    let gradientBias = 0;
    for (const { x, y } of rows) {
      const error = (probability(x, { bias, weights: w }) - y) * weightOf(y);
      gradientBias += error;
      for (const f of FEATURES) gradient[f] += error * x[f];
    }
    bias -= (rate * gradientBias) / rows.length;
    for (const f of FEATURES) w[f] -= rate * (gradient[f] / rows.length + l2 * w[f]);
  }
  return { bias, weights: w };
}

function main() {
  const started = Date.now();
  process.stdout.write('building training pairs…\n');
  const training = pairs(SEED, 20_000, 1000);
  const holdout = pairs(SEED + 1, 20_000, 300);
  process.stdout.write(`${training.length} training pairs (${training.filter((r) => r.y).length} positive); fitting…\n`);
  const model = fit(training);
  const score = (rows: typeof training) => rocAuc(rows.filter((r) => r.y).map((r) => probability(r.x, model)), rows.filter((r) => !r.y).map((r) => probability(r.x, model)));
  const file = path.join(__dirname, '..', '..', '..', '..', '..', 'src', 'modules', 'mirrors', 'engine', 'weights.json');
  const rounded = (n: number) => Math.round(n * 1e4) / 1e4;
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        trainedAt: new Date().toISOString().slice(0, 10),
        trainedOn: `synthetic set seed ${SEED}: 20,000 removed accounts, ${EVASION_FAMILIES.length} evasion families × 1,000 mirrors, 4 negative families × 2,000; pair ROC-AUC train ${score(training).toFixed(4)}, holdout ${score(holdout).toFixed(4)}`,
        bias: rounded(model.bias),
        weights: Object.fromEntries(FEATURES.map((f) => [f, rounded(model.weights[f])])),
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`wrote ${file} in ${((Date.now() - started) / 1000).toFixed(1)}s\n${JSON.stringify(model, null, 1)}\n`);
}

if (require.main === module) main();
