import { distance as levenshtein } from 'fastest-levenshtein';
import type { ImageReader, ImageWriter } from './image';
import type { KeyTable } from './key-table';
import { powerOfTwoAtLeast, widened } from './postings';

/** Two neighbouring letters typed the other way round (fajr → farj): one slip of the keyboard, two Levenshtein edits. */
export function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** Within one typo: one insertion, deletion or substitution, or one swap of neighbouring letters. */
export const withinOneTypo = (a: string, b: string) => levenshtein(a, b) <= 1 || isAdjacentSwap(a, b);

/**
 * Strings within one typo of a query, found by symmetric deletion (the SymSpell idea): two strings
 * are within Levenshtein distance 1 only if one equals the other or a single-character deletion of
 * the other, or both share a single-character deletion; two strings one swap apart share two
 * single-character deletions, so the same probes find them. Each stored string is filed under the
 * 32-bit hashes of itself and of its deletions; a query probes the same hashes and verifies what it
 * finds, so hash collisions cost a comparison, never a wrong answer.
 *
 * Passjoin (mnemonist), used before, verified every string sharing one segment with the query. Real
 * removed handles are built from a small vocabulary (the organisation's name, "media", "news"), so
 * at a million accounts a query verified thousands of strings. Here a probe only meets strings that
 * share a whole deletion variant. Strings are filed by their id in a `KeyTable` and the entries live
 * in typed arrays: a million handles make some seventeen million entries, past what a Map holds.
 */
export class DeletionIndex {
  private filed = new Uint8Array(1024);
  private heads = new Int32Array(1 << 16).fill(-1);
  private entryHash = new Uint32Array(1 << 16);
  private entryString = new Int32Array(1 << 16);
  private entryNext = new Int32Array(1 << 16);
  private entries = 0;
  private strings = 0;

  constructor(private readonly keys: KeyTable) {}

  get size(): number {
    return this.strings;
  }

  /**
   * Makes room for about `strings` strings, so a bulk load does not grow step by step. A handle's
   * core is some eighteen letters long, so it files about twenty hashes.
   */
  reserve(strings: number): void {
    if (strings > this.filed.length) this.filed = widened(this.filed, strings);
    if (strings * 20 > this.entryHash.length) this.resize(strings * 20);
  }

  /** Files the string with this id in the key table once; filing it again does nothing. */
  add(id: number): void {
    if (id >= this.filed.length) this.filed = widened(this.filed, Math.max(id + 1, this.filed.length * 2));
    if (this.filed[id]) return;
    this.filed[id] = 1;
    this.strings++;
    const count = variantHashes(this.keys.stringOf(id));
    for (let v = 0; v < count; v++) this.file(variantScratch[v], id);
  }

  /** The ids of every stored string within one typo of the query, the query itself included if stored. */
  search(query: string): number[] {
    const found = new Set<number>();
    const mask = this.heads.length - 1;
    // `variantHashes` may replace the scratch array, so it runs before the array is read.
    const count = variantHashes(query);
    const hashes = variantScratch.slice(0, count);
    for (const hash of hashes) {
      for (let e = this.heads[hash & mask]; e >= 0; e = this.entryNext[e]) {
        const id = this.entryString[e];
        if (this.entryHash[e] !== hash || found.has(id)) continue;
        if (withinOneTypo(query, this.keys.stringOf(id))) found.add(id);
      }
    }
    return [...found];
  }

  /** See `image.ts`. */
  writeImage(image: ImageWriter, name: string): void {
    image.value(`${name}.counters`, [this.entries, this.strings]);
    image.array(`${name}.filed`, this.filed);
    image.array(`${name}.heads`, this.heads);
    image.array(`${name}.entryHash`, this.entryHash);
    image.array(`${name}.entryString`, this.entryString);
    image.array(`${name}.entryNext`, this.entryNext);
  }

  readImage(image: ImageReader, name: string): void {
    [this.entries, this.strings] = image.value(`${name}.counters`);
    this.filed = image.array(`${name}.filed`, 'Uint8Array');
    this.heads = image.array(`${name}.heads`, 'Int32Array');
    this.entryHash = image.array(`${name}.entryHash`, 'Uint32Array');
    this.entryString = image.array(`${name}.entryString`, 'Int32Array');
    this.entryNext = image.array(`${name}.entryNext`, 'Int32Array');
  }

  private file(hash: number, id: number): void {
    if (this.entries === this.entryHash.length) this.resize(this.entryHash.length * 2);
    const e = this.entries++;
    const slot = hash & (this.heads.length - 1);
    this.entryHash[e] = hash;
    this.entryString[e] = id;
    this.entryNext[e] = this.heads[slot];
    this.heads[slot] = e;
  }

  /** Widens the entry arrays and the bucket table together, keeping about two entries per bucket. */
  private resize(capacity: number): void {
    this.entryHash = widened(this.entryHash, capacity);
    this.entryString = widened(this.entryString, capacity);
    this.entryNext = new Int32Array(capacity);
    this.heads = new Int32Array(powerOfTwoAtLeast(capacity / 2)).fill(-1);
    const mask = this.heads.length - 1;
    for (let e = 0; e < this.entries; e++) {
      const slot = this.entryHash[e] & mask;
      this.entryNext[e] = this.heads[slot];
      this.heads[slot] = e;
    }
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Room for the hashes of a string and its deletions; grown for a longer string. */
let variantScratch = new Uint32Array(64);

/**
 * FNV-1a hashes of the string and of each distinct single-character deletion, computed from prefix
 * states so no deletion string is built. Deleting any letter of a run of equal letters gives the
 * same string, so only a run's first letter is deleted. Returns how many hashes it wrote into
 * `variantScratch`, which the caller reads before the next call.
 */
function variantHashes(value: string): number {
  if (variantScratch.length < 2 * value.length + 2) variantScratch = new Uint32Array(2 * value.length + 2);
  const prefix = variantScratch.subarray(value.length + 1);
  prefix[0] = FNV_OFFSET;
  for (let i = 0; i < value.length; i++) prefix[i + 1] = Math.imul(prefix[i] ^ value.charCodeAt(i), FNV_PRIME) >>> 0;
  let count = 0;
  variantScratch[count++] = prefix[value.length];
  for (let skip = 0; skip < value.length; skip++) {
    if (skip > 0 && value.charCodeAt(skip) === value.charCodeAt(skip - 1)) continue;
    let hash = prefix[skip];
    for (let i = skip + 1; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), FNV_PRIME) >>> 0;
    variantScratch[count++] = hash;
  }
  return count;
}
