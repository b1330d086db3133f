import { distance as levenshtein } from 'fastest-levenshtein';
import { DeletionIndex, isAdjacentSwap, withinOneTypo } from './deletion-index';
import { KeyTable } from './key-table';
import { rng } from './synthetic';

/** A deletion index over a key table of its own, filed and searched by string. */
function indexOf(words: string[]) {
  const keys = new KeyTable();
  const index = new DeletionIndex(keys);
  words.forEach((w) => index.add(keys.intern(w)));
  return { index, search: (query: string) => index.search(query).map((id) => keys.stringOf(id)) };
}

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
    const { index, search } = indexOf(stored);
    const unique = [...new Set(stored)];
    expect(index.size).toBe(unique.length);
    for (let q = 0; q < 200; q++) {
      const query = q % 2 ? mutate(stored[r.int(stored.length)]) : word();
      const expected = unique.filter((w) => withinOneTypo(w, query)).sort();
      expect(search(query).sort()).toEqual(expected);
    }
  });

  it('tells apart strings whose deletions coincide', () => {
    const { search } = indexOf(['aab', 'abb', 'ab', 'ba']);
    expect(search('ab').sort()).toEqual(['aab', 'ab', 'abb', 'ba']);
    expect(search('bb').sort()).toEqual(['ab', 'abb', 'ba']);
  });

  it('counts two neighbouring letters typed the other way round as one typo, and nothing else', () => {
    expect(isAdjacentSwap('fajr', 'farj')).toBe(true);
    expect(isAdjacentSwap('khorasan', 'khoraasn')).toBe(true);
    expect(isAdjacentSwap('fajr', 'fajr')).toBe(false);
    expect(isAdjacentSwap('abc', 'cba')).toBe(false);
    expect(isAdjacentSwap('abcd', 'badc')).toBe(false);
    expect(isAdjacentSwap('fajr', 'farjx')).toBe(false);
    expect(levenshtein('fajr', 'farj')).toBe(2);
    const { search } = indexOf(['fajriskp']);
    expect(search('farjiskp')).toEqual(['fajriskp']);
    expect(search('afjrsikp')).toEqual([]);
  });

  it('finds a string one typo away from a query longer than any seen before', () => {
    // The first query of a new record length grows the scratch array its hashes go into.
    const r = rng(3);
    const stored = Array.from({ length: 300 }, () => 'abcdefghij'[r.int(10)]).join('');
    const { search } = indexOf([stored]);
    // A query as long first, so that the old scratch array holds none of the stored string's hashes.
    expect(search(stored.replace(/./g, (c) => 'klmnopqrst'['abcdefghij'.indexOf(c)]))).toEqual([]);
    expect(search(`${stored}k`)).toEqual([stored]);
  });
});
