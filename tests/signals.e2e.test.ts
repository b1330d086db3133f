import zlib from 'node:zlib';
import fc from 'fast-check';
import { Role } from '../src/auth/roles';
import { keySetOf, SignalMatcher } from '../src/matcher';
import { KeySet, SignalChange, verifyDocument } from '../src/matcher/codec';
import type { SignalEntry } from '../src/modules/mirrors/engine/mirror-index';
import { nameKeys } from '../src/modules/mirrors/engine/normalise';
import { linkTokens } from '../src/modules/mirrors/engine/text';
import { useCasework } from './helpers/casework';

const PUBLIC_FIELDS = ['avatarPdq', 'avatarVariants', 'bioMinhash', 'displayName', 'exactLinks', 'handle', 'handleKeys', 'id', 'links', 'nameKeys', 'organisations', 'platform', 'removedAt'];

describe('the signal feed over HTTP', () => {
  const t = useCasework({ PAX_PARTNER_CACHE_SECONDS: '0' });
  let xSystem: string;
  let keys: KeySet;
  const base = () => t.exchange.url.replace('/graphql', '/signals/v1');

  const get = async (path: string, token: string | null = xSystem, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base()}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  };
  const document = async (path: string) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    return response.body;
  };

  /** A flagged account, carrying what must never reach the feed, and its request brought to SUBMITTED. */
  const flagged = async (handle: string) => {
    const organisation = await t.cw.organisation(t.cw.analyst, 'SECRET-organisation-note');
    const data = await t.cw.ok(t.cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
      input: {
        platform: 'X', handle, displayName: `Name ${handle}`, bio: `SECRET-bio-text of ${handle}. Join t.me/${handle}_backup`, links: [`https://t.me/${handle}_backup`],
        avatarPdq: [...handle.padEnd(32, 'x')].map((c) => (c.charCodeAt(0) % 256).toString(16).padStart(2, '0')).join('').slice(0, 64),
        organisationIds: [organisation], internalNotes: 'SECRET-account-note', evidence: [{ url: 'https://evidence.example/SECRET-evidence', classification: 'RESTRICTED' }],
      },
    });
    const draft = await t.cw.draft({ accountIds: [data.flagAccount.id], internalNotes: 'SECRET-request-note' });
    await t.cw.move(t.cw.supervisor, draft.id, 'SUBMITTED');
    return { accountId: data.flagAccount.id as string, requestId: draft.id as string, status: 'SUBMITTED', handle };
  };
  const action = (requestId: string) => t.cw.move(t.cw.xReviewer, requestId, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED' });
  const reinstate = (requestId: string) => t.cw.move(t.cw.xReviewer, requestId, 'REINSTATED');

  beforeAll(async () => {
    xSystem = t.exchange.token('x', Role.PLATFORM_SYSTEM, 'x-signup-service');
    const published = await get('/keys', null);
    expect(published.status).toBe(200);
    keys = keySetOf(JSON.parse(published.body.toString()));
  });

  it('serves PLATFORM_SYSTEM tokens only; a deactivated partner gets nothing', async () => {
    expect((await get('/snapshot', null)).status).toBe(401);
    expect((await get('/snapshot', 'not-a-token')).status).toBe(401);
    for (const token of [t.cw.xReviewer, t.cw.system, t.cw.supervisor]) {
      const refused = await get('/snapshot', token);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body.toString()).errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await get('/changes?after=0', token)).status).toBe(403);
      expect((await get('/hma/pdq.txt', token)).status).toBe(403);
    }
    await t.exchange.services.partners.add({ slug: 'retiring', kind: 'PLATFORM' as never, platforms: ['TIKTOK' as never] });
    const retiring = t.exchange.token('retiring', Role.PLATFORM_SYSTEM);
    expect((await get('/snapshot', retiring)).status).toBe(200);
    await t.exchange.services.partners.setActive('retiring', false);
    for (const path of ['/snapshot', '/changes?after=0', '/hma/pdq.txt']) {
      const refused = await get(path, retiring);
      expect(refused.status).toBe(401);
      expect(refused.body.toString()).not.toMatch(/format|pdq /);
    }
  });

  it('tells PLATFORM_SYSTEM tokens, and only them, the cursor and counts through GraphQL', async () => {
    const QUERY = '{ signalFeed { cursor floor entries keyIds } }';
    const { header } = verifyDocument(await document('/snapshot'), keys);
    const data = await t.cw.ok(xSystem, QUERY);
    expect(data.signalFeed).toEqual({ cursor: header.cursor, floor: 0, entries: header.count, keyIds: [...keys.keys()] });
    for (const token of [t.cw.xReviewer, t.cw.system, t.cw.analyst]) {
      const refused = await t.exchange.gql(token, QUERY);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.data?.signalFeed ?? null).toBeNull();
    }
    expect((await t.exchange.gql(null, QUERY)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('publishes the public view and matching keys of a removed account, nothing else, gzip-compressed', async () => {
    const account = await flagged('feed_public_view');
    const before = verifyDocument(await document('/snapshot'), keys);
    await action(account.requestId);
    const response = await get('/snapshot', xSystem, { 'accept-encoding': 'gzip' });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const { header, records } = verifyDocument(response.body, keys);
    expect(header).toMatchObject({ kind: 'snapshot', count: before.header.count + 1 });
    expect(header.cursor).toBeGreaterThan(before.header.cursor);
    const entry = (records as SignalEntry[]).find((e) => e.handle === 'feed_public_view')!;
    expect(Object.keys(entry).sort()).toEqual(PUBLIC_FIELDS);
    expect(entry).toMatchObject({ platform: 'X', displayName: 'Name feed_public_view', links: linkTokens(['t.me/feed_public_view_backup']).fuzzy, exactLinks: ['t.me/feed_public_view_backup'], handleKeys: nameKeys('feed_public_view') });
    expect(entry.organisations).toHaveLength(1);
    expect(Buffer.from(entry.bioMinhash!, 'base64')).toHaveLength(256);
    const text = response.body.toString() + (await document('/changes?after=0')).toString();
    expect(text).not.toMatch(/SECRET|pta|PECA/);
    expect(text).not.toContain(account.accountId);
    expect(text).not.toContain(account.requestId);
  });

  it('serves the avatar hashes as a hash list in HMA local-file format', async () => {
    const list = (await document('/hma/pdq.txt')).toString();
    const lines = list.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^pdq [0-9a-f]{64}$/);
    const snapshot = verifyDocument(await document('/snapshot'), keys).records as SignalEntry[];
    expect(new Set(lines.map((l) => l.slice(4)))).toEqual(new Set(snapshot.flatMap((e) => (e.avatarPdq ? [e.avatarPdq] : []))));
  });

  it('a snapshot plus the changes after it equals the server index after any sequence of removals and reinstatements', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ account: fc.nat(3), op: fc.constantFrom('action', 'reinstate') }), { minLength: 1, maxLength: 10 }), fc.nat(4), async (ops, limitSeed) => {
        round++;
        const accounts = await Promise.all([0, 1, 2, 3].map((i) => flagged(`seq_${round}_${i}`)));
        const matcher = new SignalMatcher(keys);
        await matcher.loadSnapshot(await document('/snapshot'));
        const start = matcher.cursor;
        for (const { account, op } of ops) {
          const a = accounts[account];
          if (op === 'action' && (a.status === 'SUBMITTED' || a.status === 'REINSTATED')) {
            if (a.status === 'REINSTATED') await t.cw.move(t.cw.supervisor, a.requestId, 'ESCALATED');
            await action(a.requestId);
            a.status = 'ACTIONED';
          } else if (op === 'reinstate' && a.status === 'ACTIONED') {
            await reinstate(a.requestId);
            a.status = 'REINSTATED';
          }
        }
        // Pulled in small batches, as a client catching up would.
        const limit = 1 + limitSeed;
        for (let guard = 0; guard < 100; guard++) {
          const batch = await get(`/changes?after=${matcher.cursor}&limit=${limit}`);
          expect(batch.status).toBe(200);
          await matcher.applyChanges(batch.body);
          if (matcher.cursor === Number(batch.headers.get('x-pax-head'))) break;
        }
        const fresh = verifyDocument(await document('/snapshot'), keys);
        expect(matcher.cursor).toBe(fresh.header.cursor);
        expect(matcher.cursor).toBeGreaterThanOrEqual(start);
        const freshEntries = fresh.records as SignalEntry[];
        expect(matcher.size).toBe(freshEntries.length);
        for (const entry of freshEntries) expect(matcher.has(entry.id)).toBe(true);
        // The feed agrees with the server's own index, account by account.
        const index = t.exchange.services.mirrors.index;
        for (let i = 0; i < 100 && (await Promise.all(accounts.map(async (a) => (await index.has(a.accountId)) !== (a.status === 'ACTIONED')))).some(Boolean); i++) {
          await new Promise((r) => setTimeout(r, 20));
        }
        for (const a of accounts) {
          const inFeed = freshEntries.some((e) => e.handle === a.handle);
          expect(inFeed).toBe(a.status === 'ACTIONED');
          expect(await index.has(a.accountId)).toBe(inFeed);
        }
      }),
      { numRuns: 6 },
    );
  }, 120000);

  it('a reinstatement publishes a tombstone under the entry id of the upsert', async () => {
    const account = await flagged('feed_tombstone');
    const { header } = verifyDocument(await document('/snapshot'), keys);
    await action(account.requestId);
    await reinstate(account.requestId);
    const changes = verifyDocument(await document(`/changes?after=${header.cursor}`), keys).records as SignalChange[];
    expect(changes.map((c) => c.op)).toEqual(['upsert', 'tombstone']);
    expect(changes[1]).toEqual({ seq: changes[0].seq + 1, op: 'tombstone', id: changes[0].op === 'upsert' ? changes[0].entry.id : '' });
  });

  it('refuses a document with any byte flipped, compressed or not, and a truncated one', async () => {
    const body = await document(`/changes?after=0&limit=3`);
    expect(() => verifyDocument(body, keys)).not.toThrow();
    for (let i = 0; i < body.length; i++) {
      const copy = Buffer.from(body);
      copy[i] ^= 0x01;
      expect(() => verifyDocument(copy, keys)).toThrow();
    }
    const compressed = zlib.gzipSync(body);
    // From the deflate data on: the gzip header's time and OS bytes are not part of the document.
    for (let i = 10; i < compressed.length; i++) {
      const copy = Buffer.from(compressed);
      copy[i] ^= 0x01;
      expect(() => verifyDocument(zlib.gunzipSync(copy), keys)).toThrow();
    }
    for (const cut of [1, 10, body.length / 2, body.length - 1]) expect(() => verifyDocument(body.subarray(0, body.length - Math.floor(cut)), keys)).toThrow(/truncated|altered|damaged/);
  });

  it('leaves the local copy as it was when a download is truncated or tampered with', async () => {
    const snapshot = await document('/snapshot');
    const matcher = new SignalMatcher(keys);
    await matcher.loadSnapshot(snapshot);
    const before = { cursor: matcher.cursor, size: matcher.size };
    await expect(matcher.loadSnapshot(snapshot.subarray(0, snapshot.length - 20))).rejects.toThrow(/truncated/);
    const tampered = Buffer.from(snapshot);
    tampered[Math.floor(snapshot.length / 2)] ^= 0x04;
    await expect(matcher.loadSnapshot(tampered)).rejects.toThrow();
    const account = await flagged('feed_after_tamper');
    await action(account.requestId);
    const changes = await document(`/changes?after=${before.cursor}`);
    await expect(matcher.applyChanges(changes.subarray(0, changes.length - 5))).rejects.toThrow(/truncated/);
    expect({ cursor: matcher.cursor, size: matcher.size }).toEqual(before);
    await matcher.applyChanges(changes);
    expect(matcher.size).toBe(before.size + 1);
  });

  it('tells a client with a cursor from the future or from before a compaction to take a new snapshot', async () => {
    const { header } = verifyDocument(await document('/snapshot'), keys);
    const ahead = await get(`/changes?after=${header.cursor + 5}`);
    expect(ahead.status).toBe(400);
    expect(JSON.parse(ahead.body.toString()).errors[0]).toMatchObject({ message: expect.stringMatching(/ahead of the feed.*take a new snapshot/), extensions: { code: 'BAD_USER_INPUT', reason: 'CURSOR_AHEAD' } });
    for (const bad of ['abc', '-1', '1.5']) expect((await get(`/changes?after=${bad}`)).status).toBe(400);
    expect((await get('/changes')).status).toBe(400);

    const account = await flagged('feed_compaction');
    await action(account.requestId);
    await reinstate(account.requestId);
    const head = verifyDocument(await document('/snapshot'), keys).header.cursor;
    const removed = await t.exchange.services.signals.compact(head);
    expect(removed).toBeGreaterThan(0);
    const expired = await get(`/changes?after=${header.cursor}`);
    expect(expired.status).toBe(410);
    expect(JSON.parse(expired.body.toString()).errors[0]).toMatchObject({ message: expect.stringMatching(/compacted.*take a new snapshot/), extensions: { code: 'BAD_USER_INPUT', reason: 'CURSOR_EXPIRED' } });
    // After compaction the snapshot still holds exactly what stands removed, and the feed goes on from it.
    const compacted = verifyDocument(await document('/snapshot'), keys);
    expect(compacted.header.cursor).toBe(head);
    expect((compacted.records as SignalEntry[]).some((e) => e.handle === 'feed_compaction')).toBe(false);
    expect((compacted.records as SignalEntry[]).some((e) => e.handle === 'feed_public_view')).toBe(true);
    expect((await get(`/changes?after=${head}`)).status).toBe(200);
  });
});
