import { PdqMultiIndex } from './mih';
import { pdqDistance } from './pdq';

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
