import { popcount } from './bits';
import type { ImageReader, ImageWriter } from './image';
import { PDQ_MATCH_DISTANCE } from './pdq';
import { Postings, widened } from './postings';

const CHUNKS = 16;
const WORDS = 8;

const BUCKETS = CHUNKS << 16;
/** Where a slot's hash is filed: nowhere yet (a bulk load), in the chained overlay, or in the built table. */
const UNFILED = 0;
const IN_OVERLAY = 1;
const IN_BUILT = 2;

/**
 * Multi-index hashing over 256-bit PDQ hashes: 16 tables keyed by one 16-bit chunk each. Two
 * hashes within distance 31 differ by at most 1 bit in at least one chunk (pigeonhole), so probing
 * each chunk's value and its 16 one-bit neighbours finds every match without scanning.
 *
 * Hashes live packed in one Uint32Array by integer slot, and buckets hold slots. At a million
 * avatars one query hash verifies some 4,000 bucket entries, and memory, not arithmetic, is what
 * that costs: chained postings put every entry in a different place, and a screening with an
 * avatar took 1.6 ms. So the buckets are *built*: one array sorted by bucket, each bucket's slots
 * side by side, made in one counting pass. Hashes added after a build go to a chained overlay
 * (`Postings`); a removed hash leaves its built entries behind, which point at a freed (or reused)
 * slot and are skipped or verified like any other. The table is rebuilt once the overlay and those
 * stale entries reach a quarter of it, and a bulk load (after `reserve`) files nothing until the
 * first search or `settle`.
 *
 * An id may own several hashes (an avatar's plain PDQ and the hashes of its normalised forms): each
 * takes a slot of its own, and an id is as near as the nearest of its hashes.
 */
export class PdqMultiIndex<T> {
  /** The built table: bucket b's slots are `built[offsets[b]]` up to `built[offsets[b + 1]]`. */
  private offsets = new Int32Array(BUCKETS + 1);
  private built = new Int32Array(0);
  private overlay = new Postings();
  private filed = new Uint8Array(1024);
  /** Built entries whose slot was freed since the build. */
  private stale = 0;
  private deferred = false;
  /** One slot for an id with one hash (most of them), an array for an id with several. */
  private slotsOf = new Map<T, number | number[]>();
  private ids: (T | undefined)[] = [];
  private words = new Uint32Array(WORDS * 1024);
  private freeSlots: number[] = [];

  /** @param rebuildAfter the overlay never forces a rebuild below this many hashes. */
  constructor(private readonly rebuildAfter = 4096) {}

  /** How many ids are indexed. */
  get size(): number {
    return this.slotsOf.size;
  }

  /** How many hashes are indexed, over all ids. */
  get hashes(): number {
    return this.ids.length - this.freeSlots.length;
  }

  /** Makes room for `hashes` hashes and defers filing them until the first search or `settle`: a bulk load follows. */
  reserve(hashes: number): void {
    this.ensureCapacity(hashes);
    this.deferred = true;
  }

  /** Builds the table if a bulk load or the changes since the last build call for it. */
  settle(): void {
    const overdue = (this.overlay.size + this.stale) / CHUNKS > Math.max(this.rebuildAfter, this.built.length / CHUNKS / 4);
    if (this.deferred || overdue) this.build();
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
    writeWords(hex, this.words, slot * WORDS);
    this.filed[slot] = this.deferred ? UNFILED : IN_OVERLAY;
    if (!this.deferred) for (let c = 0; c < CHUNKS; c++) this.overlay.add(this.bucketOfSlot(slot, c), slot);
    return slot;
  }

  /** Forgets an id and every hash it owns. */
  remove(id: T): void {
    const slots = this.slotsOf.get(id);
    if (slots === undefined) return;
    for (const slot of typeof slots === 'number' ? [slots] : slots) {
      if (this.filed[slot] === IN_OVERLAY) for (let c = 0; c < CHUNKS; c++) this.overlay.delete(this.bucketOfSlot(slot, c), slot);
      else if (this.filed[slot] === IN_BUILT) this.stale += CHUNKS;
      this.filed[slot] = UNFILED;
      this.ids[slot] = undefined;
      this.freeSlots.push(slot);
    }
    this.slotsOf.delete(id);
  }

  /** Files every live slot in a new built table, bucket by bucket (a counting sort), and empties the overlay. */
  private build(): void {
    const live = this.ids.length;
    const offsets = new Int32Array(BUCKETS + 1);
    for (let slot = 0; slot < live; slot++) if (this.ids[slot] !== undefined) for (let c = 0; c < CHUNKS; c++) offsets[this.bucketOfSlot(slot, c) + 1]++;
    for (let b = 0; b < BUCKETS; b++) offsets[b + 1] += offsets[b];
    const built = new Int32Array(offsets[BUCKETS]);
    const next = offsets.slice(0, BUCKETS);
    for (let slot = 0; slot < live; slot++) {
      if (this.ids[slot] === undefined) continue;
      for (let c = 0; c < CHUNKS; c++) built[next[this.bucketOfSlot(slot, c)]++] = slot;
      this.filed[slot] = IN_BUILT;
    }
    this.offsets = offsets;
    this.built = built;
    this.overlay = new Postings();
    this.stale = 0;
    this.deferred = false;
  }

  /** See `image.ts`. */
  writeImage(image: ImageWriter, name: string): void {
    image.value(`${name}.ids`, { stale: this.stale, deferred: this.deferred, slotsOf: this.slotsOf, ids: this.ids, freeSlots: this.freeSlots });
    image.array(`${name}.offsets`, this.offsets);
    image.array(`${name}.built`, this.built);
    this.overlay.writeImage(image, `${name}.overlay`);
    image.array(`${name}.filed`, this.filed);
    image.array(`${name}.words`, this.words);
  }

  readImage(image: ImageReader, name: string): void {
    ({ stale: this.stale, deferred: this.deferred, slotsOf: this.slotsOf, ids: this.ids, freeSlots: this.freeSlots } = image.value(`${name}.ids`));
    this.offsets = image.array(`${name}.offsets`, 'Int32Array');
    this.built = image.array(`${name}.built`, 'Int32Array');
    this.overlay.readImage(image, `${name}.overlay`);
    this.filed = image.array(`${name}.filed`, 'Uint8Array');
    this.words = image.array(`${name}.words`, 'Uint32Array');
  }

  private bucketOfSlot(slot: number, c: number): number {
    return bucketOf(c, chunkOf(this.words, slot * WORDS, c));
  }

  has(id: T): boolean {
    return this.slotsOf.has(id);
  }

  /**
   * The smallest distance from any of an indexed id's hashes to any of the query hashes (256 when
   * there are none). A screening scores every candidate against the same queries, so it passes
   * them packed once (`packHashes`) rather than as hex to parse again per candidate.
   */
  distance(id: T, queries: string[] | Uint32Array): number {
    let best = 256;
    // Without a query hash the id's slots are not looked up: a screening asks for every candidate.
    if (queries.length === 0) return best;
    const slots = this.slotsOf.get(id);
    if (slots === undefined) return best;
    const packed = queries instanceof Uint32Array ? queries : packHashes(queries);
    for (let q = 0; q < packed.length; q += WORDS) {
      for (const slot of typeof slots === 'number' ? [slots] : slots) {
        let distance = 0;
        for (let w = 0, base = slot * WORDS; w < WORDS; w++) distance += popcount(packed[q + w] ^ this.words[base + w]);
        best = Math.min(best, distance);
      }
    }
    return best;
  }

  /** Every indexed id with a hash within `radius` of any of the query hashes, once, with its smallest distance. */
  search(queries: string[] | Uint32Array, radius = PDQ_MATCH_DISTANCE): Map<T, number> {
    const found = new Map<T, number>();
    const words = this.words;
    const packed = queries instanceof Uint32Array ? queries : packHashes(queries);
    this.settle();
    for (let q = 0; q < packed.length; q += WORDS) {
      const query = packed.subarray(q, q + WORDS);
      // A slot near the query turns up in several buckets and is verified each time: eight words
      // again cost less than one more array read at random for every slot met.
      const verify = (slot: number) => {
        let distance = 0;
        for (let w = 0, base = slot * WORDS; w < WORDS; w++) distance += popcount(query[w] ^ words[base + w]);
        if (distance > radius) return;
        const id = this.ids[slot];
        if (id !== undefined && distance < (found.get(id) ?? Infinity)) found.set(id, distance);
      };
      for (let c = 0; c < CHUNKS; c++) {
        const chunk = chunkOf(query, 0, c);
        for (let flip = -1; flip < 16; flip++) {
          const bucket = bucketOf(c, flip < 0 ? chunk : chunk ^ (1 << flip));
          for (let at = this.offsets[bucket], end = this.offsets[bucket + 1]; at < end; at++) verify(this.built[at]);
          for (let at = this.overlay.first(bucket); at >= 0; at = this.overlay.following(at, bucket)) verify(this.overlay.valueAt(at));
        }
      }
    }
    return found;
  }

  private ensureCapacity(slots: number): void {
    if (slots <= this.filed.length) return;
    const capacity = Math.max(slots, this.filed.length * 2);
    this.words = widened(this.words, capacity * WORDS);
    this.filed = widened(this.filed, capacity);
  }
}

/** Hex hashes packed into one array, eight words each, as the index holds its own. */
export function packHashes(hexes: string[]): Uint32Array {
  const packed = new Uint32Array(hexes.length * WORDS);
  hexes.forEach((hex, i) => writeWords(hex, packed, i * WORDS));
  return packed;
}

function writeWords(hex: string, into: Uint32Array, at: number): void {
  for (let w = 0; w < WORDS; w++) into[at + w] = parseInt(hex.slice(w * 8, w * 8 + 8), 16);
}

const bucketOf = (c: number, value: number) => (c << 16) | value;

/** Chunk c of the hash at `base` is its c-th group of four hex digits: the high or low half of word c / 2. */
function chunkOf(words: Uint32Array, base: number, c: number): number {
  const word = words[base + (c >> 1)];
  return c & 1 ? word & 0xffff : word >>> 16;
}
