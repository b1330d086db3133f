import { consonantKey, phoneticKey, visualKey } from '../mirrors/engine/normalise';

/**
 * Matching a listed organisation to the organisations PAX holds, by name and aliases, across
 * scripts and transliterations. It reuses the mirror engine's normalisation and has no database
 * or GraphQL inside, so other importers (STIX) can use it as it is.
 *
 * Two keys per name:
 *   exact         the visual key without separators: case, punctuation, spacing, homoglyphs and
 *                 compatibility forms do not count ("TEHRIK-I-TALIBAN PAKISTAN" = "Tehrik i Taliban Pakistan")
 *   cross-script  the consonants of the transliterated name, so spelling variants and other scripts
 *                 meet ("Tehreek-e-Taliban Pakistan" = "Tehrik-i-Taliban Pakistan" = "تحریک طالبان پاکستان")
 * An exact hit wins over a cross-script one. More than one organisation hit at the same level is
 * ambiguous and is never merged.
 */

/** Shorter consonant skeletons (al-Qaida gives lqd) collide across unrelated names. */
const MIN_CROSS_SCRIPT_KEY = 5;

/** Latin letters Arabic script writes with another letter: Pakistan is باكستان in Arabic, and v is ف. */
const ARABIC_SCRIPT_FOLDS: Record<string, string> = { p: 'b', v: 'f' };

const PARENTHESISED = /\(([^()]*)\)/g;

export interface NamedOrganisation {
  id: string;
  name: string;
  aliases: readonly string[];
}

export type OrganisationMatch<T extends NamedOrganisation> =
  | { kind: 'NONE' }
  | { kind: 'MATCHED'; organisation: T; by: 'NAME' | 'CROSS_SCRIPT'; listedName: string }
  | { kind: 'AMBIGUOUS'; candidates: T[] };

/** The name, and for "Tehrik-e Taliban Pakistan (TTP)" also the name without the acronym and the acronym. */
function variants(name: string): string[] {
  const bare = name.replace(PARENTHESISED, ' ').trim();
  const inner = [...name.matchAll(PARENTHESISED)].map((m) => m[1].trim());
  return [...new Set([name, bare, ...inner].filter(Boolean))];
}

/** Equal for names that differ only in case, punctuation, spacing or look-alike characters. */
export function exactNameKey(name: string): string {
  return visualKey(name).replace(/[^a-z0-9]/g, '');
}

/** Equal for spelling variants and for the same name in Arabic script or Cyrillic; null when too short to trust. */
export function crossScriptNameKey(name: string): string | null {
  const key = consonantKey(phoneticKey(name).replace(/[^a-z]/g, '')).replace(/[pv]/g, (letter) => ARABIC_SCRIPT_FOLDS[letter]);
  return key.length >= MIN_CROSS_SCRIPT_KEY ? key : null;
}

/** Whether `name` is already one of the organisation's names, by the exact key. */
export function hasName(organisation: NamedOrganisation, name: string): boolean {
  const key = exactNameKey(name);
  return [organisation.name, ...organisation.aliases].some((known) => exactNameKey(known) === key);
}

export class OrganisationMatcher<T extends NamedOrganisation> {
  private readonly exact = new Map<string, Map<string, T>>();
  private readonly crossScript = new Map<string, Map<string, T>>();

  constructor(organisations: Iterable<T> = []) {
    for (const organisation of organisations) this.add(organisation);
  }

  /** Indexes an organisation's names; adding it again after its aliases grew indexes the new ones. */
  add(organisation: T): void {
    for (const name of [organisation.name, ...organisation.aliases].flatMap(variants)) {
      file(this.exact, exactNameKey(name), organisation);
      file(this.crossScript, crossScriptNameKey(name), organisation);
    }
  }

  /** The one organisation that any of `names` designates, or why there is none. */
  match(names: readonly string[]): OrganisationMatch<T> {
    for (const [index, by] of [[this.exact, 'NAME'], [this.crossScript, 'CROSS_SCRIPT']] as const) {
      const hits = new Map<string, { organisation: T; listedName: string }>();
      for (const listedName of names) {
        for (const variant of variants(listedName)) {
          const key = by === 'NAME' ? exactNameKey(variant) : crossScriptNameKey(variant);
          for (const organisation of (key && index.get(key)?.values()) || []) {
            if (!hits.has(organisation.id)) hits.set(organisation.id, { organisation, listedName });
          }
        }
      }
      if (hits.size === 1) {
        const [{ organisation, listedName }] = hits.values();
        return { kind: 'MATCHED', organisation, by, listedName };
      }
      if (hits.size > 1) return { kind: 'AMBIGUOUS', candidates: [...hits.values()].map((hit) => hit.organisation) };
    }
    return { kind: 'NONE' };
  }
}

function file<T extends NamedOrganisation>(index: Map<string, Map<string, T>>, key: string | null, organisation: T): void {
  if (!key) return;
  let filed = index.get(key);
  if (!filed) index.set(key, (filed = new Map()));
  filed.set(organisation.id, organisation);
}
