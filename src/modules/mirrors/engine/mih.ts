import { PDQ_MATCH_DISTANCE, pdqDistance } from './pdq';

const CHUNKS = 16;

/**
 * Multi-index hashing over 256-bit PDQ hashes: 16 tables keyed by one 16-bit chunk each. Two
 * hashes within distance 31 differ by at most 1 bit in at least one chunk (pigeonhole), so probing
 * each chunk's value and its 16 one-bit neighbours finds every match without scanning.
 */
export class PdqMultiIndex<T> {
  private readonly tables = Array.from({ length: CHUNKS }, () => new Map<number, T[]>());
  private readonly hashes = new Map<T, string>();

  get size(): number {
    return this.hashes.size;
  }

  add(id: T, hex: string): void {
    this.remove(id);
    this.hashes.set(id, hex);
    chunksOf(hex).forEach((value, c) => {
      const bucket = this.tables[c].get(value);
      if (bucket) bucket.push(id);
      else this.tables[c].set(value, [id]);
    });
  }

  remove(id: T): void {
    const hex = this.hashes.get(id);
    if (!hex) return;
    this.hashes.delete(id);
    chunksOf(hex).forEach((value, c) => {
      const bucket = this.tables[c].get(value);
      if (!bucket) return;
      const kept = bucket.filter((other) => other !== id);
      if (kept.length) this.tables[c].set(value, kept);
      else this.tables[c].delete(value);
    });
  }

  /** Every indexed id within `radius` of any of the query hashes, with its smallest distance. */
  search(queries: string[], radius = PDQ_MATCH_DISTANCE): Map<T, number> {
    const found = new Map<T, number>();
    for (const query of queries) {
      const checked = new Set<T>();
      const chunks = chunksOf(query);
      for (let c = 0; c < CHUNKS; c++) {
        for (let flip = -1; flip < 16; flip++) {
          const probe = flip < 0 ? chunks[c] : chunks[c] ^ (1 << flip);
          for (const id of this.tables[c].get(probe) ?? []) {
            if (checked.has(id)) continue;
            checked.add(id);
            const distance = pdqDistance(query, this.hashes.get(id)!);
            if (distance <= radius && distance < (found.get(id) ?? Infinity)) found.set(id, distance);
          }
        }
      }
    }
    return found;
  }

  hashOf(id: T): string | undefined {
    return this.hashes.get(id);
  }
}

function chunksOf(hex: string): number[] {
  return Array.from({ length: CHUNKS }, (_, c) => parseInt(hex.slice(c * 4, c * 4 + 4), 16));
}
