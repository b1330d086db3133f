import fs from 'node:fs';
import path from 'node:path';
import { AVATAR_EDITS, renderLogo } from './avatar-edits';
import { AvatarHashes, avatarHashes, screeningAvatar } from './avatar-variants';
import { MirrorIndex } from './mirror-index';
import { PDQ_MIN_QUALITY, pdqDistance } from './pdq';
import { pdqFromImage } from './pdq-image';
import { describeWithPdqReference, PDQ_REFERENCE_DIR } from '../../../../tests/helpers/pdq-reference';

const REMOVED_AT = new Date('2026-11-01T00:00:00Z');
const LOGOS = 16;

describe('avatars found again after an edit', () => {
  const logos: { image: Buffer; hashes: AvatarHashes }[] = [];
  const index = new MirrorIndex();

  beforeAll(async () => {
    for (let seed = 7000; logos.length < LOGOS; seed++) {
      const image = await renderLogo(seed);
      logos.push({ image, hashes: await avatarHashes(image) });
    }
    logos.forEach(({ hashes }, i) => index.add({ id: `logo-${i}`, platform: 'X', handle: `removed_logo_${i}`, avatarPdq: hashes.hex, avatarQuality: hashes.quality, avatarVariants: hashes.variants, removedAt: REMOVED_AT }));
    for (let i = 0; i < 2000; i++) {
      const hex = Array.from({ length: 64 }, (_, d) => ((i * 7919 + d * 104729) % 16).toString(16)).join('');
      index.add({ id: `distractor-${i}`, platform: 'X', handle: `someone${i}`, avatarPdq: hex, avatarQuality: 100, removedAt: REMOVED_AT });
    }
  }, 120_000);

  it.each(Object.keys(AVATAR_EDITS))('finds the right original after "%s", and never another account', async (name) => {
    let found = 0;
    for (const [i, { image }] of logos.entries()) {
      const edited = await avatarHashes(await AVATAR_EDITS[name](image, i));
      const [best] = index.screen({ platform: 'X', handle: `fresh_${i}_unrelated`, ...screeningAvatar(edited) }, { limit: 1, minProbability: 0 });
      const byAvatar = best?.signals.some((s) => s.feature === 'avatar_pdq');
      if (byAvatar) expect(best.account.id).toBe(`logo-${i}`);
      if (byAvatar) found++;
    }
    expect(found / logos.length).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('keeps the plain PDQ as Meta computes it, and indexes the forms apart from it', async () => {
    const { image, hashes } = logos[0];
    expect(hashes.hex).toBe((await pdqFromImage(image)).hex);
    expect(hashes.variants).not.toContain(hashes.hex);
    expect(hashes.variants.length).toBeGreaterThan(0);
    expect(hashes.variants.length).toBeLessThanOrEqual(3);
  });

  it('screens a logo too flat for plain PDQ by its normalised forms alone', async () => {
    const flat = logos.find(({ hashes }) => hashes.quality < PDQ_MIN_QUALITY && hashes.probes.length);
    expect(flat).toBeDefined();
    const avatar = screeningAvatar(flat!.hashes);
    expect(avatar.avatarPdq).not.toContain(flat!.hashes.hex);
    expect(avatar.avatarPdq).toEqual(flat!.hashes.probes);
    expect(avatar.avatarQuality).toBeNull();
  });

  it('without the normalised forms, a 20% crop or a border is not found (what the forms are for)', async () => {
    const { image, hashes } = logos[0];
    for (const edit of ['crop 20% centred', 'border 15% white']) {
      const edited = await avatarHashes(await AVATAR_EDITS[edit](image, 0));
      expect(Math.min(...Object.values(edited.dihedral).map((h) => pdqDistance(h, hashes.hex)))).toBeGreaterThan(31);
    }
  });
});

describeWithPdqReference('avatar hashes of the reference photographs', () => {
  const expected = new Map(
    fs.existsSync(path.join(PDQ_REFERENCE_DIR, 'expected.csv'))
      ? fs.readFileSync(path.join(PDQ_REFERENCE_DIR, 'expected.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',') as [string, string])
      : [],
  );

  it.each(['bridge-1-original.jpg', 'bridge-mods-aaa-orig.jpg', 'small.jpg'])('%s: the plain hash is still the reference hash', async (file) => {
    const hashes = await avatarHashes(path.join(PDQ_REFERENCE_DIR, 'images', file));
    expect(hashes.hex).toBe((await pdqFromImage(path.join(PDQ_REFERENCE_DIR, 'images', file))).hex);
    expect(pdqDistance(hashes.hex, expected.get(file)!)).toBeLessThanOrEqual(10);
  });
});
