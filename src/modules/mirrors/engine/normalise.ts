import { transliterate } from 'transliteration';
import confusables from 'unhomoglyph/data.json';

/**
 * Name normalisation for mirror detection. Each step undoes one evasion family:
 *   NFKC                       fullwidth and compatibility forms (ｔｔｐ, ①)
 *   strip format controls      zero-width joiners and bidi overrides hidden in a handle
 *   strip decorations          emoji, flags, variation selectors and keycaps around or inside a name
 *   TR39 confusable skeleton   homoglyphs across scripts (Cyrillic ттр, rn for m), from the
 *                              Unicode confusables data that the unhomoglyph package ships
 *   Arabic-script unification  Urdu and Pashto letters (ٹ ڈ ڑ ں ے, ټ ډ ړ ښ ږ ځ څ ګ) to the Arabic
 *                              letter a Latin reader hears, so both spellings transliterate alike
 *   transliteration            Arabic-script (Urdu, Pashto, Arabic) and Cyrillic names to Latin
 *   leetspeak folding          digits and symbols standing for letters (TTP_MED1A)
 * and derives the keys the index looks names up by.
 */

const FORMAT_CONTROLS = /[\p{Cf}\u034F\u115F\u1160\u3164\uFFA0]/gu;
const SEPARATORS = /[^a-z0-9]+/g;
/**
 * Decorations that carry no letter: a pictograph or a flag stands between words (a space keeps
 * bio words apart); variation selectors, keycap marks and skin tones attach to the previous
 * character and vanish.
 */
const PICTOGRAPHS = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}]/gu;
const EMOJI_MARKS = /[\uFE00-\uFE0F\u20E3\u{1F3FB}-\u{1F3FF}\u{E0100}-\u{E01EF}]/gu;
/** Negative circled and squared letters (🅐, 🅰) are pictographs that still read as letters; NFKC leaves them. */
const LETTER_PICTOGRAPHS = /[\u{1F150}-\u{1F169}\u{1F170}-\u{1F189}]/gu;

/** The Latin small capitals (ᴛ is the TR39 prototype of Cyrillic т); a case variant, folded to a–z. */
const SMALL_CAPITALS = 'ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ';

/**
 * Arabic-script letters of Urdu, Persian and Pashto, unified before transliteration with the Arabic
 * letter closest in sound: the transliterator knows few of them, and a name moved from Latin to
 * Urdu or Pashto must come back to the same Latin letters.
 */
const ARABIC_VARIANTS: Record<string, string> = {
  'ک': 'ك', 'ی': 'ي', 'ى': 'ي', 'ہ': 'ه', 'ھ': 'ه', 'ۃ': 'ة', 'ۀ': 'ه',
  // Urdu retroflexes and final forms.
  'ٹ': 'ت', 'ڈ': 'د', 'ڑ': 'ر', 'ں': 'ن', 'ے': 'ي', 'ۓ': 'ي',
  // Pashto.
  'ټ': 'ت', 'ډ': 'د', 'ړ': 'ر', 'ښ': 'ش', 'ږ': 'ژ', 'ځ': 'ز', 'څ': 'س', 'ګ': 'گ', 'ڼ': 'ن', 'ۍ': 'ي', 'ې': 'ي', 'ئ': 'ي',
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ؤ': 'و',
};

/** Characters that stand for letters in leetspeak, folded to one representative each. */
const LEET: Record<string, string> = {
  '0': 'o', '1': 'i', '!': 'i', '|': 'i', 'l': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', '$': 's', '7': 't', '+': 't', '8': 'b', '9': 'g', '6': 'g',
};

/** Words a mirror adds to the original name; removed to find its core. */
export const MIRROR_AFFIXES = [
  'official', 'offical', 'officiai', 'backup', 'bckup', 'news', 'media', 'new', 'real', 'the', 'tv', 'channel', 'archive', 'updates', 'update',
  'main', 'original', 'orig', 'reborn', 'returns', 'back', 'again', 'alt', 'v', 'x', 'hq', 'live', 'rasmi', 'urdu', 'english', 'en', 'ur', 'ps',
];
/** The affixes as they appear in a visual key (real → reai), since cores are cut from visual keys. */
const VISUAL_AFFIXES = MIRROR_AFFIXES.map((affix) => foldLeet(affix));
/** Both spellings, so that a core can be cut from a readable form too (see `readableCore`). */
const AFFIX_SET = new Set([...VISUAL_AFFIXES, ...MIRROR_AFFIXES]);
const AFFIXES = [...AFFIX_SET];

const confusableMap = confusables as Record<string, string>;

/** NFKC, no format controls, no decorations; case kept, for values shown to a reviewer. */
export function plainForm(text: string): string {
  return text
    .replace(LETTER_PICTOGRAPHS, (ch) => String.fromCharCode(97 + ((ch.codePointAt(0)! - 0x1f150) % 32)))
    .normalize('NFKC')
    .replace(FORMAT_CONTROLS, '')
    .replace(EMOJI_MARKS, '')
    .replace(PICTOGRAPHS, ' ');
}

/** The plain form in lower case. */
export function basicForm(text: string): string {
  return plainForm(text).toLowerCase();
}

/** The TR39 skeleton: every character replaced by its confusable prototype (NFD before and after). */
export function confusableSkeleton(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFD')) out += confusableMap[ch] ?? ch;
  return out.normalize('NFD');
}

/** Before the confusable skeleton too, which would map ٹ and ت to different prototypes. */
function unifyArabic(text: string): string {
  let unified = '';
  for (const ch of text) unified += ARABIC_VARIANTS[ch] ?? ch;
  return unified;
}

function toLatin(text: string): string {
  let unified = '';
  for (const ch of text) {
    const small = SMALL_CAPITALS.indexOf(ch);
    unified += small >= 0 ? String.fromCharCode(97 + small) : ch;
  }
  return transliterate(unified).toLowerCase();
}

function foldLeet(text: string): string {
  let out = '';
  for (const ch of text) out += LEET[ch] ?? ch;
  return out;
}

/** Visual key: what a reader sees, whatever script or trick produced it. */
export function visualKey(text: string): string {
  return foldLeet(toLatin(confusableSkeleton(unifyArabic(basicForm(text))).toLowerCase()).replace(/rn/g, 'm').replace(/vv/g, 'w'));
}

/** Phonetic key: what the name sounds like in Latin letters (transliteration, no homoglyph folding). */
export function phoneticKey(text: string): string {
  return toLatin(unifyArabic(basicForm(text)).normalize('NFD').replace(/\p{M}/gu, ''));
}

/** The name without separators, trailing digits and mirror affixes: ttp_media_official2 → ttp. */
export function coreKey(visual: string): string {
  let tokens = visual.split(SEPARATORS).filter(Boolean).map((t) => t.replace(/\d+$/, '')).filter(Boolean);
  const meaningful = tokens.filter((t) => !AFFIX_SET.has(t));
  if (meaningful.length) tokens = meaningful;
  let joined = tokens.join('');
  // Affixes glued on without a separator: ttpmediaofficial → ttp.
  for (let changed = true; changed; ) {
    changed = false;
    for (const affix of AFFIXES) {
      if (affix.length < 3 || joined.length - affix.length < 3) continue;
      if (joined.endsWith(affix)) {
        joined = joined.slice(0, -affix.length).replace(/\d+$/, '');
        changed = true;
      } else if (joined.startsWith(affix)) {
        joined = joined.slice(affix.length);
        changed = true;
      }
    }
  }
  return joined;
}

/**
 * The core as a reviewer can check it against the handle: look-alike letters outside ASCII read
 * as Latin, ASCII left as written (the core the index matches on folds digits and symbols too,
 * real → reai, and the TR39 skeleton writes m as rn).
 */
export function readableCore(text: string): string {
  let readable = '';
  for (const ch of basicForm(text)) readable += ch < '\u0080' ? ch : confusableSkeleton(ch).toLowerCase();
  return coreKey(toLatin(readable));
}

/** Consonants of the phonetic key with doubles collapsed: taliban and طالبان both give tlbn. */
export function consonantKey(phonetic: string): string {
  return phonetic.replace(/[^a-z]/g, '').replace(/[aeiouyw]/g, '').replace(/h(?=[^aeiou]|$)/g, '').replace(/(.)\1+/g, '$1');
}

export interface NameKeys {
  visual: string;
  core: string;
  phonetic: string;
  consonants: string;
}

export function nameKeys(text: string): NameKeys {
  const visual = visualKey(text);
  const phonetic = phoneticKey(text);
  return { visual, core: coreKey(visual), phonetic, consonants: consonantKey(coreKey(phonetic) || phonetic) };
}
