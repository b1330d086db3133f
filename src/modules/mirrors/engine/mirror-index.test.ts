import { PdqMultiIndex } from './mih';
import fc from 'fast-check';
import { MirrorIndex, RemovedAccount, signalEntryOf, strongest } from './mirror-index';
import { FEATURES, ModelWeights, POSSIBLE_THRESHOLD } from './model';
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

describe('attribution between removed accounts that tie', () => {
  const removedAt = new Date('2026-10-01');
  const account = (id: string, fields: Partial<RemovedAccount>): RemovedAccount => ({ id, platform: 'X', handle: `unrelated_${id}`, removedAt, ...fields });
  /** Both insertion orders, so that the winner is not merely the first candidate found. */
  const topOf = (accounts: RemovedAccount[], subject: Parameters<MirrorIndex['screen']>[0], model?: ModelWeights) =>
    [accounts, [...accounts].reverse()].map((order) => {
      const index = new MirrorIndex(model);
      order.forEach((a) => index.add(a));
      return index.screen(subject, { minProbability: 0, now: removedAt.getTime() }).map((m) => m.account.id);
    });

  it('an exact confusable-skeleton match outranks a leet-folded one', () => {
    const skeleton = account('skeleton', { handle: 'ttp_media' });
    const leet = account('leet', { handle: 'ttp_med1a' });
    for (const ranked of topOf([skeleton, leet], { platform: 'X', handle: 'ttр_media' })) expect(ranked.slice(0, 2)).toEqual(['skeleton', 'leet']);
  });

  it('a handle equal as written outranks one equal as a skeleton', () => {
    const written = account('written', { handle: 'ttp_media' });
    const skeleton = account('skeleton', { handle: 'ttр_media' });
    for (const ranked of topOf([skeleton, written], { platform: 'X', handle: 'TTP_Media' })) expect(ranked.slice(0, 2)).toEqual(['written', 'skeleton']);
  });

  it('a shared exact link outranks a shared display name, even a hair more probable', () => {
    // A model that weighs one exact link and one equal display name the same, the name a hair more.
    const weights = Object.fromEntries(FEATURES.map((f) => [f, 0])) as ModelWeights['weights'];
    const model = { bias: 0, weights: { ...weights, shared_links: 4, name_sim: 2.001 } };
    const link = account('link', { bio: 'Follow t.me/fidayeen_press514' });
    const name = account('name', { displayName: 'Fidayeen Press' });
    const subject = { platform: 'X', handle: 'someone_else', displayName: 'Fidayeen Press', bio: 'New home: https://telegram.me/Fidayeen_Press514/?utm_source=x' };
    for (const ranked of topOf([name, link], subject, model)) expect(ranked.slice(0, 2)).toEqual(['link', 'name']);
  });
});

describe('explanations name the values a reviewer can check', () => {
  const removedAt = new Date('2026-10-01');
  const original: RemovedAccount = { id: 'o', platform: 'TELEGRAM', handle: 'tehreek_lashkar_real', links: ['https://t.me/FidayeenPress514'], removedAt };
  const index = new MirrorIndex();
  index.add(original);
  const textsOf = (subject: Parameters<MirrorIndex['screen']>[0]) => index.screen(subject, { minProbability: 0 })[0].signals.map((s) => `${s.feature}: ${s.text}`);

  it('shows the exact link shared, normalised but real, and not its folded key', () => {
    const texts = textsOf({ platform: 'X', handle: 'new_home', bio: 'Join telegram.me/fidayeenpress514?utm_source=x' });
    expect(texts).toContainEqual(expect.stringMatching(/^shared_links: shares t\.me\/fidayeenpress514 with @tehreek_lashkar_real/));
    expect(texts.join('\n')).not.toMatch(/tg:|fuzzy/);
  });

  it('says a look-alike link is a fuzzy match and shows both links', () => {
    const texts = textsOf({ platform: 'X', handle: 'new_home', bio: 'Join t.me/fidayeenpresss1a' });
    expect(texts).toContainEqual(expect.stringContaining('shared_links_fuzzy: links look alike (fuzzy match, not the same link): t.me/fidayeenpresss1a ~ t.me/fidayeenpress514'));
    expect(texts.some((t) => t.startsWith('shared_links:'))).toBe(false);
  });

  it('shows the core as it reads in the removed handle, not the folded key', () => {
    const texts = textsOf({ platform: 'X', handle: 'tehreek_1ashkar_official' }).join('\n');
    expect(texts).toContain('"tehreeklashkar"');
    expect(texts).not.toContain('iashkar');
  });

  it('carries exact links through the signal feed', () => {
    const fed = new MirrorIndex();
    const entry = JSON.parse(JSON.stringify(signalEntryOf('feed-1', original, [])));
    expect(entry.exactLinks).toEqual(['t.me/fidayeenpress514']);
    fed.addSignal(entry);
    const [match] = fed.screen({ platform: 'X', handle: 'new_home', bio: 'Join t.me/FidayeenPress514' }, { minProbability: 0 });
    expect(match.signals.map((s) => s.feature)).toContain('shared_links');
  });

  it('matches links of a feed entry published before exact links only fuzzily', () => {
    const fed = new MirrorIndex();
    const { exactLinks: _published, ...older } = signalEntryOf('feed-1', original, []);
    fed.addSignal(older);
    const [match] = fed.screen({ platform: 'X', handle: 'new_home', bio: 'Join t.me/FidayeenPress514' }, { minProbability: 0 });
    expect(match.signals.map((s) => s.feature)).toEqual(expect.arrayContaining(['shared_links_fuzzy']));
    expect(match.signals.map((s) => s.feature)).not.toContain('shared_links');
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

describe('picking the strongest candidates of a pool', () => {
  it('picks what sorting by value, then by the tie order, and cutting at the quota picks', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 6 }), (slots, quota, levels) => {
        // Few distinct values, as similarities in 64ths have: most of the pool ties.
        const pool = new Map(slots.map((slot) => [slot, ((slot * 7919) % levels) / levels]));
        const order = (a: number, b: number) => ((a * 31) % 997) - ((b * 31) % 997) || a - b;
        const expected = [...pool].sort((a, b) => b[1] - a[1] || order(a[0], b[0])).slice(0, quota).map(([slot]) => slot);
        expect(strongest(pool, quota, order).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('an entry the index refuses', () => {
  it('leaves the index as it was: a bad bio MinHash changes no table, and the accounts sharing its link are still found', () => {
    const index = new MirrorIndex();
    const at = new Date('2026-10-01T00:00:00Z');
    index.add({ id: 'a', platform: 'X', handle: 'fajr_media', links: ['t.me/alphachan'], removedAt: at });
    const bad = { ...signalEntryOf('b', { id: 'b', platform: 'X', handle: 'zarb_news', links: ['t.me/alphachan'], removedAt: at }, []), bioMinhash: Buffer.alloc(128).toString('base64') };
    expect(() => index.addSignal(bad)).toThrow(/64 words/);
    expect(index.size).toBe(1);
    index.remove('b');
    const subject = { platform: 'TELEGRAM', handle: 'unrelated_handle', links: ['t.me/alphachan'] };
    expect(index.screen(subject, { minProbability: 0, now: at.getTime() }).map((m) => m.account.id)).toEqual(['a']);
  });
});
