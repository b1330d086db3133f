import fc from 'fast-check';
import { Postings } from './postings';

describe('Postings', () => {
  it('gives back what a Map of Sets would, through bulk loads, builds, deletion from either part and reuse', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 400 })), { minLength: 3000, maxLength: 8000 }),
        fc.boolean(),
        (ops, builds) => {
          const postings = new Postings();
          const reference = new Map<number, Set<number>>();
          // Keys far apart and near 2^32, so chains mix keys and unsigned keys round-trip. Runs without
          // builds hold more than 2,048 postings in the overlay, which relinks its chains.
          const keyOf = (k: number) => (k * 0x9e3779b1) >>> 0;
          for (const [op, k, value] of ops) {
            const key = keyOf(k);
            const held = reference.get(key) ?? new Set<number>();
            // Now and then a bulk load starts (appends until the next read) or the table is built.
            if (builds && op === 0) postings.reserve(100);
            else if (builds && op === 1) postings.settle();
            else if (op < 40 && !held.has(value)) {
              postings.add(key, value);
              reference.set(key, held.add(value));
            } else if (op >= 40) {
              postings.delete(key, value);
              held.delete(value);
            }
          }
          let live = 0;
          const sorted = (values: number[] | undefined) => values && [...values].sort((a, b) => a - b);
          for (let k = 0; k <= 40; k++) {
            const expected = [...(reference.get(keyOf(k)) ?? [])].sort((a, b) => a - b);
            live += expected.length;
            expect(sorted(postings.get(keyOf(k))) ?? []).toEqual(expected);
            expect(sorted(postings.get(keyOf(k), 2))).toEqual(expected.length > 2 || !expected.length ? undefined : expected);
          }
          expect(postings.size).toBe(live);
        },
      ),
      { numRuns: 30 },
    );
  });
});
