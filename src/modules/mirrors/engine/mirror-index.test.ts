import { PdqMultiIndex } from './mih';
import { MirrorIndex } from './mirror-index';
import { POSSIBLE_THRESHOLD } from './model';
import { pdqDistance } from './pdq';
import { generateLabelledSet, rng } from './synthetic';

describe('the mirror index against brute force', () => {
  const set = generateLabelledSet({ seed: 99, banned: 3000, positivesPerFamily: 30, negativesPerFamily: 40 });
  const index = new MirrorIndex();
  set.banned.forEach((account) => index.add(account));

  it('loses under 1% of the originals a full scan finds at POSSIBLE_MIRROR or above', () => {
    let byScan = 0;
    let byIndex = 0;
    for (const query of set.queries.filter((q) => q.originalId)) {
      const found = (matches: { account: { id: string } }[]) => matches.some((m) => m.account.id === query.originalId);
      if (!found(index.screenBruteForce(query.subject, { limit: 10, minProbability: POSSIBLE_THRESHOLD }))) continue;
      byScan++;
      if (found(index.screen(query.subject, { limit: 10, minProbability: POSSIBLE_THRESHOLD }))) byIndex++;
    }
    expect(byScan).toBeGreaterThan(150);
    expect(byIndex / byScan).toBeGreaterThanOrEqual(0.99);
  });

  it('ranks the true original first for most mirrors, and explains the match', () => {
    const positives = set.queries.filter((q) => q.originalId);
    const first = positives.filter((q) => index.screen(q.subject)[0]?.account.id === q.originalId);
    expect(first.length / positives.length).toBeGreaterThan(0.85);
    const [match] = index.screen(positives[0].subject);
    expect(match.signals.length).toBeGreaterThan(0);
    expect(match.signals[0].text).toMatch(/removed \d{4}-\d{2}-\d{2}/);
  });

  it('forgets a reinstated account', () => {
    const query = set.queries.find((q) => q.family === 'leetspeak')!;
    expect(index.screen(query.subject)[0].account.id).toBe(query.originalId);
    const original = set.banned.find((a) => a.id === query.originalId)!;
    index.remove(original.id);
    expect(index.screen(query.subject).map((m) => m.account.id)).not.toContain(original.id);
    index.add(original);
  });
});

describe('multi-index hashing over PDQ', () => {
  it('returns exactly the hashes a linear scan finds within distance 31', () => {
    const r = rng(5);
    const hex = () => Array.from({ length: 64 }, () => '0123456789abcdef'[r.int(16)]).join('');
    const flip = (h: string, bits: number) => {
      const n = h.split('').map((c) => parseInt(c, 16));
      for (let i = 0; i < bits; i++) n[r.int(64)] ^= 1 << r.int(4);
      return n.map((x) => x.toString(16)).join('');
    };
    const base = Array.from({ length: 40 }, hex);
    const stored = new Map<string, string>();
    const mih = new PdqMultiIndex<string>();
    for (let i = 0; i < 4000; i++) {
      const h = flip(base[i % base.length], r.int(60));
      stored.set(`h${i}`, h);
      mih.add(`h${i}`, h);
    }
    for (let q = 0; q < 60; q++) {
      const query = flip(base[q % base.length], r.int(20));
      const expected = [...stored].filter(([, h]) => pdqDistance(h, query) <= 31).map(([id]) => id).sort();
      expect([...mih.search([query]).keys()].sort()).toEqual(expected);
    }
  });

  it('forgets a removed hash and reuses its slot for the next one', () => {
    const mih = new PdqMultiIndex<string>();
    const a = '0'.repeat(64);
    const b = 'f'.repeat(64);
    mih.add('a', a);
    mih.remove('a');
    mih.add('b', b);
    expect(mih.size).toBe(1);
    expect([...mih.search([a]).keys()]).toEqual([]);
    expect([...mih.search([b])]).toEqual([['b', 0]]);
  });
});
