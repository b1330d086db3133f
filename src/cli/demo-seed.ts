import { Principal, principalFromPartner } from '../auth/principal';
import { signDevToken } from '../auth/jwt';
import type { PaxConfig } from '../config';
import { Role } from '../auth/roles';
import { Authority, Classification, Distribution, PartnerKind, Platform } from '../common/enums';
import { createContext, Services } from '../services';
import { TakedownKind, TakedownPriority, TakedownStatus } from '../modules/takedowns/takedown.enums';
import { Organisation } from '../modules/organisations/organisation.entity';

/** The demo identities whose tokens `pax serve` prints in development. */
export const DEMO_IDENTITIES = [
  { label: 'PTA agency supervisor', partner: 'pta', sub: 'pta-supervisor', roles: [Role.AGENCY_SUPERVISOR] },
  { label: 'PTA agency analyst', partner: 'pta', sub: 'pta-analyst', roles: [Role.AGENCY_ANALYST] },
  { label: 'PTA disclosure reader', partner: 'pta', sub: 'pta-disclosure-reader', roles: [Role.AGENCY_DISCLOSURE_READER] },
  { label: 'MOI agency analyst', partner: 'moi', sub: 'moi-analyst', roles: [Role.AGENCY_ANALYST] },
  { label: 'X platform reviewer', partner: 'x', sub: 'x-reviewer', roles: [Role.PLATFORM_REVIEWER] },
  { label: 'Meta platform reviewer', partner: 'meta', sub: 'meta-reviewer', roles: [Role.PLATFORM_REVIEWER] },
] as const;

export interface DemoPersona {
  label: string;
  partner: string;
  sub: string;
  roles: Role[];
  token: string;
}

/**
 * Fresh 12-hour tokens for the demo identities, where this instance may offer them: development with
 * demo seeding on and the local HS256 secret. Empty otherwise, production always.
 */
export function demoPersonas(config: PaxConfig): DemoPersona[] {
  if (config.production || !config.seedDemoWhenEmpty || !config.jwt.secret) return [];
  return DEMO_IDENTITIES.map((id) => ({ ...id, roles: [...id.roles], token: signDevToken(config.jwt, { ...id, roles: [...id.roles], ttl: '12h' }) }));
}

/**
 * Designations as published by each authority (UN 1267 list, US State Department FTO list,
 * UK Home Office proscribed list, Pakistan's Ministry of Interior / NACTA First Schedule).
 * The README lists them with what is and is not verified.
 */
export const DEMO_ORGANISATIONS = [
  {
    name: 'Tehreek-i-Taliban Pakistan',
    aliases: ['Tehrik-e-Taliban Pakistan', 'TTP', 'Pakistani Taliban', 'تحریک طالبان پاکستان'],
    designations: [
      { authority: Authority.PK, reference: 'NACTA First Schedule: Tehreek-i-Taliban Pakistan', designatedOn: '2008-08-25' },
      { authority: Authority.US, reference: 'FTO: Tehrik-e Taliban Pakistan (TTP)', designatedOn: '2010-09-01' },
      { authority: Authority.UN, reference: 'QDe.132', designatedOn: '2011-07-29' },
    ],
  },
  {
    name: 'Islamic State Khorasan Province',
    aliases: ['ISKP', 'ISIS-K', 'ISIL-K', 'Wilayat Khorasan', 'ولایت خراسان'],
    designations: [
      { authority: Authority.US, reference: 'FTO: ISIS-Khorasan (ISIS-K)', designatedOn: '2016-01-14' },
      { authority: Authority.UN, reference: 'QDe.161', designatedOn: '2019-05-14' },
    ],
  },
  {
    name: 'Balochistan Liberation Army',
    aliases: ['BLA', 'Majeed Brigade', 'بلوچستان لبریشن آرمی'],
    designations: [
      { authority: Authority.PK, reference: 'NACTA First Schedule: Balochistan Liberation Army', designatedOn: '2006-04-07' },
      { authority: Authority.UK, reference: 'Terrorism Act 2000 Sch. 2 (Amendment) Order 2006', designatedOn: '2006-07-17' },
      { authority: Authority.US, reference: 'SDGT: Balochistan Liberation Army', designatedOn: '2019-07-02' },
      { authority: Authority.US, reference: 'FTO: Balochistan Liberation Army and The Majeed Brigade', designatedOn: '2025-08-11' },
    ],
  },
  {
    name: 'Balochistan Liberation Front',
    aliases: ['BLF', 'بلوچستان لبریشن فرنٹ'],
    designations: [{ authority: Authority.PK, reference: 'NACTA First Schedule: Balochistan Liberation Front', designatedOn: '2010-09-08' }],
  },
];

/** Seeds partners, the four organisations, accounts and requests, through the real services. */
export async function seedDemo(services: Services, log: (line: string) => void = () => undefined): Promise<void> {
  const partner = {
    pta: await services.partners.add({ slug: 'pta', name: 'Pakistan Telecommunication Authority', kind: PartnerKind.AGENCY }),
    moi: await services.partners.add({ slug: 'moi', name: 'Ministry of Interior, Pakistan', kind: PartnerKind.AGENCY }),
    x: await services.partners.add({ slug: 'x', name: 'X Corp.', kind: PartnerKind.PLATFORM, platforms: [Platform.X] }),
    meta: await services.partners.add({
      slug: 'meta',
      name: 'Meta Platforms',
      kind: PartnerKind.PLATFORM,
      platforms: [Platform.FACEBOOK, Platform.INSTAGRAM, Platform.WHATSAPP],
    }),
  };
  log('partners: pta, moi (agencies), x, meta (platforms)');
  const as = (p: Principal) => createContext(services, p, 'demo-seed', false);
  const analyst = as(principalFromPartner(partner.pta, 'pta-analyst', [Role.AGENCY_ANALYST], Number.MAX_SAFE_INTEGER));
  const supervisor = as(principalFromPartner(partner.pta, 'pta-supervisor', [Role.AGENCY_SUPERVISOR], Number.MAX_SAFE_INTEGER));
  const xReviewer = as(principalFromPartner(partner.x, 'x-reviewer', [Role.PLATFORM_REVIEWER], Number.MAX_SAFE_INTEGER));

  const orgs: Organisation[] = [];
  for (const org of DEMO_ORGANISATIONS) orgs.push(await services.organisations.designate(analyst, org));
  log(`organisations: ${orgs.map((o) => o.name).join(', ')}`);

  const flag = (platform: Platform, handle: string, displayName: string, org: number, distribution = Distribution.ALL_AGENCIES) =>
    services.accounts.flag(analyst, {
      platform,
      handle,
      displayName,
      bio: `Demo account for PAX; not a real account. Claims to speak for ${orgs[org].name}.`,
      url: `https://example.org/demo/${platform.toLowerCase()}/${handle}`,
      organisationIds: [orgs[org].id],
      distribution,
      internalNotes: 'Demo: traced through a shared Telegram backup link.',
      evidence: [
        { url: `https://example.org/demo/evidence/${handle}/post-1`, description: 'Recruitment post', classification: Classification.SHAREABLE },
        { url: `https://example.org/demo/evidence/${handle}/source`, description: 'Source report', classification: Classification.RESTRICTED },
      ],
    });
  const ttpX = await flag(Platform.X, 'demo_ttp_media', 'TTP Media (demo)', 0);
  const iskpX = await flag(Platform.X, 'demo_khorasan_news', 'Khorasan News (demo)', 1);
  const blaFb = await flag(Platform.FACEBOOK, 'demo.bla.voice', 'BLA Voice (demo)', 2);
  await flag(Platform.INSTAGRAM, 'demo_blf_covert', 'BLF (demo, covert)', 3, Distribution.ORIGINATOR_ONLY);
  log('accounts: 4 flagged (one ORIGINATOR_ONLY)');

  const draft = (accountIds: string[], kind: TakedownKind, priority = TakedownPriority.STANDARD) =>
    services.takedowns.create(analyst, {
      accountIds,
      kind,
      priority,
      legalBasis: { instrument: 'PECA 2016', section: 's.37' },
      reasons: ['Account operated on behalf of a proscribed organisation'],
      internalNotes: 'Demo request.',
    });
  const submit = (id: string) => services.takedowns.updateStatus(supervisor, { id, status: TakedownStatus.SUBMITTED });
  const first = await submit((await draft([ttpX.id], TakedownKind.ORDER)).id);
  await services.takedowns.updateStatus(xReviewer, { id: first.id, status: TakedownStatus.ACKNOWLEDGED });
  await submit((await draft([iskpX.id], TakedownKind.REFERRAL, TakedownPriority.EMERGENCY)).id);
  await draft([blaFb.id], TakedownKind.REFERRAL);
  log('takedown requests: one ACKNOWLEDGED and one SUBMITTED for X, one DRAFT for Meta');
}

export async function isEmpty(services: Services): Promise<boolean> {
  return (await services.db.query('SELECT COUNT(*) AS n FROM partners'))[0].n == 0;
}
