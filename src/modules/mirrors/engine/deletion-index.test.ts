import { distance as levenshtein } from 'fastest-levenshtein';
import { DeletionIndex, isAdjacentSwap, withinOneTypo } from './deletion-index';
import { rng } from './synthetic';

describe('the one-typo deletion index', () => {
  it('returns exactly the strings a linear scan finds within one typo, across growth', () => {
    const r = rng(11);
    const word = () => Array.from({ length: 3 + r.int(12) }, () => 'abcdeimnot'[r.int(10)]).join('');
    const mutate = (w: string) => {
      const at = r.int(w.length + 1);
      const c = 'abcdeimnot'[r.int(10)];
      const swapped = at + 1 < w.length ? w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2) : w;
      return [w.slice(0, at) + c + w.slice(at), w.slice(0, at) + w.slice(at + 1), w.slice(0, at) + c + w.slice(at + 1), swapped][r.int(4)];
    };
    const stored = Array.from({ length: 30_000 }, word);
    const index = new DeletionIndex();
    stored.forEach((w) => index.add(w));
    const unique = [...new Set(stored)];
    expect(index.size).toBe(unique.length);
    for (let q = 0; q < 200; q++) {
      const query = q % 2 ? mutate(stored[r.int(stored.length)]) : word();
      const expected = unique.filter((w) => withinOneTypo(w, query)).sort();
      expect(index.search(query).sort()).toEqual(expected);
    }
  });

  it('tells apart strings whose deletions coincide', () => {
    const index = new DeletionIndex();
    ['aab', 'abb', 'ab', 'ba'].forEach((w) => index.add(w));
    expect(index.search('ab').sort()).toEqual(['aab', 'ab', 'abb', 'ba']);
    expect(index.search('bb').sort()).toEqual(['ab', 'abb', 'ba']);
  });

  it('counts two neighbouring letters typed the other way round as one typo, and nothing else', () => {
    expect(isAdjacentSwap('fajr', 'farj')).toBe(true);
    expect(isAdjacentSwap('khorasan', 'khoraasn')).toBe(true);
    expect(isAdjacentSwap('fajr', 'fajr')).toBe(false);
    expect(isAdjacentSwap('abc', 'cba')).toBe(false);
    expect(isAdjacentSwap('abcd', 'badc')).toBe(false);
    expect(isAdjacentSwap('fajr', 'farjx')).toBe(false);
    expect(levenshtein('fajr', 'farj')).toBe(2);
    const index = new DeletionIndex();
    index.add('fajriskp');
    expect(index.search('farjiskp')).toEqual(['fajriskp']);
    expect(index.search('afjrsikp')).toEqual([]);
  });
});
