import { distance as levenshtein } from 'fastest-levenshtein';
import { DeletionIndex } from './deletion-index';
import { rng } from './synthetic';

describe('the one-edit deletion index', () => {
  it('returns exactly the strings a linear scan finds within one edit, across growth', () => {
    const r = rng(11);
    const word = () => Array.from({ length: 3 + r.int(12) }, () => 'abcdeimnot'[r.int(10)]).join('');
    const mutate = (w: string) => {
      const at = r.int(w.length + 1);
      const c = 'abcdeimnot'[r.int(10)];
      return [w.slice(0, at) + c + w.slice(at), w.slice(0, at) + w.slice(at + 1), w.slice(0, at) + c + w.slice(at + 1)][r.int(3)];
    };
    const stored = Array.from({ length: 30_000 }, word);
    const index = new DeletionIndex();
    stored.forEach((w) => index.add(w));
    const unique = [...new Set(stored)];
    expect(index.size).toBe(unique.length);
    for (let q = 0; q < 200; q++) {
      const query = q % 2 ? mutate(stored[r.int(stored.length)]) : word();
      const expected = unique.filter((w) => levenshtein(w, query) <= 1).sort();
      expect(index.search(query).sort()).toEqual(expected);
    }
  });

  it('tells apart strings whose deletions coincide', () => {
    const index = new DeletionIndex();
    ['aab', 'abb', 'ab', 'ba'].forEach((w) => index.add(w));
    expect(index.search('ab').sort()).toEqual(['aab', 'ab', 'abb']);
    expect(index.search('bb').sort()).toEqual(['ab', 'abb', 'ba']);
  });
});
