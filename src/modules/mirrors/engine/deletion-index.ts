import { distance as levenshtein } from 'fastest-levenshtein';

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
 * share a whole deletion variant. The entries live in typed arrays rather than a Map of strings
 * because a million handles make some seventeen million entries, past what a Map holds.
 */
export class DeletionIndex {
  private readonly strings: string[] = [];
  private readonly known = new Map<string, number>();
  private heads = new Int32Array(1 << 16).fill(-1);
  private entryHash = new Uint32Array(1 << 16);
  private entryString = new Int32Array(1 << 16);
  private entryNext = new Int32Array(1 << 16);
  private entries = 0;

  get size(): number {
    return this.strings.length;
  }

  /** Files a string once; adding it again does nothing. */
  add(value: string): void {
    if (this.known.has(value)) return;
    const id = this.strings.length;
    this.strings.push(value);
    this.known.set(value, id);
    for (const hash of variantHashes(value)) this.file(hash, id);
  }

  /** Every stored string within one typo of the query, the query itself included if stored. */
  search(query: string): string[] {
    const found = new Set<number>();
    const mask = this.heads.length - 1;
    for (const hash of variantHashes(query)) {
      for (let e = this.heads[hash & mask]; e >= 0; e = this.entryNext[e]) {
        const id = this.entryString[e];
        if (this.entryHash[e] !== hash || found.has(id)) continue;
        if (withinOneTypo(query, this.strings[id])) found.add(id);
      }
    }
    return [...found].map((id) => this.strings[id]);
  }

  private file(hash: number, id: number): void {
    if (this.entries === this.entryHash.length) this.grow();
    const e = this.entries++;
    const slot = hash & (this.heads.length - 1);
    this.entryHash[e] = hash;
    this.entryString[e] = id;
    this.entryNext[e] = this.heads[slot];
    this.heads[slot] = e;
  }

  /** Doubles the entry arrays and the bucket table together, keeping about one entry per bucket. */
  private grow(): void {
    const capacity = this.entryHash.length * 2;
    const widen = <A extends Uint32Array | Int32Array>(from: A, to: A) => (to.set(from), to);
    this.entryHash = widen(this.entryHash, new Uint32Array(capacity));
    this.entryString = widen(this.entryString, new Int32Array(capacity));
    this.entryNext = new Int32Array(capacity);
    this.heads = new Int32Array(capacity).fill(-1);
    const mask = capacity - 1;
    for (let e = 0; e < this.entries; e++) {
      const slot = this.entryHash[e] & mask;
      this.entryNext[e] = this.heads[slot];
      this.heads[slot] = e;
    }
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a hashes of the string and of each distinct single-character deletion, computed from prefix
 * states so no deletion string is built.
 */
function variantHashes(value: string): Set<number> {
  const prefix = new Uint32Array(value.length + 1);
  prefix[0] = FNV_OFFSET;
  for (let i = 0; i < value.length; i++) prefix[i + 1] = Math.imul(prefix[i] ^ value.charCodeAt(i), FNV_PRIME) >>> 0;
  const hashes = new Set<number>([prefix[value.length]]);
  for (let skip = 0; skip < value.length; skip++) {
    let hash = prefix[skip];
    for (let i = skip + 1; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), FNV_PRIME) >>> 0;
    hashes.add(hash);
  }
  return hashes;
}
