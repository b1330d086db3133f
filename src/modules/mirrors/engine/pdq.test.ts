import fs from 'node:fs';
import path from 'node:path';
import { pdqFromImage } from './pdq-image';
import { isPdqHex, PDQ_MATCH_DISTANCE, PDQ_MIN_QUALITY, pdqDistance, pdqFromPixels } from './pdq';
import { describeWithPdqReference, hasPdqReference, PDQ_REFERENCE_DIR as REFERENCE } from '../../../../tests/helpers/pdq-reference';

const expected = hasPdqReference
  ? fs
      .readFileSync(path.join(REFERENCE, 'expected.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',') as [string, string, string])
  : [];

describeWithPdqReference('PDQ against Meta\'s reference hashes', () => {
  it.each(expected.map(([file, hex]) => [file, hex]))('hashes %s within distance 10 of the reference', async (file, hex) => {
    const result = await pdqFromImage(path.join(REFERENCE, 'images', file));
    expect(isPdqHex(result.hex)).toBe(true);
    expect(pdqDistance(result.hex, hex)).toBeLessThanOrEqual(10);
  });

  it.each([
    ['rotate90', 'bridge-2-rotate-90.jpg'],
    ['rotate180', 'bridge-3-rotate-180.jpg'],
    ['rotate270', 'bridge-4-rotate-270.jpg'],
    ['flipX', 'bridge-5-flipx.jpg'],
    ['flipY', 'bridge-6-flipy.jpg'],
    ['flipPlus1', 'bridge-7-flip-plus-1.jpg'],
    ['flipMinus1', 'bridge-8-flip-minus-1.jpg'],
  ] as const)('the %s variant of bridge-1 matches the reference hash of %s', async (variant, file) => {
    const original = await pdqFromImage(path.join(REFERENCE, 'images', 'bridge-1-original.jpg'));
    const reference = expected.find(([name]) => name === file)![1];
    expect(pdqDistance(original.hex, reference)).toBeGreaterThan(PDQ_MATCH_DISTANCE);
    expect(pdqDistance(original.dihedral[variant], reference)).toBeLessThanOrEqual(20);
  });

  it('gives a photograph a quality high enough to count as evidence', async () => {
    expect((await pdqFromImage(path.join(REFERENCE, 'images', 'bridge-1-original.jpg'))).quality).toBeGreaterThanOrEqual(PDQ_MIN_QUALITY);
  });
});

describe('PDQ', () => {
  it('reports quality, and a featureless image is too low to count as evidence', async () => {
    const flat = pdqFromPixels(new Uint8Array(100 * 100 * 3).fill(128), 100, 100, 3);
    expect(flat.quality).toBeLessThan(PDQ_MIN_QUALITY);
    const tiny = pdqFromPixels(new Uint8Array(4 * 4 * 3).fill(200), 4, 4, 3);
    expect(tiny).toMatchObject({ hex: '0'.repeat(64), quality: 0 });
  });

  it('measures Hamming distance over all 256 bits', () => {
    expect(pdqDistance('0'.repeat(64), 'f'.repeat(64))).toBe(256);
    expect(pdqDistance('0'.repeat(63) + '1', '0'.repeat(64))).toBe(1);
  });

  it('refuses what it cannot decode', async () => {
    await expect(pdqFromImage(Buffer.from('not an image'))).rejects.toThrow();
  });
});
