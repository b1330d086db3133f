import fc from 'fast-check';
import { PublicOrder } from './public-order';

const full = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

describe('the public order by numbers', () => {
  it('decides as comparing platform and handle would, or says it cannot', () => {
    // Handles that share long prefixes, code units past 7 bits, and prefixes of one another.
    const letters = fc.constantFrom('a', 'z', '_', '}', '~', '\u007f', 'ö', 'ü', 'ä', 'ع', 'م', '\u0000');
    const handle = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.array(letters, { maxLength: 18 }).map((units) => units.join('')),
      fc.constantFrom('umar_media', 'umar_media_', 'umar_media_official', 'umar_media_officiam', 'ümar', 'عمر', 'umar\u0000'),
    );
    const platform = fc.constantFrom('X', 'TELEGRAM', 'TELEGRAPH', 'YOUTUBE', 'X2');
    fc.assert(
      fc.property(fc.array(fc.tuple(platform, handle), { minLength: 2, maxLength: 40 }), (accounts) => {
        const order = new PublicOrder();
        order.ensureCapacity(accounts.length);
        accounts.forEach(([p, h], slot) => order.set(slot, p, h));
        for (let a = 0; a < accounts.length; a++) {
          for (let b = 0; b < accounts.length; b++) {
            const said = Math.sign(order.compare(a, b));
            if (said !== 0) expect(said).toBe(full(accounts[a], accounts[b]));
            else expect(accounts[a][0]).toBe(accounts[b][0]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  /** The sign of comparing the handles at `a` and `b`, all on one platform. */
  const signOf = (handles: string[], a: number, b: number) => {
    const order = new PublicOrder();
    order.ensureCapacity(handles.length);
    handles.forEach((handle, slot) => order.set(slot, 'X', handle));
    return Math.sign(order.compare(a, b));
  };

  it('leaves handles undecided past a unit it cannot hold, which could be any of several', () => {
    const handles = ['~z', 'üa', '}z'];
    expect(signOf(handles, 0, 1)).toBe(0);
    expect(signOf(handles, 2, 1)).toBe(-1);
  });

  it('tells handles apart by their first fourteen code units', () => {
    const handles = ['umar_media_ofb_1', 'umar_media_ofa_2', 'umar_media_ofb_2'];
    expect(signOf(handles, 0, 1)).toBe(1);
    expect(signOf(handles, 0, 2)).toBe(0);
  });
});
