import { popcount } from './bits';
import type { ImageReader, ImageWriter } from './image';
import { widened } from './postings';
import { MINHASH_SIZE, minhashSimilarity } from './text';

/** A sketch keeps the low byte of each MinHash word, four to a 32-bit word: 64 bytes, one cache line. */
const SKETCH_WORDS = MINHASH_SIZE / 4;

/**
 * The bios' MinHashes by slot, in one array rather than an ArrayBuffer each, with a sketch of each.
 *
 * A bio screening at a million accounts meets a pool of one to three thousand bios that share an
 * LSH band with it (bios are built from the same slogans), and reading their 256-byte MinHashes one
 * cache miss after another was most of the slowest screenings. Only the quota's best matter, so the
 * pool is read in the sketches first: two words with equal low bytes may differ, two equal words
 * never do, so a sketch's count of equal bytes bounds the true count from above. The full MinHash
 * is read only for bios whose bound can still reach the quota, best bound first; the rest are out
 * of it, whatever their exact similarity.
 */
export class BioSignatures {
  private words = new Uint32Array(MINHASH_SIZE * 1024);
  private present = new Uint8Array(1024);
  private sketches = new Uint32Array(SKETCH_WORDS * 1024);
  /** Per slot, the number of the last pool that met it: a Set-free "already in the pool". */
  private seen = new Uint32Array(1024);
  private pools = 0;

  ensureCapacity(slots: number): void {
    if (slots <= this.present.length) return;
    const capacity = Math.max(slots, this.present.length * 2);
    this.words = widened(this.words, capacity * MINHASH_SIZE);
    this.present = widened(this.present, capacity);
    this.sketches = widened(this.sketches, capacity * SKETCH_WORDS);
    this.seen = widened(this.seen, capacity);
  }

  /** Stores a slot's MinHash (copied), or records that it has none. */
  set(slot: number, minhash: Uint32Array | null): void {
    this.present[slot] = minhash ? 1 : 0;
    if (!minhash) return;
    this.words.set(minhash, slot * MINHASH_SIZE);
    this.sketches.set(sketchOf(minhash), slot * SKETCH_WORDS);
  }

  /** A slot's MinHash, read in place, or null. */
  of(slot: number): Uint32Array | null {
    return this.present[slot] ? this.words.subarray(slot * MINHASH_SIZE, (slot + 1) * MINHASH_SIZE) : null;
  }

  similarity(query: Uint32Array | null, slot: number): number {
    return query && this.present[slot] ? minhashSimilarity(query, this.words, slot * MINHASH_SIZE) : 0;
  }

  /**
   * The bios of the given postings lists (each slot once) that can be among the `quota` most
   * similar to the query, with their exact similarity: every bio whose similarity is at least the
   * quota's last, ties included, so a cut over the result is the cut over the whole pool.
   */
  pool(query: Uint32Array, postings: number[][], quota: number): Map<number, number> {
    const pool = new Map<number, number>();
    const stamp = this.nextStamp();
    const querySketch = sketchOf(query);
    // Bios by their bound, 0 to 64 equal words; then read best bound first.
    const byBound: number[][] = Array.from({ length: MINHASH_SIZE + 1 }, () => []);
    for (const slots of postings) {
      for (const slot of slots) {
        if (this.seen[slot] === stamp) continue;
        this.seen[slot] = stamp;
        byBound[this.present[slot] ? this.sketchBound(querySketch, slot) : 0].push(slot);
      }
    }
    // How many exact similarities read so far are at least k/64: the quota's last is the largest k with quota of them.
    const atLeast = new Int32Array(MINHASH_SIZE + 2);
    let last = -1;
    for (let bound = MINHASH_SIZE; bound >= 0; bound--) {
      if (bound < last) break;
      for (const slot of byBound[bound]) {
        const similarity = this.similarity(query, slot);
        pool.set(slot, similarity);
        const same = Math.round(similarity * MINHASH_SIZE);
        for (let k = 0; k <= same; k++) atLeast[k]++;
        while (last < MINHASH_SIZE && atLeast[last + 1] >= quota) last++;
      }
    }
    return pool;
  }

  /** See `image.ts`. */
  writeImage(image: ImageWriter, name: string): void {
    image.array(`${name}.words`, this.words);
    image.array(`${name}.present`, this.present);
    image.array(`${name}.sketches`, this.sketches);
  }

  readImage(image: ImageReader, name: string): void {
    this.words = image.array(`${name}.words`, 'Uint32Array');
    this.present = image.array(`${name}.present`, 'Uint8Array');
    this.sketches = image.array(`${name}.sketches`, 'Uint32Array');
    this.seen = new Uint32Array(this.present.length);
    this.pools = 0;
  }

  /** How many of the 64 bytes of a slot's sketch equal the query's: the number of equal bytes in each XOR is its number of zero bytes. */
  private sketchBound(query: Uint32Array, slot: number): number {
    let equal = 0;
    for (let w = 0, base = slot * SKETCH_WORDS; w < SKETCH_WORDS; w++) {
      const x = query[w] ^ this.sketches[base + w];
      // A byte of t has its high bit set unless that byte of x is zero.
      const t = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) >>> 0;
      equal += popcount(~t & 0x80808080);
    }
    return equal;
  }

  private nextStamp(): number {
    if (++this.pools === 0xffffffff) {
      this.seen.fill(0);
      this.pools = 1;
    }
    return this.pools;
  }
}

function sketchOf(minhash: Uint32Array): Uint32Array {
  const sketch = new Uint32Array(SKETCH_WORDS);
  for (let w = 0; w < MINHASH_SIZE; w++) sketch[w >> 2] |= (minhash[w] & 0xff) << ((w & 3) * 8);
  return sketch;
}
