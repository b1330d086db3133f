import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MirrorIndex, signalEntryOf } from '../modules/mirrors/engine/mirror-index';
import { generateLabelledSet } from '../modules/mirrors/engine/synthetic';
import { ImageWriter } from '../modules/mirrors/engine/image';
import { generateSignalKey, parseSignalKeys, publicKeySet } from '../modules/signals/signal-keys';
import { DocumentSigner, FORMAT } from './codec';
import { keySetOf, SignalMatcher } from '.';

const [key] = parseSignalKeys(generateSignalKey('unit'));
const keys = keySetOf(publicKeySet([key]));
const set = generateLabelledSet({ seed: 11, banned: 3000, positivesPerFamily: 4, negativesPerFamily: 8 });
const organisations = (ids: string[] = []) => ids.map((id) => ({ id, name: id.toUpperCase() }));
const entries = set.banned.map((account, i) => signalEntryOf(`entry-${i}`, account, organisations(account.organisationIds)));
const now = Date.parse('2026-11-20T00:00:00Z');

function document(header: Record<string, unknown>, records: unknown[]): Buffer {
  const signer = new DocumentSigner(key);
  return Buffer.concat([signer.line({ format: FORMAT, ...header }), ...records.map((r) => signer.line(r)), signer.finish()]);
}

/** Removals of a tenth of the entries, and some entries back with new keys: what a day of the feed looks like. */
function changes(after: number): Buffer {
  const records: unknown[] = [];
  for (let i = 0; i < 300; i++) records.push({ seq: after + records.length + 1, op: 'tombstone', id: `entry-${i * 7}` });
  for (let i = 0; i < 200; i++) records.push({ seq: after + records.length + 1, op: 'upsert', entry: { ...entries[i * 11 + 3], id: `again-${i}`, handle: `${entries[i * 11 + 3].handle}_back` } });
  return document({ kind: 'changes', after, cursor: after + records.length, count: records.length }, records);
}

const answers = (matcher: SignalMatcher) => set.queries.map((q) => matcher.screen(q.subject, { limit: 10, minProbability: 0.01, now }));

describe('index images', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pax-image-'));
  const file = path.join(dir, 'snapshot-1.index');
  const snapshot = document({ kind: 'snapshot', cursor: 3000, count: entries.length }, entries);
  let built: SignalMatcher;

  beforeAll(async () => {
    built = new SignalMatcher(keys);
    await built.loadSnapshot(snapshot);
    built.writeImage(file, 'snapshot-1.ndjson');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads back an index that answers every screening exactly as the one built from the snapshot, before and after changes', async () => {
    const read = new SignalMatcher(keys);
    expect(read.loadImage(file, 'snapshot-1.ndjson')).toBe(true);
    expect(read.origin).toEqual({ loadedFrom: 'image', imageRefused: null });
    expect([read.size, read.cursor]).toEqual([built.size, built.cursor]);
    const before = answers(built);
    expect(before.filter((a) => a.length).length).toBeGreaterThan(set.queries.length / 2);
    expect(answers(read)).toEqual(before);

    const fresh = new SignalMatcher(keys);
    await fresh.loadSnapshot(snapshot);
    await fresh.applyChanges(changes(3000));
    await read.applyChanges(changes(3000));
    expect(read.size).toBe(fresh.size);
    expect(answers(read)).toEqual(answers(fresh));
    expect(read.has('entry-7')).toBe(false);
    expect(read.has('again-3')).toBe(true);
  });

  it.each([
    ['a flipped byte', (bytes: Buffer) => ((bytes[bytes.length - 10] ^= 4), bytes), /fails its CRC: the file is damaged/],
    ['a truncated file', (bytes: Buffer) => bytes.subarray(0, bytes.length - 1000), /truncated/],
    ['another format', (bytes: Buffer) => Buffer.concat([Buffer.from('pax-index-image/0\n'), bytes.subarray(bytes.indexOf(10) + 1)]), /not a pax-index-image\/3 file/],
    ['a damaged header', (bytes: Buffer) => ((bytes[bytes.indexOf('"cursor":') + 9] ^= 1), bytes), /header is truncated or damaged/],
    ['a header cut short', (bytes: Buffer) => bytes.subarray(0, 100), /header is truncated or damaged/],
  ])('refuses an image with %s, says why, and keeps the index it had', async (_, damage, reason) => {
    const damaged = path.join(dir, 'damaged.index');
    fs.writeFileSync(damaged, damage(Buffer.from(fs.readFileSync(file))));
    const matcher = new SignalMatcher(keys);
    await matcher.loadSnapshot(document({ kind: 'snapshot', cursor: 1, count: 1 }, [entries[0]]));
    expect(matcher.loadImage(damaged, 'snapshot-1.ndjson')).toBe(false);
    expect(matcher.origin.imageRefused).toMatch(reason);
    expect([matcher.size, matcher.cursor, matcher.origin.loadedFrom]).toEqual([1, 1, 'snapshot']);
  });

  it('refuses an image of another snapshot, or signed by a key that is no longer pinned', () => {
    const matcher = new SignalMatcher(keys);
    expect(matcher.loadImage(file, 'snapshot-2.ndjson')).toBe(false);
    expect(matcher.origin.imageRefused).toMatch(/the image is of snapshot-1.ndjson, not of snapshot-2.ndjson/);
    const [other] = parseSignalKeys(generateSignalKey('rotated'));
    const rotated = new SignalMatcher(keySetOf(publicKeySet([other])));
    expect(rotated.loadImage(file, 'snapshot-1.ndjson')).toBe(false);
    expect(rotated.origin.imageRefused).toMatch(/signed with key "unit", which is not in the key set/);
    expect(rotated.size).toBe(0);
  });

  it('reads an image whose header is long: a feed naming thousands of organisations', async () => {
    const many = entries.slice(0, 1500).map((entry, i) => ({ ...entry, organisations: [{ id: `org-${i}`, name: `Organisation ${i}, under its full official name` }] }));
    const matcher = new SignalMatcher(keys);
    await matcher.loadSnapshot(document({ kind: 'snapshot', cursor: 5, count: many.length }, many));
    const long = path.join(dir, 'many.index');
    matcher.writeImage(long, 'many.ndjson');
    const bytes = fs.readFileSync(long);
    let headerEnd = -1;
    for (let line = 0; line < 3; line++) headerEnd = bytes.indexOf(10, headerEnd + 1);
    expect(headerEnd).toBeGreaterThan(1 << 16);
    const read = new SignalMatcher(keys);
    expect(read.loadImage(long, 'many.ndjson')).toBe(true);
    expect(answers(read)).toEqual(answers(matcher));
    expect(answers(read).flat().some((m) => m.removedAccount.organisations[0]?.startsWith('Organisation '))).toBe(true);
  });

  it('is written only right after a snapshot, and only of feed entries', async () => {
    const matcher = new SignalMatcher(keys);
    await matcher.loadSnapshot(snapshot);
    await matcher.applyChanges(changes(3000));
    expect(() => matcher.writeImage(path.join(dir, 'late.index'), 'snapshot-1.ndjson')).toThrow(/right after loadSnapshot/);
    const server = new MirrorIndex();
    server.add(set.banned[0]);
    expect(() => server.writeImage(new ImageWriter())).toThrow(/only an index of feed entries/);
  });
});
