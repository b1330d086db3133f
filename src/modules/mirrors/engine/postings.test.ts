import fc from 'fast-check';
import { Postings } from './postings';

describe('Postings', () => {
  it('gives back what a Map of insertion-ordered Sets would, through growth, deletion and reuse', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 200 })), { minLength: 3000, maxLength: 8000 }), (ops) => {
        const postings = new Postings();
        const reference = new Map<number, Set<number>>();
        // Keys far apart and near 2^32, so chains mix keys and unsigned keys round-trip; some runs hold
        // more than 2,048 postings, which grows the table past its first size.
        const keyOf = (k: number) => (k * 0x9e3779b1) >>> 0;
        for (const [add, k, value] of ops) {
          const key = keyOf(k);
          const held = reference.get(key) ?? new Set<number>();
          if (add && !held.has(value)) {
            postings.add(key, value);
            reference.set(key, held.add(value));
          } else if (!add) {
            postings.delete(key, value);
            held.delete(value);
          }
        }
        let live = 0;
        for (let k = 0; k <= 40; k++) {
          const expected = [...(reference.get(keyOf(k)) ?? [])];
          live += expected.length;
          expect(postings.get(keyOf(k)) ?? []).toEqual(expected);
          expect(postings.get(keyOf(k), 2)).toEqual(expected.length > 2 || !expected.length ? undefined : expected);
        }
        expect(postings.size).toBe(live);
      }),
      { numRuns: 25 },
    );
  });
});
