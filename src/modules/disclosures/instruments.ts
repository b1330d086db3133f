import { badInput } from '../../common/errors';
import { DataCategory, DisclosureType } from './disclosure.enums';

/**
 * What one legal instrument allows: requests whose instrument starts with `instrument`
 * (case-insensitive) may ask for `categories`, and only as the listed `types`. The longest matching
 * prefix wins, so "PECA 2016 s.31" can allow more than "PECA 2016".
 */
export interface InstrumentRule {
  instrument: string;
  categories: DataCategory[];
  types: DisclosureType[];
  source: string;
}

const { BASIC_SUBSCRIBER, NON_CONTENT, CONTENT } = DataCategory;
const { PRESERVATION, EMERGENCY, LEGAL_PROCESS } = DisclosureType;

/** The defaults; the README lists them. Override with PAX_DISCLOSURE_INSTRUMENTS (a JSON array). */
export const DEFAULT_INSTRUMENTS: InstrumentRule[] = [
  { instrument: 'PECA 2016 s.28', categories: [BASIC_SUBSCRIBER, NON_CONTENT, CONTENT], types: [PRESERVATION], source: 'PECA 2016 s.28: expedited preservation of data, up to 90 days' },
  { instrument: 'PECA 2016 s.29', categories: [BASIC_SUBSCRIBER, NON_CONTENT], types: [LEGAL_PROCESS, EMERGENCY], source: 'PECA 2016 s.29: retained traffic data, provided on a court warrant' },
  { instrument: 'PECA 2016 s.30', categories: [BASIC_SUBSCRIBER, NON_CONTENT, CONTENT], types: [LEGAL_PROCESS], source: 'PECA 2016 s.30: court warrant for search or seizure' },
  { instrument: 'PECA 2016 s.31', categories: [BASIC_SUBSCRIBER, NON_CONTENT, CONTENT], types: [LEGAL_PROCESS], source: 'PECA 2016 s.31: court warrant for disclosure of content data' },
  { instrument: 'PECA 2016 s.32', categories: [BASIC_SUBSCRIBER, NON_CONTENT], types: [LEGAL_PROCESS, EMERGENCY], source: 'PECA 2016 s.32: powers of an authorised officer under a warrant' },
  { instrument: '18 U.S.C. 2703(f)', categories: [BASIC_SUBSCRIBER, NON_CONTENT, CONTENT], types: [PRESERVATION], source: 'US Stored Communications Act: preservation for 90 days, renewable once' },
  { instrument: '18 U.S.C. 2702', categories: [BASIC_SUBSCRIBER, NON_CONTENT], types: [EMERGENCY], source: 'US SCA 2702(b)(8), (c)(4): voluntary disclosure in an emergency involving danger of death or serious injury' },
  { instrument: '18 U.S.C. 2703(d)', categories: [BASIC_SUBSCRIBER, NON_CONTENT], types: [LEGAL_PROCESS], source: 'US SCA: court order for non-content records' },
  { instrument: '18 U.S.C. 2703(a)', categories: [BASIC_SUBSCRIBER, NON_CONTENT, CONTENT], types: [LEGAL_PROCESS], source: 'US SCA: search warrant, required for content' },
  { instrument: 'EU 2023/1543', categories: [BASIC_SUBSCRIBER, NON_CONTENT, CONTENT], types: [PRESERVATION, LEGAL_PROCESS, EMERGENCY], source: 'EU e-Evidence Regulation: European Production and Preservation Orders (content and traffic data need a judge)' },
  { instrument: 'MLAT', categories: [BASIC_SUBSCRIBER, NON_CONTENT, CONTENT], types: [LEGAL_PROCESS], source: 'Mutual legal assistance: executed through the requested state\'s court' },
  { instrument: 'Court order', categories: [BASIC_SUBSCRIBER, NON_CONTENT, CONTENT], types: [PRESERVATION, LEGAL_PROCESS], source: 'A court order or warrant covers content' },
  { instrument: 'Warrant', categories: [BASIC_SUBSCRIBER, NON_CONTENT, CONTENT], types: [PRESERVATION, LEGAL_PROCESS], source: 'A court order or warrant covers content' },
  { instrument: 'Subpoena', categories: [BASIC_SUBSCRIBER], types: [LEGAL_PROCESS], source: 'A subpoena reaches basic subscriber information only' },
];

export function ruleFor(rules: InstrumentRule[], instrument: string): InstrumentRule | null {
  const wanted = instrument.trim().toLowerCase();
  return rules
    .filter((r) => wanted.startsWith(r.instrument.toLowerCase()))
    .sort((a, b) => b.instrument.length - a.instrument.length)[0] ?? null;
}

/** Refuses, with BAD_USER_INPUT, a type or category the stated instrument does not cover. */
export function assertCovered(rules: InstrumentRule[], instrument: string, type: DisclosureType, categories: DataCategory[]): void {
  const rule = ruleFor(rules, instrument);
  if (!rule) {
    throw badInput(`no configured instrument matches "${instrument}"; known: ${rules.map((r) => r.instrument).join('; ')} (see PAX_DISCLOSURE_INSTRUMENTS)`, { field: 'legalBasis' });
  }
  if (!rule.types.includes(type)) {
    throw badInput(`${rule.instrument} does not support ${type} requests, only ${rule.types.join(', ')}`, { field: 'type' });
  }
  const uncovered = categories.filter((c) => !rule.categories.includes(c));
  if (uncovered.length) {
    throw badInput(`${rule.instrument} does not cover ${uncovered.join(', ')}; it covers ${rule.categories.join(', ')}`, { field: 'categories', uncovered });
  }
}

export function parseInstrumentRules(json: string): InstrumentRule[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error('PAX_DISCLOSURE_INSTRUMENTS must be a non-empty JSON array of rules');
  for (const rule of parsed as InstrumentRule[]) {
    const known = (values: unknown, allowed: object) => Array.isArray(values) && values.length > 0 && values.every((v) => Object.values(allowed).includes(v));
    if (typeof rule.instrument !== 'string' || !known(rule.categories, DataCategory) || !known(rule.types, DisclosureType)) {
      throw new Error(`PAX_DISCLOSURE_INSTRUMENTS rule ${JSON.stringify(rule)} needs "instrument", "categories" (${Object.values(DataCategory).join('|')}) and "types" (${Object.values(DisclosureType).join('|')})`);
    }
  }
  return parsed as InstrumentRule[];
}
