import { signalEntryOf } from '../modules/mirrors/engine/mirror-index';
import { generateSignalKey, parseSignalKeys, publicKeySet } from '../modules/signals/signal-keys';
import { DocumentSigner, FORMAT } from './codec';
import { keySetOf, SignalMatcher, SignatureError } from '.';

const [key] = parseSignalKeys(generateSignalKey('unit'));
const keys = keySetOf(publicKeySet([key]));
const entry = signalEntryOf('00000000-0000-4000-8000-000000000001', { id: 'a', platform: 'X', handle: 'sawt_media_official', bio: 'follow the official channel', removedAt: new Date('2026-10-01T00:00:00Z') }, []);

/** A signed snapshot with this header and one entry per record given. */
function snapshot(header: Record<string, unknown>, records: unknown[]): Buffer {
  const signer = new DocumentSigner(key);
  return Buffer.concat([signer.line({ format: FORMAT, kind: 'snapshot', cursor: 1, ...header }), ...records.map((r) => signer.line(r)), signer.finish()]);
}

describe('SignalMatcher.loadSnapshot', () => {
  it('loads a snapshot whose count matches', async () => {
    const matcher = new SignalMatcher(keys);
    await matcher.loadSnapshot(snapshot({ count: 1 }, [entry]));
    expect(matcher.size).toBe(1);
  });

  it.each([['x'], [null], [-3], [1.5], [1e300]])('refuses a header count of %p as a damaged document, not a crash, and keeps the copy it had', async (count) => {
    const matcher = new SignalMatcher(keys);
    await matcher.loadSnapshot(snapshot({ count: 1 }, [entry]));
    await expect(matcher.loadSnapshot(snapshot({ count }, [entry]))).rejects.toThrow(SignatureError);
    expect(matcher.size).toBe(1);
    expect(matcher.cursor).toBe(1);
  });

  it('refuses an entry whose bio MinHash is not 64 words, whatever its length', async () => {
    for (const words of [32, 65]) {
      const matcher = new SignalMatcher(keys);
      const bad = { ...entry, bioMinhash: Buffer.alloc(words * 4, 7).toString('base64') };
      await expect(matcher.loadSnapshot(snapshot({ count: 1 }, [bad]))).rejects.toThrow(/64 words/);
      expect(matcher.size).toBe(0);
    }
  });
});
