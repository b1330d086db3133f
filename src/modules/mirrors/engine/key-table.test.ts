import fc from 'fast-check';
import { KeyPostings, KeyTable } from './key-table';

describe('KeyTable', () => {
  it('gives each distinct string one id, through growth and after a reservation', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 4000 }), fc.boolean(), (words, reserve) => {
        const table = new KeyTable();
        if (reserve) table.reserve(words.length);
        const reference = new Map<string, number>();
        for (const word of words) {
          expect(table.idOf(word)).toBe(reference.get(word) ?? -1);
          const id = table.intern(word);
          if (!reference.has(word)) reference.set(word, reference.size);
          expect(id).toBe(reference.get(word));
        }
        expect(table.size).toBe(reference.size);
        for (const [word, id] of reference) {
          expect(table.idOf(word)).toBe(id);
          expect(table.stringOf(id)).toBe(word);
        }
        expect(table.idOf('\u0000not interned')).toBe(-1);
      }),
      { numRuns: 30 },
    );
  });
});

describe('KeyPostings', () => {
  it('counts what is under a key and gives nothing past the limit', () => {
    const postings = new KeyPostings();
    [3, 5, 8].forEach((slot) => postings.add(2000, slot));
    postings.add(7, 1);
    postings.delete(2000, 5);
    expect(postings.count(2000)).toBe(2);
    expect(postings.get(2000)?.sort()).toEqual([3, 8]);
    expect(postings.get(2000, 1)).toBeUndefined();
    expect(postings.count(-1)).toBe(0);
    expect(postings.count(99_999)).toBe(0);
    expect(postings.get(99_999)).toBeUndefined();
    postings.delete(7, 1);
    expect(postings.get(7)).toBeUndefined();
  });
});
