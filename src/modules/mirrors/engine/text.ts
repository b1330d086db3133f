import { basicForm, visualKey } from './normalise';

/**
 * Bio text: MinHash signatures over character shingles (for similar wording), and the exact
 * tokens mirrors carry over from the removed account: links, @handles, Telegram and WhatsApp
 * channel links, and phone numbers.
 */

export const MINHASH_SIZE = 64;
export const LSH_BANDS = 16;
export const LSH_ROWS = MINHASH_SIZE / LSH_BANDS;
const SHINGLE = 4;

/** Fixed seeds so that signatures are comparable across processes and releases. */
const SEEDS = Array.from({ length: MINHASH_SIZE }, (_, i) => {
  let x = (i + 1) * 0x9e3779b1;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  return x >>> 0;
});

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function mix(hash: number, seed: number): number {
  let x = (hash ^ seed) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Character 4-gram shingles of the visual form, so homoglyph tricks do not break similarity. */
export function shingles(text: string): Set<number> {
  const normal = visualKey(text).replace(/\s+/g, ' ').trim();
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE <= normal.length; i++) out.add(fnv1a(normal.slice(i, i + SHINGLE)));
  if (normal.length > 0 && normal.length < SHINGLE) out.add(fnv1a(normal));
  return out;
}

export function minhash(text: string): Uint32Array | null {
  const set = shingles(text);
  if (set.size === 0) return null;
  const signature = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (const shingle of set) {
    for (let k = 0; k < MINHASH_SIZE; k++) {
      const h = mix(shingle, SEEDS[k]);
      if (h < signature[k]) signature[k] = h;
    }
  }
  return signature;
}

/** Estimated Jaccard similarity of the two shingle sets. */
export function minhashSimilarity(a: Uint32Array | null, b: Uint32Array | null): number {
  if (!a || !b) return 0;
  let same = 0;
  for (let k = 0; k < MINHASH_SIZE; k++) if (a[k] === b[k]) same++;
  return same / MINHASH_SIZE;
}

/**
 * LSH band keys: texts sharing any band are candidates (about 50% Jaccard and up). A key is a
 * 30-bit hash of the band's number and rows, a small integer to V8: string keys cost most of a
 * million-account load in hashing and garbage. A rare collision only adds a candidate, which the
 * estimated similarity then ranks.
 */
export function lshBands(signature: Uint32Array): number[] {
  const bands: number[] = [];
  for (let b = 0; b < LSH_BANDS; b++) {
    let h = Math.imul(b + 1, 0x9e3779b1);
    for (let r = 0; r < LSH_ROWS; r++) h = Math.imul(h ^ signature[b * LSH_ROWS + r], 0x85ebca6b) ^ (h >>> 13);
    bands.push((h ^ (h >>> 16)) & 0x3fffffff);
  }
  return bands;
}

const URL_PATTERN = /\b(?:https?:\/\/)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(\/[^\s<>"')\]]*)?/gi;
const HANDLE_PATTERN = /(?:^|[^\w@])@([\p{L}\p{N}_.]{3,64})/gu;
const PHONE_PATTERN = /(?:\+|00)?\d[\d\s().-]{7,17}\d/g;

/**
 * The link-like tokens of a bio or link list: t.me/<channel>, whatsapp channel and chat links,
 * other URLs (host and path), @handles and phone numbers, each in one canonical form.
 */
export function extractLinks(texts: (string | null | undefined)[]): string[] {
  const tokens = new Set<string>();
  for (const raw of texts) {
    if (!raw) continue;
    const text = basicForm(raw);
    for (const match of text.matchAll(URL_PATTERN)) {
      const host = match[1].replace(/^www\./, '');
      const path = (match[2] ?? '').replace(/[/?#.,;:!]+$/, '');
      if (host === 't.me' || host === 'telegram.me' || host === 'telegram.dog') {
        const [first, second] = path.split('/').filter(Boolean);
        if (first === 'joinchat' && second) tokens.add(`tg-invite:${second}`);
        else if (first?.startsWith('+')) tokens.add(`tg-invite:${first.slice(1)}`);
        else if (first === 's' && second) tokens.add(`tg:${visualKey(second)}`);
        else if (first) tokens.add(`tg:${visualKey(first)}`);
      } else if (host === 'whatsapp.com' && path.startsWith('/channel/')) {
        tokens.add(`wa-channel:${path.split('/')[2]}`);
      } else if (host === 'chat.whatsapp.com' || host === 'wa.me') {
        tokens.add(`wa:${path.slice(1)}`);
      } else {
        tokens.add(`url:${host}${path}`);
      }
    }
    for (const match of text.matchAll(HANDLE_PATTERN)) tokens.add(`handle:${visualKey(match[1])}`);
    for (const match of text.matchAll(PHONE_PATTERN)) {
      const digits = match[0].replace(/\D/g, '').replace(/^00/, '');
      if (digits.length >= 9 && digits.length <= 15) tokens.add(`phone:${digits}`);
    }
  }
  return [...tokens].sort();
}
