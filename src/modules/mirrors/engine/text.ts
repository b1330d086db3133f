import { plainForm, visualKey } from './normalise';

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

/**
 * Estimated Jaccard similarity of the two shingle sets. `b` may be a MinHash at `at` in a larger
 * array (the index keeps every bio's in one), read in place rather than through a view per account.
 */
export function minhashSimilarity(a: Uint32Array | null, b: Uint32Array | null, at = 0): number {
  if (!a || !b) return 0;
  let same = 0;
  for (let k = 0; k < MINHASH_SIZE; k++) if (a[k] === b[at + k]) same++;
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

const URL_PATTERN = /\b(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(\/[^\s<>"')\]]*)?/gi;
const HANDLE_PATTERN = /(?:^|[^\w@])@([\p{L}\p{N}_.]{3,64})/gu;
const PHONE_PATTERN = /(?:\+|00)?\d[\d\s().-]{7,17}\d/g;

/** Hosts that serve the same pages under another name. */
const HOST_ALIASES: Record<string, string> = { 'telegram.me': 't.me', 'telegram.dog': 't.me', 'twitter.com': 'x.com' };
/** Hosts whose paths are account names, which they match without regard to case. */
const CASELESS_PATHS = new Set(['t.me', 'x.com', 'instagram.com', 'facebook.com', 'tiktok.com']);
/** Query parameters that track the click rather than name the page, on every site. */
const TRACKING = /^(?:utm_.*|fbclid|gclid|igshid|igsh|mibextid)$/i;
/** Parameters that track only on some sites: elsewhere `s` or `ref` may name the page. */
const SITE_TRACKING: Record<string, RegExp> = { 'x.com': /^(?:s|t|ref|ref_src)$/i, 'youtube.com': /^(?:si|feature)$/i, 'youtu.be': /^(?:si|feature)$/i, 'instagram.com': /^(?:ref)$/i };

/**
 * A URL in the form two accounts share it exactly: lower-case host without www., m. or mobile.,
 * one name per site (telegram.me is t.me, twitter.com is x.com, youtu.be/<id> is
 * youtube.com/watch?v=<id>), no tracking parameters, fragment or trailing slash. The path keeps its
 * case where the site distinguishes it (video and invite ids).
 */
function exactUrl(rawHost: string, rawPath: string): string {
  let host = rawHost.toLowerCase().replace(/^(?:www|m|mobile)\.(?=.+\..+)/, '');
  host = HOST_ALIASES[host] ?? host;
  const [pathAndQuery] = rawPath.split('#');
  const mark = pathAndQuery.indexOf('?');
  const [pathPart, query] = mark < 0 ? [pathAndQuery, ''] : [pathAndQuery.slice(0, mark), pathAndQuery.slice(mark + 1)];
  let path = pathPart.replace(/[/.,;:!]+$/, '');
  let params = query
    .split('&')
    .filter((p) => p && !TRACKING.test(p.split('=')[0]) && !SITE_TRACKING[host]?.test(p.split('=')[0]))
    .join('&')
    .replace(/[.,;:!]+$/, '');
  if (host === 'youtu.be' && path.length > 1) {
    params = [`v=${path.slice(1)}`, params].filter(Boolean).join('&');
    host = 'youtube.com';
    path = '/watch';
  }
  if (host === 't.me' && path.startsWith('/s/')) path = path.slice(2);
  // Telegram invite hashes (t.me/+AbC, t.me/joinchat/AbC) are case-sensitive; channel names are not.
  if (CASELESS_PATHS.has(host) && !(host === 't.me' && /^\/(?:\+|joinchat\/)/.test(path))) path = path.toLowerCase();
  return `${host}${path}${params ? `?${params}` : ''}`;
}

/**
 * The link-like tokens of a bio or link list as they are written, each in its exact form: URLs
 * (see `exactUrl`), @handles in lower case, phone numbers as + and digits. Two accounts that carry
 * the same token point readers to the same place; these are also the values a reviewer is shown.
 */
export function exactLinks(texts: (string | null | undefined)[]): string[] {
  const tokens = new Set<string>();
  for (const raw of texts) {
    if (!raw) continue;
    const text = plainForm(raw);
    for (const match of text.matchAll(URL_PATTERN)) tokens.add(exactUrl(match[1], match[2] ?? ''));
    for (const match of text.matchAll(HANDLE_PATTERN)) {
      // "@..." or "@___" names nobody: two bios that both carry it share no link.
      const handle = match[1].toLowerCase().replace(/[.]+$/, '');
      if (/[\p{L}\p{N}]/u.test(handle) && handle.length >= 3) tokens.add(`@${handle}`);
    }
    for (const match of text.matchAll(PHONE_PATTERN)) {
      const digits = match[0].replace(/\D/g, '').replace(/^00/, '');
      if (digits.length >= 9 && digits.length <= 15) tokens.add(`+${digits}`);
    }
  }
  return [...tokens].sort();
}

/**
 * The folded key of an exact link: Telegram channels and @handles by their visual key, so that a
 * look-alike channel (t.me/umar_rnedia for t.me/umar_media) still meets the original. Two links
 * with one key are alike, not necessarily the same.
 */
export function fuzzyLinkKey(exact: string): string {
  if (exact.startsWith('@')) return `handle:${visualKey(exact.slice(1))}`;
  if (exact.startsWith('+')) return `phone:${exact.slice(1)}`;
  const lower = exact.toLowerCase();
  const slash = lower.indexOf('/');
  const host = slash < 0 ? lower : lower.slice(0, slash);
  const path = slash < 0 ? '' : lower.slice(slash);
  if (host === 't.me') {
    const [first, second] = path.split('?')[0].split('/').filter(Boolean);
    if (first === 'joinchat' && second) return `tg-invite:${second}`;
    if (first?.startsWith('+')) return `tg-invite:${first.slice(1)}`;
    if (first) return `tg:${visualKey(first)}`;
  }
  if (host === 'whatsapp.com' && path.startsWith('/channel/')) return `wa-channel:${path.split('/')[2]}`;
  if (host === 'chat.whatsapp.com' || host === 'wa.me') return `wa:${path.slice(1)}`;
  return `url:${lower}`;
}

/** The link-like tokens of a bio or link list, exact (see `exactLinks`) and folded (see `fuzzyLinkKey`). */
export function linkTokens(texts: (string | null | undefined)[]): { exact: string[]; fuzzy: string[] } {
  const exact = exactLinks(texts);
  return { exact, fuzzy: [...new Set(exact.map(fuzzyLinkKey))].sort() };
}
