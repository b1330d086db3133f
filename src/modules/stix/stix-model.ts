import { v5 as uuidv5 } from 'uuid';
import { Platform } from '../../common/enums';

/**
 * PAX's namespace for STIX ids. Never change it: OpenCTI and MISP recognise a re-export as an
 * update of what they hold only while a PAX object keeps its STIX id.
 */
export const PAX_STIX_NAMESPACE = '30605f06-057c-4e7d-a754-9b6cc37dcf13';

export type StixObject = { type: string; id: string; [property: string]: unknown };

/** The STIX id of a PAX object: UUIDv5 of `type:paxId`, so each STIX type has its own id space. */
export const stixId = (type: string, paxId: string) => `${type}--${uuidv5(`${type}:${paxId}`, PAX_STIX_NAMESPACE)}`;

/** STIX timestamps carry milliseconds, as the OASIS schemas require of created and modified. */
export const stixTime = (at: Date) => at.toISOString();

/** The time an object's definitions were first published; fixed, so their versions never change. */
const PUBLISHED = '2026-01-01T00:00:00.000Z';

/** PAX itself, the creator of the objects it publishes on its own account. */
export const PAX_IDENTITY: StixObject = {
  type: 'identity',
  spec_version: '2.1',
  id: stixId('identity', 'pax'),
  created: PUBLISHED,
  modified: PUBLISHED,
  name: 'PAX — Proscribed Accounts Exchange',
  identity_class: 'system',
};

/** TLP 2.0 levels, least to most restrictive. */
export enum Tlp {
  CLEAR = 'clear',
  GREEN = 'green',
  AMBER = 'amber',
  AMBER_STRICT = 'amber+strict',
  RED = 'red',
}

const TLP_ORDER = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED];

/** The stricter of two levels. */
export const stricter = (a: Tlp, b: Tlp) => (TLP_ORDER.indexOf(a) >= TLP_ORDER.indexOf(b) ? a : b);

/** OASIS's TLP 2.0 extension (cti-stix-common-objects, extension-definition-specifications/tlp-2.0). */
const TLP_2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The published TLP 2.0 marking-definition ids; STIX 2.1 itself predefines only TLP 1.0. */
const TLP_IDS: Record<Tlp, string> = {
  [Tlp.CLEAR]: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  [Tlp.GREEN]: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  [Tlp.AMBER]: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  [Tlp.AMBER_STRICT]: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  [Tlp.RED]: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

export const tlpRef = (level: Tlp) => TLP_IDS[level];

/** The marking-definition object exactly as OASIS publishes it. */
export const tlpMarking = (level: Tlp): StixObject => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id: TLP_IDS[level],
  created: '2022-10-01T00:00:00.000Z',
  name: `TLP:${level.toUpperCase()}`,
  extensions: { [TLP_2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: level } },
});

/** The marking a set of marking refs amounts to, for tests and for the import's summary. */
export const tlpOfRef = (ref: string): Tlp | undefined => (Object.entries(TLP_IDS) as [Tlp, string][]).find(([, id]) => id === ref)?.[0];

/** STIX's account-type-ov where it has the platform, the platform's own name otherwise. */
export const ACCOUNT_TYPES: Record<Platform, string> = {
  [Platform.X]: 'twitter',
  [Platform.FACEBOOK]: 'facebook',
  [Platform.INSTAGRAM]: 'instagram',
  [Platform.WHATSAPP]: 'whatsapp',
  [Platform.TELEGRAM]: 'telegram',
  [Platform.YOUTUBE]: 'youtube',
  [Platform.TIKTOK]: 'tiktok',
};

/** The platform a user-account's account_type names; `x` is taken too, as tools now write it. */
export function platformOfAccountType(accountType: string): Platform | undefined {
  const type = accountType.trim().toLowerCase();
  if (type === 'x') return Platform.X;
  return (Object.entries(ACCOUNT_TYPES) as [Platform, string][]).find(([, name]) => name === type)?.[0];
}

/** STIX has no takedown type: PAX publishes one as a new SDO, defined by this extension. */
export const TAKEDOWN_TYPE = 'x-pax-takedown-request';
export const TAKEDOWN_EXTENSION_ID = stixId('extension-definition', TAKEDOWN_TYPE);
/** Where every PAX instance serves the extension's JSON schema, relative to its own address. */
export const TAKEDOWN_SCHEMA_PATH = '/stix/extensions/x-pax-takedown-request.json';

export const TAKEDOWN_EXTENSION: StixObject = {
  type: 'extension-definition',
  spec_version: '2.1',
  id: TAKEDOWN_EXTENSION_ID,
  created_by_ref: PAX_IDENTITY.id,
  created: PUBLISHED,
  modified: PUBLISHED,
  name: 'PAX takedown request',
  description:
    'A request from a government agency to a platform to remove accounts run by a proscribed organisation, with its status, legal basis, deadline and history.',
  schema: `JSON Schema (draft 2020-12) served by every PAX instance at ${TAKEDOWN_SCHEMA_PATH}; $id urn:pax:stix:x-pax-takedown-request:1.0.0`,
  version: '1.0.0',
  extension_types: ['new-sdo'],
  object_marking_refs: [TLP_IDS[Tlp.CLEAR]],
};

/** Designations travel as external references; the import reads them back from this form. */
export const designationSource = (authority: string) => `${authority} designation`;
export const DESIGNATION_SOURCE = /^([A-Z]+) designation$/;
export const designationDescription = (authority: string, designatedOn: string, delistedOn: string | null) =>
  `Designated by ${authority} on ${designatedOn}${delistedOn ? `; de-listed on ${delistedOn}` : ''}`;
export const DESIGNATED_ON = /\b(\d{4}-\d{2}-\d{2})\b/;
