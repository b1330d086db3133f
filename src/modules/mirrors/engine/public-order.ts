import type { ImageReader, ImageWriter } from './image';
import { widened } from './postings';

/** Code units per key number: 7 × 7 bits fit a double's 53 exactly. */
const UNITS = 7;
const KEYS = 2;

/** A code unit from here up is written as CLAMPED, and the units after it as 0: equal from there on, whatever they are. */
const CLAMPED = 127;

/**
 * The public order of indexed accounts (platform, then handle; the id last) as numbers by slot.
 *
 * Candidates with the same strength are cut and ranked in this order, and a screening at a million
 * accounts compares thousands of them: each comparison through the entries read four objects in
 * four places of the heap. Here a comparison reads a platform number and two numbers holding the
 * handle's first fourteen code units, each plus one (an absent unit is 0). A unit of 126 or more
 * does not fit in 7 bits: it is written as 127 and ends the numbers, since two different units
 * written alike must leave the rest undecided. Unequal numbers decide as the strings would; equal
 * ones say nothing (0), for the caller to compare in full.
 */
export class PublicOrder {
  private readonly platformIds = new Map<string, number>();
  private readonly platforms: string[] = [];
  private platformOf = new Int32Array(1024);
  private handleKeys = new Float64Array(1024 * KEYS);

  ensureCapacity(slots: number): void {
    if (slots <= this.platformOf.length) return;
    const capacity = Math.max(slots, this.platformOf.length * 2);
    this.platformOf = widened(this.platformOf, capacity);
    this.handleKeys = widened(this.handleKeys, capacity * KEYS);
  }

  set(slot: number, platform: string, handle: string): void {
    let id = this.platformIds.get(platform);
    if (id === undefined) {
      id = this.platforms.push(platform) - 1;
      this.platformIds.set(platform, id);
    }
    this.platformOf[slot] = id;
    let ended = false;
    for (let k = 0; k < KEYS; k++) {
      let key = 0;
      for (let i = k * UNITS; i < (k + 1) * UNITS; i++) {
        const unit: number = ended || i >= handle.length ? 0 : Math.min(handle.charCodeAt(i) + 1, CLAMPED);
        ended ||= unit === CLAMPED;
        key = key * 128 + unit;
      }
      this.handleKeys[slot * KEYS + k] = key;
    }
  }

  /** Negative when slot a comes first, positive when b does, 0 when the numbers cannot tell. */
  compare(a: number, b: number): number {
    const [p, q] = [this.platformOf[a], this.platformOf[b]];
    if (p !== q) return this.platforms[p] < this.platforms[q] ? -1 : 1;
    for (let k = 0; k < KEYS; k++) {
      const difference = this.handleKeys[a * KEYS + k] - this.handleKeys[b * KEYS + k];
      if (difference !== 0) return difference;
    }
    return 0;
  }

  /** See `image.ts`. */
  writeImage(image: ImageWriter, name: string): void {
    image.value(`${name}.platforms`, this.platforms);
    image.array(`${name}.platformOf`, this.platformOf);
    image.array(`${name}.handleKeys`, this.handleKeys);
  }

  readImage(image: ImageReader, name: string): void {
    for (const platform of image.value<string[]>(`${name}.platforms`)) this.platformIds.set(platform, this.platforms.push(platform) - 1);
    this.platformOf = image.array(`${name}.platformOf`, 'Int32Array');
    this.handleKeys = image.array(`${name}.handleKeys`, 'Float64Array');
  }
}
