import { PDQ_MATCH_DISTANCE } from './pdq';
import { Postings, widened } from './postings';

const CHUNKS = 16;
const WORDS = 8;

/**
 * Multi-index hashing over 256-bit PDQ hashes: 16 tables keyed by one 16-bit chunk each. Two
 * hashes within distance 31 differ by at most 1 bit in at least one chunk (pigeonhole), so probing
 * each chunk's value and its 16 one-bit neighbours finds every match without scanning.
 *
 * Hashes live packed in one Uint32Array by integer slot, and buckets hold slots: at a million
 * avatars a query verifies tens of thousands of bucket entries, and comparing eight words per entry
 * instead of parsing hex keeps that well under a millisecond. The buckets of all sixteen tables are
 * one `Postings`, keyed by table and chunk value: a million avatars fill a million buckets, and an
 * array per bucket was most of the index's objects.
 *
 * An id may own several hashes (an avatar's plain PDQ and the hashes of its normalised forms): each
 * takes a slot of its own, and an id is as near as the nearest of its hashes.
 */
export class PdqMultiIndex<T> {
  private readonly buckets = new Postings();
  /** One slot for an id with one hash (most of them), an array for an id with several. */
  private readonly slotsOf = new Map<T, number | number[]>();
  private ids: (T | undefined)[] = [];
  private words = new Uint32Array(WORDS * 1024);
  private readonly freeSlots: number[] = [];
  /** Per slot, the number of the last search that verified it: a Set-free "already checked". */
  private visited = new Uint32Array(1024);
  private searches = 0;

  /** How many ids are indexed. */
  get size(): number {
    return this.slotsOf.size;
  }

  /** How many hashes are indexed, over all ids. */
  get hashes(): number {
    return this.ids.length - this.freeSlots.length;
  }

  /** Indexes `hex` (one hash or several) under `id`, replacing what the id had. */
  add(id: T, hex: string | string[]): void {
    this.remove(id);
    const hashes = typeof hex === 'string' ? [hex] : [...new Set(hex)];
    if (!hashes.length) return;
    const slots = hashes.map((h) => this.place(id, h));
    this.slotsOf.set(id, slots.length === 1 ? slots[0] : slots);
  }

  private place(id: T, hex: string): number {
    const slot = this.freeSlots.pop() ?? this.ids.length;
    this.ensureCapacity(slot + 1);
    this.ids[slot] = id;
    this.words.set(wordsOf(hex), slot * WORDS);
    this.chunks(slot).forEach((value, c) => this.buckets.add(bucketOf(c, value), slot));
    return slot;
  }

  /** Forgets an id and every hash it owns. */
  remove(id: T): void {
    const slots = this.slotsOf.get(id);
    if (slots === undefined) return;
    for (const slot of typeof slots === 'number' ? [slots] : slots) {
      this.chunks(slot).forEach((value, c) => this.buckets.delete(bucketOf(c, value), slot));
      this.ids[slot] = undefined;
      this.freeSlots.push(slot);
    }
    this.slotsOf.delete(id);
  }

  has(id: T): boolean {
    return this.slotsOf.has(id);
  }

  /** The smallest distance from any of an indexed id's hashes to any of the query hashes (256 when there are none). */
  distance(id: T, queries: string[]): number {
    const slots = this.slotsOf.get(id);
    let best = 256;
    if (slots === undefined) return best;
    for (const hex of queries) {
      const query = wordsOf(hex);
      for (const slot of typeof slots === 'number' ? [slots] : slots) {
        let distance = 0;
        for (let w = 0, base = slot * WORDS; w < WORDS; w++) distance += popcount(query[w] ^ this.words[base + w]);
        best = Math.min(best, distance);
      }
    }
    return best;
  }

  /** Every indexed id with a hash within `radius` of any of the query hashes, once, with its smallest distance. */
  search(queries: string[], radius = PDQ_MATCH_DISTANCE): Map<T, number> {
    const found = new Map<T, number>();
    const words = this.words;
    for (const hex of queries) {
      const query = wordsOf(hex);
      const stamp = this.nextStamp();
      for (let c = 0; c < CHUNKS; c++) {
        const chunk = chunkOf(query, c);
        for (let flip = -1; flip < 16; flip++) {
          const bucket = bucketOf(c, flip < 0 ? chunk : chunk ^ (1 << flip));
          for (let at = this.buckets.first(bucket); at >= 0; at = this.buckets.following(at, bucket)) {
            const slot = this.buckets.valueAt(at);
            if (this.visited[slot] === stamp) continue;
            this.visited[slot] = stamp;
            let distance = 0;
            for (let w = 0, base = slot * WORDS; w < WORDS; w++) distance += popcount(query[w] ^ words[base + w]);
            const id = this.ids[slot]!;
            if (distance <= radius && distance < (found.get(id) ?? Infinity)) found.set(id, distance);
          }
        }
      }
    }
    return found;
  }

  private chunks(slot: number): number[] {
    const own = this.words.subarray(slot * WORDS, slot * WORDS + WORDS);
    return Array.from({ length: CHUNKS }, (_, c) => chunkOf(own, c));
  }

  private nextStamp(): number {
    if (++this.searches === 0xffffffff) {
      this.visited.fill(0);
      this.searches = 1;
    }
    return this.searches;
  }

  private ensureCapacity(slots: number): void {
    if (slots <= this.visited.length) return;
    const capacity = Math.max(slots, this.visited.length * 2);
    this.words = widened(this.words, capacity * WORDS);
    this.visited = widened(this.visited, capacity);
  }
}

function wordsOf(hex: string): Uint32Array {
  return Uint32Array.from({ length: WORDS }, (_, w) => parseInt(hex.slice(w * 8, w * 8 + 8), 16));
}

const bucketOf = (c: number, value: number) => (c << 16) | value;

/** Chunk c is the c-th group of four hex digits: the high or low half of word c / 2. */
function chunkOf(words: Uint32Array, c: number): number {
  const word = words[c >> 1];
  return c & 1 ? word & 0xffff : word >>> 16;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
