import { RemovedAccount, ScreeningSubject } from './mirror-index';

/**
 * A seeded, labelled set for training and evaluating the mirror scorer: removed accounts with
 * realistic multi-script names, mirrors made with one evasion family each (or two at once, the
 * stacked_ families), and hard negatives
 * (news outlets and researchers naming the organisation, people with common names, fan and parody
 * accounts) plus ordinary accounts.
 */

export const EVASION_FAMILIES = [
  'homoglyph', 'leetspeak', 'affix', 'script_swap', 'avatar', 'bio', 'links',
  'stacked_homoglyph_affix', 'stacked_leet_typo', 'stacked_separator_case', 'cross_script', 'decoration',
] as const;
export const NEGATIVE_FAMILIES = ['news_researcher', 'common_name', 'fan_parody', 'unrelated'] as const;
export type Family = (typeof EVASION_FAMILIES)[number] | (typeof NEGATIVE_FAMILIES)[number];

export interface LabelledQuery {
  subject: ScreeningSubject;
  /** The removed account it mirrors; null for negatives. */
  originalId: string | null;
  family: Family;
}

export interface LabelledSet {
  banned: RemovedAccount[];
  queries: LabelledQuery[];
}

export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

const ORGS = [
  { id: 'ttp', fragments: ['ttp', 'tehreek', 'taliban', 'tehrik'] },
  { id: 'iskp', fragments: ['iskp', 'khorasan', 'wilayat', 'isk'] },
  { id: 'bla', fragments: ['bla', 'baloch', 'azadi', 'majeed'] },
  { id: 'blf', fragments: ['blf', 'balochistan', 'sarmachar', 'mehran'] },
];
const WORDS = [
  'umar', 'sada', 'nida', 'manba', 'qalam', 'noor', 'fajr', 'sahab', 'minbar', 'azm', 'hisn', 'tarjuman', 'zarb', 'jihad', 'ghazi', 'fateh',
  'shaheen', 'karwan', 'lashkar', 'sawt', 'khabar', 'paigham', 'awaz', 'tehreer', 'burhan', 'hamza', 'saif', 'talwar', 'aqsa', 'badr',
  'uhud', 'furqan', 'amaq', 'dabiq', 'rumiyah', 'nashir', 'yaqeen', 'inqilab', 'sangar', 'kohsar', 'parbat', 'zamin', 'watan', 'qaum',
];
const AFFIXES = ['_official', '_backup', '2', '_news', '_tv', '_media', '_new', '_real', '__', '_1', '_2024', 'official', '_channel', '_updates'];
const HOMOGLYPHS: Record<string, string[]> = {
  a: ['а', 'ɑ'], e: ['е'], o: ['о', 'ο'], p: ['р'], c: ['с'], x: ['х'], y: ['у'], i: ['і', 'ı'], s: ['ѕ'], h: ['һ'], k: ['κ'], m: ['rn'], t: ['т'],
};
const LEET: Record<string, string> = { o: '0', i: '1', e: '3', a: '4', s: '5', t: '7', l: '1', b: '8', g: '9' };
const TO_ARABIC: [RegExp, string][] = [
  [/kh/g, 'خ'], [/sh/g, 'ش'], [/ch/g, 'چ'], [/gh/g, 'غ'], [/th/g, 'ت'], [/b/g, 'ب'], [/p/g, 'پ'], [/t/g, 'ت'], [/j/g, 'ج'], [/h/g, 'ح'],
  [/d/g, 'د'], [/r/g, 'ر'], [/z/g, 'ز'], [/s/g, 'س'], [/f/g, 'ف'], [/q/g, 'ق'], [/k/g, 'ک'], [/g/g, 'گ'], [/l/g, 'ل'], [/m/g, 'م'],
  [/n/g, 'ن'], [/w/g, 'و'], [/v/g, 'و'], [/y/g, 'ی'], [/^a/g, 'ا'], [/[aeiou]/g, ''], [/c/g, 'ک'], [/x/g, 'کس'],
];
/**
 * How Urdu and Pashto writers spell the same sounds with their own letters (retroflex t, d, r;
 * noon ghunna and bari ye at the end of a word; Pashto's ringed letters, x̌in, dze and its own gaf).
 * Applied before TO_ARABIC, so the rest of the word is spelt as in Arabic.
 */
const TO_URDU: [RegExp, string][] = [[/t/g, 'ٹ'], [/d/g, 'ڈ'], [/r/g, 'ڑ'], [/n$/g, 'ں'], [/e$/g, 'ے']];
const TO_PASHTO: [RegExp, string][] = [[/sh/g, 'ښ'], [/t/g, 'ټ'], [/d/g, 'ډ'], [/r/g, 'ړ'], [/z/g, 'ځ'], [/g/g, 'ګ'], [/n/g, 'ڼ']];
/** The spellings a Latin reader gives one vowel, for a name transliterated back. */
const RESPELLINGS: [RegExp, string][] = [[/ee/, 'i'], [/u/, 'o'], [/i/, 'ee'], [/o/, 'u'], [/a/, 'e'], [/e/, 'a']];
const DECORATIONS = ['🔥', '⚔️', '🇵🇰', '🇦🇫', '✅', '🏴', '⭐', '1️⃣', '💚', '👉🏽', '🕌'];
const ZERO_WIDTH = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'];
const COMMON_FIRST = ['muhammad', 'ahmed', 'ali', 'hassan', 'hussain', 'fatima', 'ayesha', 'bilal', 'usman', 'imran', 'zainab', 'khalid', 'omar'];
const COMMON_LAST = ['khan', 'ahmed', 'malik', 'shah', 'qureshi', 'baig', 'butt', 'chaudhry', 'raza', 'siddiqui', 'hashmi', 'baloch'];
const CITIES = ['peshawar', 'quetta', 'swat', 'bajaur', 'waziristan', 'kabul', 'nangarhar', 'kunar', 'turbat', 'gwadar', 'khuzdar', 'panjgur', 'mastung', 'kech'];
const NEWS = ['watch', 'monitor', 'research', 'tracker', 'desk', 'observer', 'analysis', 'report', 'studies', 'insight'];
const PLATFORMS = ['X', 'FACEBOOK', 'INSTAGRAM', 'TELEGRAM', 'YOUTUBE', 'TIKTOK'];

const title = (words: string[]) => words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
/** A Latin name in Arabic letters; `local` (Urdu or Pashto spellings) applies to about half the letters it could. */
const arabicScript = (latin: string, local?: { table: [RegExp, string][]; r: Rng }) =>
  latin
    .toLowerCase()
    .split(/\s+/)
    .map((word) => {
      const localised = local ? local.table.reduce((w, [from, to]) => w.replace(from, (m) => (local.r.chance(0.5) ? to : m)), word) : word;
      return TO_ARABIC.reduce((w, [from, to]) => w.replace(from, to), localised);
    })
    .join(' ');
const randomHex = (r: Rng) => Array.from({ length: 64 }, () => '0123456789abcdef'[r.int(16)]).join('');
const flipBits = (hex: string, bits: number, r: Rng) => {
  const nibbles = hex.split('').map((c) => parseInt(c, 16));
  for (let i = 0; i < bits; i++) nibbles[r.int(64)] ^= 1 << r.int(4);
  return nibbles.map((n) => n.toString(16)).join('');
};

/** The Latin form of each generated display name, so a script swap can write the other script. */
const latinNames = new Map<string, string>();

const BIO_WORDS = [
  ...WORDS, 'brothers', 'sisters', 'truth', 'caravan', 'martyrs', 'victory', 'statement', 'release', 'video', 'audio', 'nasheed', 'lecture',
  'operation', 'province', 'valley', 'mountains', 'frontier', 'people', 'oppressed', 'rise', 'call', 'message', 'daily', 'weekly', 'bulletin',
  'official', 'mujahid', 'commander', 'leader', 'speech', 'archive', 'mirror', 'follow', 'share', 'spread', 'channel', 'group', 'voice',
];

function bannedAccount(r: Rng, index: number): RemovedAccount {
  const org = r.pick(ORGS);
  const nameWords = [r.pick(org.fragments), r.pick(WORDS)];
  if (r.chance(0.5)) nameWords.reverse();
  if (r.chance(0.3)) nameWords.push(r.pick(WORDS));
  const handle = nameWords.join(r.pick(['_', '', '.', '_'])) + (r.chance(0.3) ? String(r.int(100)) : '') + (index >= 1000 ? `_${index.toString(36)}` : '');
  const channel = `${r.pick(WORDS)}${r.pick(WORDS)}${r.int(1000)}`;
  const phone = `+92300${String(1000000 + r.int(8999999))}`;
  const display = title(r.chance(0.7) ? [...nameWords, r.pick([...COMMON_FIRST, ...CITIES])] : nameWords);
  latinNames.set(`banned-${index}`, display);
  const sentence = () => Array.from({ length: 5 + r.int(8) }, () => r.pick(BIO_WORDS)).join(' ');
  return {
    id: `banned-${index}`,
    platform: r.pick(PLATFORMS),
    handle,
    displayName: r.chance(0.4) ? arabicScript(display, r.chance(0.5) ? undefined : { table: r.pick([TO_URDU, TO_PASHTO]), r }) : display,
    bio: r.chance(0.75)
      ? `${sentence()}. ${r.chance(0.6) ? `Join t.me/${channel}` : ''} ${r.chance(0.3) ? `WhatsApp ${phone}` : ''} ${sentence()}`.replace(/\s+/g, ' ').trim()
      : null,
    links: r.chance(0.4) ? [`https://t.me/${channel}`] : [],
    avatarPdq: r.chance(0.6) ? randomHex(r) : null,
    avatarQuality: 60 + r.int(41),
    organisationIds: [org.id],
    removedAt: new Date(Date.now() - r.int(180) * 86_400_000),
  };
}

/** One slip of the keyboard: a letter dropped, doubled, swapped with the next, or replaced by its neighbour. */
function typo(r: Rng, text: string): string {
  const letters = [...text].map((c, i) => (/[a-z]/.test(c) ? i : -1)).filter((i) => i >= 0);
  if (!letters.length) return text;
  const at = r.pick(letters);
  const chars = [...text];
  switch (r.int(4)) {
    case 0:
      chars.splice(at, 1);
      break;
    case 1:
      chars.splice(at, 0, chars[at]);
      break;
    case 2:
      if (at + 1 < chars.length) [chars[at], chars[at + 1]] = [chars[at + 1], chars[at]];
      break;
    default:
      chars[at] = String.fromCharCode(97 + ((chars[at].charCodeAt(0) - 97 + 1) % 26));
  }
  return chars.join('');
}

/** Emoji and flags around and between the words of a name. */
function decorated(r: Rng, name: string): string {
  const words = name.split(' ').map((w) => (r.chance(0.3) ? `${w}${r.pick(DECORATIONS)}` : w));
  return `${r.chance(0.7) ? r.pick(DECORATIONS) : ''}${words.join(' ')}${r.chance(0.7) ? ` ${r.pick(DECORATIONS)}` : ''}`;
}

/** Zero-width characters inside the handle and some letters in their fullwidth forms. */
function hiddenMarks(r: Rng, handle: string): string {
  return [...handle]
    .map((c) => (r.chance(0.25) && /[a-z0-9]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))
    .map((c, i) => (i > 0 && r.chance(0.2) ? `${r.pick(ZERO_WIDTH)}${c}` : c))
    .join('');
}

function evade(r: Rng, family: (typeof EVASION_FAMILIES)[number], original: RemovedAccount): ScreeningSubject {
  const fresh = `${r.pick(WORDS)}${r.pick(['_', ''])}${r.pick(WORDS)}${r.int(10_000)}`;
  const base: ScreeningSubject = { platform: r.pick(PLATFORMS), handle: fresh };
  const swap = (text: string, table: Record<string, string | string[]>, count: number) => {
    const chars = [...text];
    const positions = chars.map((c, i) => (table[c] ? i : -1)).filter((i) => i >= 0);
    for (let n = 0; n < count && positions.length; n++) {
      const at = positions.splice(r.int(positions.length), 1)[0];
      const replacement = table[chars[at]];
      chars[at] = Array.isArray(replacement) ? r.pick(replacement) : replacement;
    }
    return chars.join('');
  };
  switch (family) {
    case 'homoglyph':
      return { ...base, handle: swap(original.handle, HOMOGLYPHS, 1 + r.int(3)) };
    case 'leetspeak':
      return { ...base, handle: swap(original.handle, LEET, 1 + r.int(3)) };
    case 'affix':
      return { ...base, handle: r.chance(0.2) ? `real_${original.handle}` : `${original.handle}${r.pick(AFFIXES)}` };
    case 'script_swap': {
      const latin = latinNames.get(original.id) ?? original.handle.replace(/[_.\d]+/g, ' ');
      // The name in the other script, and often a handle transliterated from it.
      const handle = r.chance(0.5) ? latin.toLowerCase().replace(/\s+/g, r.pick(['_', '', '.'])) : base.handle;
      return { ...base, handle, displayName: /[a-z]/i.test(original.displayName ?? '') ? arabicScript(latin) : latin };
    }
    case 'avatar':
      return { ...base, avatarPdq: [flipBits(original.avatarPdq ?? randomHex(r), r.int(16), r)], avatarQuality: 90 };
    case 'bio': {
      const words = (original.bio ?? `${r.pick(WORDS)} ${r.pick(WORDS)}`).replace(/t\.me\/\S+|\+\d+/g, '').split(' ');
      if (words.length > 3) words.splice(r.int(words.length), 1, r.pick(WORDS));
      return { ...base, bio: words.join(' ') };
    }
    case 'links': {
      const link = original.links?.[0] ?? /t\.me\/\S+|\+\d+/.exec(original.bio ?? '')?.[0] ?? 't.me/none';
      const channel = /t\.me\/(\S+)/.exec(link)?.[1];
      // The same channel under another address (exact once normalised), or a look-alike one (fuzzy).
      const variant = !channel ? link : r.pick([link, `https://telegram.me/${channel}/?utm_source=${r.pick(WORDS)}`, `t.me/${swap(channel, LEET, 1)}`]);
      return { ...base, bio: `${title([r.pick(WORDS), r.pick(WORDS)])} updates. Follow ${variant}` };
    }
    case 'stacked_homoglyph_affix':
      return { ...base, handle: `${swap(original.handle, HOMOGLYPHS, 1 + r.int(2))}${r.pick(AFFIXES)}` };
    case 'stacked_leet_typo':
      return { ...base, handle: swap(typo(r, original.handle), LEET, 1 + r.int(2)) };
    case 'stacked_separator_case': {
      const joined = original.handle.split(/[_.]+/).join(r.pick(['_', '.', '', '__', '-']));
      const cased = r.pick([
        joined.toUpperCase(),
        joined.replace(/(^|[_.-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase()),
        [...joined].map((c) => (r.chance(0.5) ? c.toUpperCase() : c)).join(''),
      ]);
      return { ...base, handle: cased };
    }
    case 'cross_script': {
      // The display name moved between scripts with Urdu or Pashto letters, and the handle as a
      // reader transliterates the name back: the same consonants, other vowels.
      const latin = latinNames.get(original.id) ?? original.handle.replace(/[_.\d]+/g, ' ');
      const respellings = RESPELLINGS.filter(([from]) => from.test(original.handle));
      const [from, to] = respellings.length ? r.pick(respellings) : [/$/, ''];
      const handle = original.handle.replace(from, to);
      const displayName = /[a-z]/i.test(original.displayName ?? '') ? arabicScript(latin, { table: r.pick([TO_URDU, TO_PASHTO]), r }) : latin;
      return { ...base, handle, displayName };
    }
    case 'decoration':
      return { ...base, handle: hiddenMarks(r, original.handle), displayName: original.displayName ? decorated(r, original.displayName) : null };
  }
}

function negative(r: Rng, family: (typeof NEGATIVE_FAMILIES)[number]): ScreeningSubject {
  const org = r.pick(ORGS);
  switch (family) {
    case 'news_researcher': {
      const fragment = r.pick(org.fragments);
      return {
        platform: r.pick(PLATFORMS),
        handle: r.chance(0.5) ? `${fragment}_${r.pick(NEWS)}` : `${r.pick(['pak', 'south_asia', 'cve', 'conflict'])}_${r.pick(NEWS)}`,
        displayName: title([fragment, r.pick(NEWS)]),
        bio: `Independent ${r.pick(NEWS)} of militancy in the region, including the ${fragment}. Views my own. Contact ${r.pick(COMMON_FIRST)}@example.org`,
      };
    }
    case 'common_name': {
      const name = [r.pick(COMMON_FIRST), r.pick(COMMON_LAST)];
      return { platform: r.pick(PLATFORMS), handle: `${name.join(r.pick(['_', '', '.']))}${r.chance(0.5) ? r.int(1000) : ''}`, displayName: title(name), bio: r.chance(0.5) ? `${r.pick(['Teacher', 'Student', 'Engineer', 'Doctor'])} from ${r.pick(['Lahore', 'Quetta', 'Peshawar', 'Karachi'])}` : null };
    }
    case 'fan_parody': {
      const target = `${r.pick(org.fragments)}_${r.pick(WORDS)}`;
      return { platform: r.pick(PLATFORMS), handle: r.chance(0.5) ? `not_${target}_parody` : `${target}_fans_satire`, displayName: `${title([target.replace('_', ' ')])} (parody)`, bio: 'Parody account. Not affiliated with anyone.' };
    }
    case 'unrelated':
      return { platform: r.pick(PLATFORMS), handle: `${r.pick(['cricket', 'food', 'travel', 'tech', 'music'])}_${r.pick(COMMON_LAST)}${r.int(10_000)}`, displayName: title([r.pick(COMMON_FIRST)]), bio: r.chance(0.5) ? 'Sharing what I love. DM for collabs.' : null, avatarPdq: r.chance(0.5) ? [randomHex(r)] : null, avatarQuality: 90 };
  }
}

export function generateLabelledSet(options: { seed: number; banned: number; positivesPerFamily: number; negativesPerFamily: number }): LabelledSet {
  const r = rng(options.seed);
  const banned = Array.from({ length: options.banned }, (_, i) => bannedAccount(r, i));
  const queries: LabelledQuery[] = [];
  for (const family of EVASION_FAMILIES) {
    for (let n = 0; n < options.positivesPerFamily; n++) {
      let original = r.pick(banned);
      // Each family needs the material it evades with.
      for (let tries = 0; tries < 50 && !usable(family, original); tries++) original = r.pick(banned);
      queries.push({ subject: evade(r, family, original), originalId: original.id, family });
    }
  }
  for (const family of NEGATIVE_FAMILIES) {
    for (let n = 0; n < options.negativesPerFamily; n++) queries.push({ subject: negative(r, family), originalId: null, family });
  }
  return { banned, queries };
}

function usable(family: (typeof EVASION_FAMILIES)[number], account: RemovedAccount): boolean {
  if (family === 'avatar') return Boolean(account.avatarPdq);
  if (family === 'bio') return Boolean(account.bio && account.bio.split(' ').length > 8);
  if (family === 'links') return Boolean(account.links?.length || /t\.me\/|\+\d/.test(account.bio ?? ''));
  return true;
}
