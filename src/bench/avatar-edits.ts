import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AVATAR_EDITS, renderLogo } from '../modules/mirrors/engine/avatar-edits';
import { AvatarHashes, avatarHashes, screeningAvatar } from '../modules/mirrors/engine/avatar-variants';
import { PdqMultiIndex } from '../modules/mirrors/engine/mih';
import { MirrorIndex, RemovedAccount } from '../modules/mirrors/engine/mirror-index';
import { percentile } from '../modules/mirrors/engine/metrics';
import { PDQ_MATCH_DISTANCE, PDQ_MIN_QUALITY, pdqDistance } from '../modules/mirrors/engine/pdq';

/**
 * The avatar part of `eval:mirrors`: removed accounts' logos (rendered, distinct per seed) and
 * photographs are indexed among random-hash distractors, every edit of the issue is applied to
 * each, and the edited picture is screened on its own (a fresh, unrelated handle). Reported beside
 * plain PDQ (the index and the screening without the normalised forms), with what the forms cost.
 */

const REMOVED_AT = new Date('2026-11-01T00:00:00Z');

interface Original {
  id: string;
  kind: 'logo' | 'photograph';
  image: Buffer;
  hashes: AvatarHashes;
}

type Approach = 'plain PDQ' | 'PDQ + normalised forms';

function randomHex(next: () => number): string {
  return Array.from({ length: 8 }, () => Math.floor(next() * 2 ** 32).toString(16).padStart(8, '0')).join('');
}

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * The photographs to edit: the images folder of Meta's PDQ reference set, named by
 * `PAX_EVAL_PHOTOGRAPHS`. Without it the evaluation runs on logos alone and says so.
 */
function photographs(): { files: string[]; folder: string | null } {
  const folder = process.env.PAX_EVAL_PHOTOGRAPHS || null;
  if (folder && !fs.existsSync(folder)) throw new Error(`PAX_EVAL_PHOTOGRAPHS names ${folder}, which does not exist; point it at the images folder of the PDQ reference set, or unset it to evaluate logos only`);
  // The reference set is one bridge in many edits plus three other pictures; its originals only.
  const files = folder ? fs.readdirSync(folder).filter((f) => !/rotate|flip|mods/.test(f)).sort() : [];
  return { files, folder };
}

function removedAccount(original: Original, approach: Approach): RemovedAccount {
  return {
    id: original.id,
    platform: 'X',
    handle: `removed_${original.id}`,
    avatarPdq: original.hashes.hex,
    avatarQuality: original.hashes.quality,
    avatarVariants: approach === 'plain PDQ' ? [] : original.hashes.variants,
    removedAt: REMOVED_AT,
  };
}

function buildIndex(originals: Original[], distractors: number, approach: Approach): MirrorIndex {
  const index = new MirrorIndex();
  const next = lcg(99);
  for (let i = 0; i < distractors; i++) index.add({ id: `distractor-${i}`, platform: 'X', handle: `d${i.toString(36)}x${i % 97}`, avatarPdq: randomHex(next), avatarQuality: 100, removedAt: REMOVED_AT });
  for (const original of originals) index.add(removedAccount(original, approach));
  return index;
}

function screeningHashes(hashes: AvatarHashes, approach: Approach): { avatarPdq: string[]; avatarQuality: number | null } {
  return approach === 'plain PDQ' ? { avatarPdq: [...new Set([hashes.hex, ...Object.values(hashes.dihedral)])], avatarQuality: hashes.quality } : screeningAvatar(hashes);
}

interface Outcome {
  found: number;
  wrong: number;
  distances: number[];
  times: number[];
}

/** Bytes of the typed arrays an object holds, and those of the objects it holds, counted once each. */
function typedArrayBytes(value: unknown, seen = new Set<unknown>()): number {
  if (!value || typeof value !== 'object' || seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (Array.isArray(value) || value instanceof Map) return 0;
  return Object.values(value).reduce((sum: number, field) => sum + typedArrayBytes(field, seen), 0);
}

/**
 * The typed arrays of a multi-index of `accounts` ids, each with `hashesPerAccount` random hashes
 * (hashes, built buckets, stamps, growth slack included): all of the index but its map of ids, which is
 * the same for both approaches. Counted, not sampled: heap deltas in this process were noise.
 */
function memoryOf(accounts: number, hashesPerAccount: number): number {
  const index = new PdqMultiIndex<number>();
  const next = lcg(7);
  for (let i = 0; i < accounts; i++) index.add(i, Array.from({ length: hashesPerAccount }, () => randomHex(next)));
  // As a screening finds it: the buckets built, the overlay empty.
  index.settle();
  return typedArrayBytes(index);
}

export async function evaluateAvatarEdits(say: (line?: string) => void, options: { logos?: number; distractors?: number } = {}): Promise<void> {
  const logos = options.logos ?? Number(process.env.PAX_EVAL_LOGOS ?? 300);
  const distractors = options.distractors ?? 100_000;
  const { files, folder } = photographs();
  process.stderr.write(`avatar edits: hashing ${logos} logos and ${files.length} photographs\n`);
  const originals: Original[] = [];
  const hashStarted = performance.now();
  for (let i = 0; i < logos; i++) {
    const image = await renderLogo(50_000 + i);
    originals.push({ id: `logo-${i}`, kind: 'logo', image, hashes: await avatarHashes(image) });
  }
  const hashMs = (performance.now() - hashStarted) / Math.max(1, logos);
  for (const file of files) {
    const image = fs.readFileSync(path.join(folder!, file));
    originals.push({ id: `photo-${file}`, kind: 'photograph', image, hashes: await avatarHashes(image) });
  }
  const approaches: Approach[] = ['plain PDQ', 'PDQ + normalised forms'];
  const indexes = new Map(approaches.map((a) => [a, buildIndex(originals, distractors, a)]));
  const outcomes = new Map<string, Outcome>();
  const outcome = (key: string) => outcomes.get(key) ?? outcomes.set(key, { found: 0, wrong: 0, distances: [], times: [] }).get(key)!;
  let edited = 0;
  for (const [name, edit] of Object.entries(AVATAR_EDITS)) {
    process.stderr.write(`avatar edits: ${name}\n`);
    for (const [n, original] of originals.entries()) {
      const hashes = await avatarHashes(await edit(original.image, n));
      edited++;
      for (const approach of approaches) {
        const avatar = screeningHashes(hashes, approach);
        const queries = avatar.avatarQuality !== null && avatar.avatarQuality < PDQ_MIN_QUALITY ? [] : avatar.avatarPdq;
        const started = performance.now();
        const [best] = indexes.get(approach)!.screen({ platform: 'X', handle: `fresh${n}q${edited}`, ...avatar }, { limit: 1, minProbability: 0 });
        const elapsed = performance.now() - started;
        const byAvatar = best?.signals.some((s) => s.feature === 'avatar_pdq');
        const own = [...(original.hashes.quality >= PDQ_MIN_QUALITY ? [original.hashes.hex] : []), ...(approach === 'plain PDQ' ? [] : original.hashes.variants)];
        // An edit left too flat to hash has no distance; 256 says "nothing alike" without breaking the mean.
        const distance = Math.min(256, ...queries.flatMap((q) => own.map((o) => pdqDistance(q, o))));
        for (const key of [`${approach}|${original.kind}|${name}`, `${approach}|all|all`]) {
          const o = outcome(key);
          if (byAvatar && best.account.id === original.id) o.found++;
          else if (byAvatar) o.wrong++;
          o.distances.push(distance);
          o.times.push(elapsed);
        }
      }
    }
  }
  const kinds = (['logo', 'photograph'] as const).filter((k) => originals.some((o) => o.kind === k));
  const count = (kind: string) => originals.filter((o) => o.kind === kind).length;
  say(`\n## Avatar edits: ${count('logo')} synthetic logos, ${count('photograph')} photographs, among ${distractors.toLocaleString('en')} random-hash distractors`);
  if (!folder) say('(no photographs: set PAX_EVAL_PHOTOGRAPHS to the images folder of the PDQ reference set to include them; logos only)');
  const lowQuality = originals.filter((o) => o.hashes.quality < PDQ_MIN_QUALITY).length;
  say(`An edit counts as found when the top screening result is its original through the avatar signal (distance ≤ ${PDQ_MATCH_DISTANCE}). ${lowQuality} originals have a plain PDQ below quality 50, which screening ignores: plain PDQ cannot find them at all. Mean best distance counts an edit with no usable hash as 256.`);
  say('| edit | originals | plain PDQ: found (top-1) | plain PDQ: another account | plain PDQ: mean best distance | normalised forms: found (top-1) | normalised forms: another account | normalised forms: mean best distance |');
  say('|---|---|---|---|---|---|---|---|');
  const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
  const mean = (xs: number[]) => (xs.reduce((s, x) => s + x, 0) / xs.length).toFixed(1);
  for (const kind of kinds) {
    for (const name of Object.keys(AVATAR_EDITS)) {
      const [plain, forms] = approaches.map((a) => outcomes.get(`${a}|${kind}|${name}`)!);
      const n = plain.distances.length;
      say(`| ${name} (${kind}s) | ${n} | ${pct(plain.found, n)} | ${plain.wrong} | ${mean(plain.distances)} | ${pct(forms.found, n)} | ${forms.wrong} | ${mean(forms.distances)} |`);
    }
  }
  const variants = originals.reduce((s, o) => s + o.hashes.variants.length, 0) / originals.length;
  const probes = originals.reduce((s, o) => s + screeningAvatar(o.hashes).avatarPdq.length, 0) / originals.length;
  say('\n### Cost of the normalised forms');
  say('| approach | hashes per removed avatar | MIH typed arrays per 100k avatars | hashes looked up per screening | screening p50 ms | screening p99 ms |');
  say('|---|---|---|---|---|---|');
  const perAccount = { 'plain PDQ': 1, 'PDQ + normalised forms': 1 + variants };
  for (const approach of approaches) {
    const all = outcomes.get(`${approach}|all|all`)!;
    const hashes = Math.round(perAccount[approach]);
    const heap = memoryOf(100_000, hashes);
    say(`| ${approach} | ${perAccount[approach].toFixed(2)} | ${(heap / 2 ** 20).toFixed(0)} MiB (${hashes} hashes each) | ${approach === 'plain PDQ' ? 8 : probes.toFixed(1)} | ${percentile(all.times, 50).toFixed(2)} | ${percentile(all.times, 99).toFixed(2)} |`);
  }
  say(`Hashing an uploaded avatar (plain PDQ, its normalised forms and probes): ${hashMs.toFixed(0)} ms per 256 px logo on this thread.`);
}

/** `node --expose-gc dist/src/bench/avatar-edits.js`: the avatar part alone, in a fresh process. */
if (require.main === module) void evaluateAvatarEdits((line = '') => process.stdout.write(`${line}\n`));
