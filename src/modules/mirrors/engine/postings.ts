import type { ImageReader, ImageWriter } from './image';

export function powerOfTwoAtLeast(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/** A copy of a typed array in a longer one of the same kind, zero-filled past the end. */
export function widened<A extends Uint32Array | Int32Array | Uint8Array | Float64Array>(from: A, length: number): A {
  const to = new (from.constructor as new (length: number) => A)(length);
  to.set(from);
  return to;
}

/** Below this many postings in the overlay, a table is never rebuilt for its sake. */
const REBUILD_MIN = 1 << 16;

/**
 * Integer key → non-negative integer values (postings lists), held in a few typed arrays instead
 * of a Map entry and an array or Set per key. At a million accounts the LSH bands and the name keys
 * make some twenty million postings; as JS objects they cost gigabytes and most of the load time in
 * garbage collection, as typed arrays they cost a few bytes each and nothing to the collector.
 *
 * Two parts, one answer. The *built* part holds postings sorted by a hash of their key, so a key's
 * postings sit side by side in memory: a common LSH band has hundreds, and chasing them one cache
 * miss at a time was most of a bio screening at a million accounts. Postings added since the build
 * go to a chained *overlay*. A deleted posting is unlinked from the overlay or marked dead in the
 * built part. `settle` rebuilds once the overlay or the dead reach a quarter of the built part; a
 * bulk load (after `reserve`) only appends, and is built by the first read or `settle`.
 *
 * A key's values come back in no particular order: callers rank what they get.
 */
export class Postings {
  private heads = new Int32Array(1 << 10).fill(-1);
  private keys = new Uint32Array(1 << 10);
  private values = new Int32Array(1 << 10);
  private next = new Int32Array(1 << 10);
  /** Overlay postings ever allocated; freed ones (value -1) are chained from `free` through `next`. */
  private used = 0;
  private free = -1;
  private overlayLive = 0;
  /** Chain c of the built part is `builtKeys/builtValues[builtOffsets[c]]` up to `[builtOffsets[c + 1]]`; a dead posting has value -1. */
  private builtOffsets = new Int32Array(2);
  private builtKeys = new Uint32Array(0);
  private builtValues = new Int32Array(0);
  private builtLive = 0;
  private deferred = false;

  get size(): number {
    return this.overlayLive + this.builtLive;
  }

  /** Makes room for `postings` more, and appends them unlinked until the first read or `settle`: a bulk load follows. */
  reserve(postings: number): void {
    if (this.used + postings > this.keys.length) this.growEntries(this.used + postings);
    this.deferred = true;
  }

  /** Builds the table if a bulk load or the changes since the last build call for it. */
  settle(): void {
    const built = this.builtKeys.length;
    if (this.deferred || this.overlayLive > Math.max(REBUILD_MIN, built / 4) || built - this.builtLive > Math.max(REBUILD_MIN, built / 4)) this.build();
  }

  /** Adds a value under a key; the caller adds a (key, value) pair at most once. */
  add(key: number, value: number): void {
    // Two postings to a chain on average before the chains are rehashed, fourfold.
    if (!this.deferred && this.overlayLive >= this.heads.length * 2) this.relink(this.heads.length * 4);
    let e = this.free;
    if (e >= 0) this.free = this.next[e];
    else {
      if (this.used === this.keys.length) this.growEntries(this.keys.length * 2);
      e = this.used++;
    }
    this.overlayLive++;
    this.keys[e] = key >>> 0;
    this.values[e] = value;
    this.next[e] = -1;
    if (this.deferred) return;
    const chain = chainOf(key, this.heads.length);
    this.next[e] = this.heads[chain];
    this.heads[chain] = e;
  }

  /** Removes a (key, value) pair; says whether it was there. */
  delete(key: number, value: number): boolean {
    if (this.deferred) this.build();
    const k = key >>> 0;
    const chain = chainOf(k, this.heads.length);
    for (let prev = -1, e = this.heads[chain]; e >= 0; prev = e, e = this.next[e]) {
      if (this.keys[e] !== k || this.values[e] !== value) continue;
      if (prev < 0) this.heads[chain] = this.next[e];
      else this.next[prev] = this.next[e];
      this.values[e] = -1;
      this.next[e] = this.free;
      this.free = e;
      this.overlayLive--;
      return true;
    }
    const c = chainOf(k, this.builtOffsets.length - 1);
    for (let i = this.builtOffsets[c]; i < this.builtOffsets[c + 1]; i++) {
      if (this.builtKeys[i] !== k || this.builtValues[i] !== value) continue;
      this.builtValues[i] = -1;
      this.builtLive--;
      return true;
    }
    return false;
  }

  /** The values under a key, or undefined when there are none or more than `limit`. */
  get(key: number, limit = Infinity): number[] | undefined {
    const found: number[] = [];
    for (let at = this.first(key); at >= 0; at = this.following(at, key)) {
      if (found.length === limit) return undefined;
      found.push(this.valueAt(at));
    }
    return found.length ? found : undefined;
  }

  /**
   * A walk over one key's postings that allocates nothing, for hot loops:
   * `for (let at = p.first(key); at >= 0; at = p.following(at, key)) use(p.valueAt(at))`.
   * A position below the built part's length is in the built part, the rest in the overlay.
   */
  first(key: number): number {
    if (this.deferred) this.build();
    const k = key >>> 0;
    const c = chainOf(k, this.builtOffsets.length - 1);
    const at = this.seekBuilt(this.builtOffsets[c], this.builtOffsets[c + 1], k);
    return at >= 0 ? at : this.seekOverlay(this.heads[chainOf(k, this.heads.length)], k);
  }

  following(at: number, key: number): number {
    const k = key >>> 0;
    const built = this.builtKeys.length;
    if (at >= built) return this.seekOverlay(this.next[at - built], k);
    const next = this.seekBuilt(at + 1, this.builtOffsets[chainOf(k, this.builtOffsets.length - 1) + 1], k);
    return next >= 0 ? next : this.seekOverlay(this.heads[chainOf(k, this.heads.length)], k);
  }

  valueAt(at: number): number {
    const built = this.builtKeys.length;
    return at < built ? this.builtValues[at] : this.values[at - built];
  }

  /** See `image.ts`. */
  writeImage(image: ImageWriter, name: string): void {
    image.value(`${name}.counters`, [this.used, this.free, this.overlayLive, this.builtLive, this.deferred]);
    image.array(`${name}.heads`, this.heads);
    image.array(`${name}.keys`, this.keys);
    image.array(`${name}.values`, this.values);
    image.array(`${name}.next`, this.next);
    image.array(`${name}.builtOffsets`, this.builtOffsets);
    image.array(`${name}.builtKeys`, this.builtKeys);
    image.array(`${name}.builtValues`, this.builtValues);
  }

  readImage(image: ImageReader, name: string): void {
    [this.used, this.free, this.overlayLive, this.builtLive, this.deferred] = image.value(`${name}.counters`);
    this.heads = image.array(`${name}.heads`, 'Int32Array');
    this.keys = image.array(`${name}.keys`, 'Uint32Array');
    this.values = image.array(`${name}.values`, 'Int32Array');
    this.next = image.array(`${name}.next`, 'Int32Array');
    this.builtOffsets = image.array(`${name}.builtOffsets`, 'Int32Array');
    this.builtKeys = image.array(`${name}.builtKeys`, 'Uint32Array');
    this.builtValues = image.array(`${name}.builtValues`, 'Int32Array');
  }

  private seekBuilt(from: number, to: number, key: number): number {
    for (let i = from; i < to; i++) if (this.builtKeys[i] === key && this.builtValues[i] >= 0) return i;
    return -1;
  }

  private seekOverlay(e: number, key: number): number {
    while (e >= 0 && this.keys[e] !== key) e = this.next[e];
    return e < 0 ? -1 : this.builtKeys.length + e;
  }

  private growEntries(capacity: number): void {
    this.keys = widened(this.keys, capacity);
    this.values = widened(this.values, capacity);
    this.next = widened(this.next, capacity);
  }

  /** Rebuilds the overlay's chains for a new number of chains. */
  private relink(chains: number): void {
    this.heads = new Int32Array(chains).fill(-1);
    for (let e = 0; e < this.used; e++) {
      if (this.values[e] < 0) continue;
      const chain = chainOf(this.keys[e], chains);
      this.next[e] = this.heads[chain];
      this.heads[chain] = e;
    }
  }

  /** Every live posting, built and overlay, into a new built part (a counting sort by chain); the overlay starts empty. */
  private build(): void {
    const total = this.size;
    const chains = powerOfTwoAtLeast(Math.max(2, total / 2));
    const offsets = new Int32Array(chains + 1);
    // Both parts in one list of live postings, each with its chain, so the sort reads them in one pass.
    const liveKeys = new Uint32Array(total);
    const liveValues = new Int32Array(total);
    const liveChains = new Int32Array(total);
    let n = 0;
    for (const [keys, values, length] of [[this.builtKeys, this.builtValues, this.builtKeys.length], [this.keys, this.values, this.used]] as const) {
      for (let i = 0; i < length; i++) {
        if (values[i] < 0) continue;
        const chain = chainOf(keys[i], chains);
        liveKeys[n] = keys[i];
        liveValues[n] = values[i];
        liveChains[n++] = chain;
        offsets[chain + 1]++;
      }
    }
    // The old arrays go before the new ones are made: at a million accounts the bands alone are
    // sixteen million postings, and holding both would double the peak.
    this.builtKeys = new Uint32Array(0);
    this.builtValues = new Int32Array(0);
    this.heads = new Int32Array(1 << 10).fill(-1);
    this.keys = new Uint32Array(1 << 10);
    this.values = new Int32Array(1 << 10);
    this.next = new Int32Array(1 << 10);
    this.used = 0;
    this.free = -1;
    this.overlayLive = 0;
    this.deferred = false;
    for (let c = 0; c < chains; c++) offsets[c + 1] += offsets[c];
    const cursor = offsets.slice(0, chains);
    for (let i = 0; i < total; i++) {
      const at = cursor[liveChains[i]]++;
      liveChains[i] = at;
    }
    const keys = new Uint32Array(total);
    const values = new Int32Array(total);
    for (let i = 0; i < total; i++) {
      keys[liveChains[i]] = liveKeys[i];
      values[liveChains[i]] = liveValues[i];
    }
    this.builtOffsets = offsets;
    this.builtKeys = keys;
    this.builtValues = values;
    this.builtLive = total;
  }
}

function chainOf(key: number, chains: number): number {
  return (Math.imul(key ^ (key >>> 15), 0x2c1b3c6d) >>> 7) & (chains - 1);
}
