import { registerEnumType } from 'type-graphql';
import { Authority } from '../../../common/enums';

/** The published formats PAX reads designations from. */
export enum DesignationSource {
  UN = 'UN',
  OFAC = 'OFAC',
  UK = 'UK',
  EU = 'EU',
  CSV = 'CSV',
}
registerEnumType(DesignationSource, {
  name: 'DesignationSource',
  description: 'UN: Security Council Consolidated List XML. OFAC: the SDN list XML. UK: the UK Sanctions List XML (FCDO). EU: the consolidated financial sanctions list XML 1.1. CSV: PAX\'s CSV for lists published only as documents (NACTA\'s First Schedule).',
});

export interface ListedAlias {
  name: string;
  /** False for the lists' low-quality or weak aliases, which are too broad to identify anyone. */
  strong: boolean;
}

/** One organisation as a list carries it. */
export interface ListedEntity {
  /** The list's own identifier of the entry: QDe.132, an SDN uid, a UK unique id, an EU reference. */
  reference: string;
  name: string;
  aliases: ListedAlias[];
  /** Null when the list does not say (the SDN list carries no designation dates). */
  designatedOn: string | null;
  /** Where the entry starts in the file, for messages. */
  line: number | null;
}

/** A whole list as published: what it carries now is all that is designated under it. */
export interface SanctionsList {
  authority: Authority;
  /** The list's name, which scopes de-listing: only designations imported from this list can end. */
  list: string;
  /** The date the list was generated or published, when it says. */
  publishedOn: string | null;
  entities: ListedEntity[];
  individualsSkipped: number;
  /** Vessels and aircraft. */
  otherSkipped: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as YYYY-MM-DD, or null when `value` is not one (29 February of a common year included). */
export function isoDate(value: string | null | undefined): string | null {
  const day = value?.trim().slice(0, 10);
  if (!day || !ISO_DATE.test(day)) return null;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day ? day : null;
}

/** A date written with slashes, day first (the UK) or month first (OFAC); null when a part is missing or a placeholder. */
export function slashedDate(value: string | null, order: 'DMY' | 'MDY'): string | null {
  const parts = value?.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
  if (!parts) return null;
  const [day, month] = order === 'DMY' ? [parts[1], parts[2]] : [parts[2], parts[1]];
  return isoDate(`${parts[3]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`);
}

/** Aliases without repeats of the name or of each other; a strong spelling wins over a weak one. */
export function distinctAliases(name: string, aliases: ListedAlias[]): ListedAlias[] {
  const byName = new Map<string, ListedAlias>();
  for (const alias of aliases) {
    const trimmed = alias.name.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (!trimmed || trimmed === name) continue;
    const known = byName.get(trimmed);
    if (!known || (alias.strong && !known.strong)) byName.set(trimmed, { name: trimmed, strong: alias.strong });
  }
  return [...byName.values()];
}
