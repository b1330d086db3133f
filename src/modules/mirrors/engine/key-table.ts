import type { ImageReader, ImageWriter } from './image';
import { Postings, powerOfTwoAtLeast, widened } from './postings';

/**
 * Interns strings as small integers: the index's name keys, cores and link keys are looked up by
 * their id, and postings, counts and the deletion index hold ids. A `Map` from a million strings to
 * Sets of slots was the largest cost of loading a million accounts (its growth, a Set per shared
 * key, and the collector walking both); here a key is an open-addressed slot in a typed array and
 * its string is the one the entry already holds. An id is never reused, so a key an account no
 * longer has keeps its id, with nothing under it.
 */
export class KeyTable {
  private strings: string[] = [];
  private hashes = new Uint32Array(1024);
  /** Open addressing, linear probing: id + 1 per occupied place, 0 for an empty one. */
  private places = new Int32Array(2048);

  get size(): number {
    return this.strings.length;
  }

  /** Makes room for `keys` distinct strings at once, so a bulk load does not grow the table step by step. */
  reserve(keys: number): void {
    if (keys > this.hashes.length) this.hashes = widened(this.hashes, keys);
    if (keys * 2 > this.places.length) this.rehash(powerOfTwoAtLeast(keys * 2));
  }

  /** The id of a string, or -1 when it was never interned. */
  idOf(key: string): number {
    const hash = stringHash(key);
    const mask = this.places.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const held = this.places[at];
      if (held === 0) return -1;
      if (this.hashes[held - 1] === hash && this.strings[held - 1] === key) return held - 1;
    }
  }

  /** The id of a string, given one if it has none yet. */
  intern(key: string): number {
    const hash = stringHash(key);
    const mask = this.places.length - 1;
    let at = hash & mask;
    for (; this.places[at] !== 0; at = (at + 1) & mask) {
      const held = this.places[at];
      if (this.hashes[held - 1] === hash && this.strings[held - 1] === key) return held - 1;
    }
    const id = this.strings.length;
    this.strings.push(key);
    if (id === this.hashes.length) this.hashes = widened(this.hashes, id * 2);
    this.hashes[id] = hash;
    this.places[at] = id + 1;
    if (this.strings.length * 2 > this.places.length) this.rehash(this.places.length * 2);
    return id;
  }

  stringOf(id: number): string {
    return this.strings[id];
  }

  /** See `image.ts`. */
  writeImage(image: ImageWriter, name: string): void {
    image.value(`${name}.strings`, this.strings);
    image.array(`${name}.hashes`, this.hashes);
    image.array(`${name}.places`, this.places);
  }

  readImage(image: ImageReader, name: string): void {
    this.strings = image.value(`${name}.strings`);
    this.hashes = image.array(`${name}.hashes`, 'Uint32Array');
    this.places = image.array(`${name}.places`, 'Int32Array');
  }

  private rehash(size: number): void {
    this.places = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.strings.length; id++) {
      let at = this.hashes[id] & mask;
      while (this.places[at] !== 0) at = (at + 1) & mask;
      this.places[at] = id + 1;
    }
  }
}

/**
 * Postings keyed by interned ids, with a live count per key: how many accounts share a name or a
 * core is a feature, read for every candidate, so it is kept rather than counted.
 */
export class KeyPostings {
  private readonly postings = new Postings();
  private counts = new Int32Array(1024);

  /** Makes room for `postings` postings under ids below `keys`. */
  reserve(postings: number, keys: number): void {
    this.postings.reserve(postings);
    if (keys > this.counts.length) this.counts = widened(this.counts, keys);
  }

  /** See `Postings.settle`. */
  settle(): void {
    this.postings.settle();
  }

  add(id: number, slot: number): void {
    if (id >= this.counts.length) this.counts = widened(this.counts, Math.max(id + 1, this.counts.length * 2));
    this.counts[id]++;
    this.postings.add(id, slot);
  }

  delete(id: number, slot: number): void {
    if (this.postings.delete(id, slot)) this.counts[id]--;
  }

  /** See `image.ts`. */
  writeImage(image: ImageWriter, name: string): void {
    this.postings.writeImage(image, name);
    image.array(`${name}.counts`, this.counts);
  }

  readImage(image: ImageReader, name: string): void {
    this.postings.readImage(image, name);
    this.counts = image.array(`${name}.counts`, 'Int32Array');
  }

  count(id: number): number {
    return id >= 0 && id < this.counts.length ? this.counts[id] : 0;
  }

  /** The slots under a key in the order they were added, or undefined when there are none or more than `limit`. */
  get(id: number, limit = Infinity): number[] | undefined {
    const count = this.count(id);
    return count === 0 || count > limit ? undefined : this.postings.get(id);
  }
}

/** FNV-1a over UTF-16 code units, then a finalising mix so that linear probing sees well-spread low bits. */
function stringHash(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
