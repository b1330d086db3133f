import fc from 'fast-check';
import { BioSignatures } from './bio-signatures';
import { strongest } from './mirror-index';
import { MINHASH_SIZE } from './text';

/** A MinHash that keeps `same` of the query's words and changes the others, some only above their low byte. */
function near(query: Uint32Array, same: number, seed: number): Uint32Array {
  const words = Uint32Array.from(query);
  for (let w = same; w < MINHASH_SIZE; w++) words[(w * 37 + seed) % MINHASH_SIZE] ^= (seed + w) % 3 === 0 ? 0x100 : 0x10001;
  return words;
}

describe('the bio pool', () => {
  it('keeps every bio that can make the quota, with its exact similarity, so the quota picks what it picks from the whole pool', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: MINHASH_SIZE }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 1000 }), (sames, quota, seed) => {
        const query = Uint32Array.from({ length: MINHASH_SIZE }, (_, i) => (i * 2654435761 + seed) >>> 0);
        const bios = new BioSignatures();
        bios.ensureCapacity(sames.length + 1);
        sames.forEach((same, slot) => bios.set(slot, near(query, same, seed + slot)));
        bios.set(sames.length, null);
        const everything = new Map(sames.map((_, slot) => [slot, bios.similarity(query, slot)]));
        // Postings overlap, as LSH bands do: a slot met twice is one member of the pool.
        const postings = [sames.map((_, slot) => slot).filter((slot) => slot % 2 === 0), sames.map((_, slot) => slot), [sames.length]];
        const pool = bios.pool(query, postings, quota);
        for (const [slot, similarity] of pool) expect(similarity).toBe(everything.get(slot) ?? 0);
        const order = (a: number, b: number) => a - b;
        everything.set(sames.length, 0);
        expect(strongest(pool, quota, order).sort(order)).toEqual(strongest(everything, quota, order).sort(order));
        // The pool is the point: most of a large one is never read in full.
        if (sames.length >= 200 && quota <= 20 && new Set(sames).size > 40) expect(pool.size).toBeLessThan(sames.length);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the full MinHash of a bio whose sketch agrees with the query, and gives its exact similarity', () => {
    const query = new Uint32Array(MINHASH_SIZE).fill(0x01);
    const bios = new BioSignatures();
    bios.ensureCapacity(2);
    bios.set(0, new Uint32Array(MINHASH_SIZE).fill(0x02));
    bios.set(1, new Uint32Array(MINHASH_SIZE).fill(0x101));
    expect(bios.pool(query, [[0, 1]], 5)).toEqual(new Map([[0, 0], [1, 0]]));
    expect(bios.similarity(query, 1)).toBe(0);
  });

  it('reads every bio whose bound equals the cut: a tie there may come first in the public order', () => {
    const query = Uint32Array.from({ length: MINHASH_SIZE }, (_, i) => i + 1);
    const changed = (words: number, aboveLowByte: number) => {
      const bio = Uint32Array.from(query);
      for (let w = 0; w < words; w++) bio[w] ^= 0x10001;
      for (let w = words; w < words + aboveLowByte; w++) bio[w] ^= 0x100;
      return bio;
    };
    const bios = new BioSignatures();
    bios.ensureCapacity(2);
    // Both keep 54 of 64 words; slot 1's sketch agrees on ten more, so it is read first and sets the cut.
    bios.set(0, changed(10, 0));
    bios.set(1, changed(0, 10));
    const pool = bios.pool(query, [[1, 0]], 1);
    expect(pool).toEqual(new Map([[0, 54 / 64], [1, 54 / 64]]));
    expect(strongest(pool, 1, (a, b) => a - b)).toEqual([0]);
  });
});
