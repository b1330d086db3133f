/** A copy of a typed array in a longer one of the same kind, zero-filled past the end. */
export function widened<A extends Uint32Array | Int32Array | Uint8Array>(from: A, length: number): A {
  const to = new (from.constructor as new (length: number) => A)(length);
  to.set(from);
  return to;
}

/**
 * Integer key → integer values (postings lists), held in a few typed arrays instead of a Map entry
 * and an array or Set per key. At a million accounts the LSH bands and the avatar chunks make some
 * thirty million postings; as JS objects they cost gigabytes and most of the load time in garbage
 * collection, as typed arrays they cost twenty bytes each and nothing to the collector.
 *
 * Postings live in chains hashed by key, several keys to a chain. Each chain is appended at its
 * tail, so a key's values come back in the order they were added, as a Set's would: candidate
 * order decides ties, and the index's answers must not depend on how it stores them.
 */
export class Postings {
  private heads = new Int32Array(1 << 10).fill(-1);
  private tails = new Int32Array(1 << 10).fill(-1);
  private keys = new Uint32Array(1 << 10);
  private values = new Int32Array(1 << 10);
  private next = new Int32Array(1 << 10);
  /** Postings ever allocated; freed ones are chained from `free` through `next`. */
  private used = 0;
  private free = -1;
  private live = 0;

  get size(): number {
    return this.live;
  }

  /** Adds a value under a key; the caller adds a (key, value) pair at most once. */
  add(key: number, value: number): void {
    // Two postings to a chain on average before the table grows, and it grows fourfold: rehashing
    // walks every chain in random order, which is most of what filling the table costs.
    if (this.live >= this.heads.length * 2) this.rehash(this.heads.length * 4);
    let e = this.free;
    if (e >= 0) this.free = this.next[e];
    else {
      if (this.used === this.keys.length) this.growEntries();
      e = this.used++;
    }
    this.live++;
    this.keys[e] = key >>> 0;
    this.values[e] = value;
    this.next[e] = -1;
    const chain = this.chainOf(key);
    if (this.tails[chain] < 0) this.heads[chain] = e;
    else this.next[this.tails[chain]] = e;
    this.tails[chain] = e;
  }

  delete(key: number, value: number): void {
    const chain = this.chainOf(key);
    const k = key >>> 0;
    for (let prev = -1, e = this.heads[chain]; e >= 0; prev = e, e = this.next[e]) {
      if (this.keys[e] !== k || this.values[e] !== value) continue;
      if (prev < 0) this.heads[chain] = this.next[e];
      else this.next[prev] = this.next[e];
      if (this.tails[chain] === e) this.tails[chain] = prev;
      this.next[e] = this.free;
      this.free = e;
      this.live--;
      return;
    }
  }

  /** The values under a key in the order they were added, or undefined when there are none or more than `limit`. */
  get(key: number, limit = Infinity): number[] | undefined {
    const found: number[] = [];
    for (let at = this.first(key); at >= 0; at = this.following(at, key)) {
      if (found.length === limit) return undefined;
      found.push(this.values[at]);
    }
    return found.length ? found : undefined;
  }

  /**
   * A walk over one key's postings that allocates nothing, for hot loops:
   * `for (let at = p.first(key); at >= 0; at = p.following(at, key)) use(p.valueAt(at))`.
   */
  first(key: number): number {
    return this.seek(this.heads[this.chainOf(key)], key >>> 0);
  }

  following(at: number, key: number): number {
    return this.seek(this.next[at], key >>> 0);
  }

  valueAt(at: number): number {
    return this.values[at];
  }

  private seek(e: number, key: number): number {
    while (e >= 0 && this.keys[e] !== key) e = this.next[e];
    return e;
  }

  private chainOf(key: number): number {
    return (Math.imul(key ^ (key >>> 15), 0x2c1b3c6d) >>> 7) & (this.heads.length - 1);
  }

  private growEntries(): void {
    const capacity = this.keys.length * 2;
    this.keys = widened(this.keys, capacity);
    this.values = widened(this.values, capacity);
    this.next = widened(this.next, capacity);
  }

  /** Rebuilds the chains for a new table size, walking each old chain in order so each key keeps its order. */
  private rehash(size: number): void {
    const heads = this.heads;
    this.heads = new Int32Array(size).fill(-1);
    this.tails = new Int32Array(size).fill(-1);
    for (let chain = 0; chain < heads.length; chain++) {
      for (let e = heads[chain]; e >= 0; ) {
        const following = this.next[e];
        this.next[e] = -1;
        const to = this.chainOf(this.keys[e]);
        if (this.tails[to] < 0) this.heads[to] = e;
        else this.next[this.tails[to]] = e;
        this.tails[to] = e;
        e = following;
      }
    }
  }
}
