import { PdqMultiIndex } from './mih';
import { pdqDistance } from './pdq';
import { rng } from './synthetic';

/** A hash `bits` bits away from `hex`, flipping the lowest bits of successive digits. */
function flipped(hex: string, bits: number): string {
  const digits = [...hex];
  for (let b = 0; b < bits; b++) {
    const at = 63 - (b % 64);
    digits[at] = (parseInt(digits[at], 16) ^ (1 << Math.floor(b / 64))).toString(16);
  }
  return digits.join('');
}

const A = '0123456789abcdef'.repeat(4);
const B = 'fedcba9876543210'.repeat(4);
const C = 'a5a5a5a55a5a5a5a'.repeat(4);

describe('PdqMultiIndex with several hashes per id', () => {
  it('finds an id by any of its hashes, once, with its smallest distance', () => {
    const index = new PdqMultiIndex<string>();
    index.add('logo', [A, B]);
    index.add('other', C);
    expect(pdqDistance(flipped(B, 5), B)).toBe(5);
    expect(index.search([flipped(B, 5)])).toEqual(new Map([['logo', 5]]));
    expect(index.search([flipped(A, 20), flipped(B, 3)])).toEqual(new Map([['logo', 3]]));
    expect(index.distance('logo', [flipped(A, 7), flipped(B, 12)])).toBe(7);
    expect(index.size).toBe(2);
    expect(index.hashes).toBe(3);
  });

  it('removes every hash of an id, and re-adding replaces the old hashes', () => {
    const index = new PdqMultiIndex<string>();
    index.add('logo', [A, B]);
    index.remove('logo');
    expect(index.search([A, B])).toEqual(new Map());
    expect(index.hashes).toBe(0);
    index.add('logo', [A, B]);
    index.add('logo', [C]);
    expect(index.search([A, B])).toEqual(new Map());
    expect(index.search([C])).toEqual(new Map([['logo', 0]]));
    expect(index.hashes).toBe(1);
  });

  it('reuses the freed slots without mixing owners up', () => {
    const index = new PdqMultiIndex<string>();
    index.add('first', [A, B]);
    index.add('second', C);
    index.remove('first');
    index.add('third', [flipped(A, 40), B]);
    expect(index.search([B])).toEqual(new Map([['third', 0]]));
    expect(index.distance('second', [C])).toBe(0);
    expect(index.distance('first', [A])).toBe(256);
  });
});

describe('PdqMultiIndex against a scan', () => {
  it('finds what a scan finds through bulk loads, builds, overlay changes, removals and reused slots', () => {
    const r = rng(5);
    const randomHash = () => Array.from({ length: 64 }, () => '0123456789abcdef'[r.int(16)]).join('');
    // Near copies of a few originals, so that searches meet hashes within the radius and beyond it.
    const originals = Array.from({ length: 12 }, randomHash);
    const nearby = () => flipped(originals[r.int(originals.length)], r.int(45));
    const index = new PdqMultiIndex<number>(8);
    const held = new Map<number, string[]>();
    index.reserve(100);
    for (let round = 0; round < 30; round++) {
      for (let op = 0; op < 25; op++) {
        const id = r.int(120);
        if (r.int(4) === 0) {
          index.remove(id);
          held.delete(id);
        } else {
          const hashes = Array.from({ length: 1 + r.int(3) }, () => (r.int(3) ? nearby() : randomHash()));
          index.add(id, hashes);
          held.set(id, [...new Set(hashes)]);
        }
      }
      if (round % 7 === 3) index.settle();
      const queries = [nearby(), nearby()];
      const expected = new Map<number, number>();
      for (const [id, hashes] of held) {
        const best = Math.min(...hashes.flatMap((h) => queries.map((q) => pdqDistance(h, q))));
        if (best <= 31) expected.set(id, best);
      }
      const found = index.search(queries);
      expect(new Map([...found].sort((a, b) => a[0] - b[0]))).toEqual(new Map([...expected].sort((a, b) => a[0] - b[0])));
      expect(index.hashes).toBe([...held.values()].reduce((n, h) => n + h.length, 0));
    }
  });
});
