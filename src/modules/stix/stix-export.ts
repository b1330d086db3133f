import { v4 as uuidv4 } from 'uuid';
import { PaxContext, principalOf } from '../../context';
import { agencyOnly, isAgencyCaseworker, isPlatformCaseworker } from '../../access/policy';
import { Principal, principalFromPartner } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { Classification, Distribution, PartnerKind } from '../../common/enums';
import { Connection, MAX_PAGE_SIZE, PageArgs } from '../../common/connection';
import { Account } from '../accounts/account.entity';
import { AccountService } from '../accounts/account.service';
import { EvidenceItem } from '../evidence/evidence.entity';
import { Organisation } from '../organisations/organisation.entity';
import { OrganisationService } from '../organisations/organisation.service';
import { PartnerView } from '../partners/partner.types';
import { TakedownRequest } from '../takedowns/takedown.entity';
import { TakedownService } from '../takedowns/takedown.service';
import {
  ACCOUNT_TYPES,
  designationDescription,
  designationSource,
  PAX_IDENTITY,
  StixObject,
  stixId,
  stixTime,
  stricter,
  TAKEDOWN_EXTENSION,
  TAKEDOWN_EXTENSION_ID,
  TAKEDOWN_TYPE,
  Tlp,
  tlpMarking,
  tlpRef,
} from './stix-model';

/** The TAXII collections, one per visibility scope; the GraphQL bundle joins the readable ones. */
export enum StixCollection {
  ORGANISATIONS = 'organisations',
  ACCOUNTS = 'accounts',
  TAKEDOWN_REQUESTS = 'takedown-requests',
}

/** Organisations are public lists; accounts and requests are casework. */
export const mayRead = (p: Principal, collection: StixCollection) =>
  collection === StixCollection.ORGANISATIONS || isAgencyCaseworker(p) || isPlatformCaseworker(p);

/**
 * What `pax export stix --partner` exports as: the partner's system account (AUDITOR for an
 * oversight body), so the export is what that partner's integration reads over the API.
 */
export function partnerPrincipal(partner: PartnerView): Principal {
  const role = { [PartnerKind.AGENCY]: Role.AGENCY_SYSTEM, [PartnerKind.PLATFORM]: Role.PLATFORM_SYSTEM, [PartnerKind.OVERSIGHT]: Role.AUDITOR }[partner.kind];
  return principalFromPartner(partner, 'pax-cli', [role], Number.MAX_SAFE_INTEGER);
}

/** An object and when it became visible to the caller, TAXII's date_added. */
export interface StixEntry {
  object: StixObject;
  added: Date;
}

const latest = (...dates: (Date | null | undefined)[]) => new Date(Math.max(...dates.filter((d): d is Date => !!d).map((d) => d.getTime())));

/** A property only when it has a value: the OASIS schemas refuse empty lists and nulls. */
const present = <V>(key: string, value: V | null | undefined): Record<string, V> =>
  value === null || value === undefined || (Array.isArray(value) && value.length === 0) ? {} : { [key]: value };

/**
 * The caller's marking for an account or request. Agencies: ALL_AGENCIES is the agency community
 * (GREEN), ORIGINATOR_ONLY stays in the originating agency (AMBER+STRICT). Platforms never learn
 * the distribution, so everything they receive is AMBER whatever it was, which reveals nothing.
 */
function caseMarking(p: Principal, distribution: Distribution): Tlp {
  const seen = agencyOnly(p, distribution);
  if (seen === null) return Tlp.AMBER;
  return seen === Distribution.ORIGINATOR_ONLY ? Tlp.AMBER_STRICT : Tlp.GREEN;
}

/** Every page of a Relay list, read through its service as the API reads it. */
async function allPages<T>(read: (page: PageArgs) => Promise<Connection<T>>): Promise<T[]> {
  const rows: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await read({ first: MAX_PAGE_SIZE, after });
    rows.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return rows;
    after = page.pageInfo.endCursor;
  }
}

/**
 * STIX 2.1 export of exactly what a principal may see. Everything is read through the same service
 * lists and per-request loaders the GraphQL API uses, so the access policy decides every row, and
 * only fields the caller could read in GraphQL are written (never internal notes, actors or notes).
 */
export class StixExporter {
  constructor(
    private readonly organisations: OrganisationService,
    private readonly accounts: AccountService,
    private readonly takedowns: TakedownService,
  ) {}

  /** The objects of one collection as the principal sees it, each once; nothing if it may not read it. */
  async entries(ctx: PaxContext, collection: StixCollection): Promise<StixEntry[]> {
    const principal = principalOf(ctx);
    if (!mayRead(principal, collection)) return [];
    const markings = new Set<Tlp>([Tlp.CLEAR]);
    const published = new Date(PAX_IDENTITY.created as string);
    const shared: StixEntry[] = [{ object: PAX_IDENTITY, added: published }];
    let own: StixEntry[];
    if (collection === StixCollection.ORGANISATIONS) own = await this.organisationEntries(ctx);
    else if (collection === StixCollection.ACCOUNTS) own = await this.accountEntries(ctx, principal, markings);
    else {
      own = await this.requestEntries(ctx, principal, markings);
      shared.push({ object: TAKEDOWN_EXTENSION, added: published });
    }
    // A marking counts as added with the first object carrying it, not at its publication: a poller
    // with added_after then receives one that first appears later (AMBER+STRICT with the first covert account).
    const carried = [...shared, ...own];
    const definitions = [...markings].map((level) => {
      const firstUse = Math.min(...carried.filter((e) => (e.object.object_marking_refs as string[] | undefined)?.includes(tlpRef(level))).map((e) => e.added.getTime()));
      return { object: tlpMarking(level), added: Number.isFinite(firstUse) ? new Date(firstUse) : published };
    });
    return [...definitions, ...carried];
  }

  /**
   * A bundle of everything the principal may read, for the GraphQL field and `pax export stix`;
   * `progress` hears of each collection done.
   */
  async bundle(ctx: PaxContext, collections: StixCollection[] = Object.values(StixCollection), progress?: (done: number, total: number) => void) {
    const objects = new Map<string, StixObject>();
    for (const [i, collection] of collections.entries()) {
      for (const { object } of await this.entries(ctx, collection)) objects.set(object.id, object);
      progress?.(i + 1, collections.length);
    }
    return { type: 'bundle', id: `bundle--${uuidv4()}`, objects: [...objects.values()] };
  }

  private async organisationEntries(ctx: PaxContext): Promise<StixEntry[]> {
    const organisations = await allPages((page) => this.organisations.list(ctx, {}, page));
    const designations = await ctx.loaders.designationsOfOrganisation.loadMany(organisations.map((o) => o.id));
    return organisations.map((organisation, i) => {
      const listed = designations[i] instanceof Error ? [] : (designations[i] as Exclude<(typeof designations)[number], Error>);
      // Every change is a new version, which TAXII clients polling with added_after receive.
      const modified = organisation.updatedAt;
      return {
        added: modified,
        object: {
          type: 'threat-actor',
          spec_version: '2.1',
          id: threatActorId(organisation),
          created_by_ref: PAX_IDENTITY.id,
          created: stixTime(organisation.createdAt),
          modified: stixTime(modified),
          name: organisation.name,
          threat_actor_types: ['terrorist'],
          ...present('aliases', organisation.aliases),
          external_references: [
            { source_name: 'pax', external_id: organisation.id },
            ...listed.map((d) => ({
              source_name: designationSource(d.authority),
              external_id: d.reference,
              description: designationDescription(d.authority, d.designatedOn, d.delistedOn),
            })),
          ],
          object_marking_refs: [tlpRef(Tlp.CLEAR)],
        },
      };
    });
  }

  /**
   * Accounts and their organisation links. A platform sees an account only once a request names
   * it, so for a platform the account counts as added when the first such request was submitted:
   * a TAXII client polling with added_after then receives it.
   */
  private async accountEntries(ctx: PaxContext, principal: Principal, markings: Set<Tlp>): Promise<StixEntry[]> {
    const accounts = await allPages((page) => this.accounts.list(ctx, {}, page));
    const ids = accounts.map((a) => a.id);
    const [organisations, requests] = await Promise.all([
      ctx.loaders.organisationsOfAccount.loadMany(ids),
      isPlatformCaseworker(principal) ? ctx.loaders.requestsOfAccount.loadMany(ids) : Promise.resolve(ids.map(() => [] as TakedownRequest[])),
    ]);
    return accounts.flatMap((account, i) => {
      const marking = caseMarking(principal, account.distribution);
      markings.add(marking);
      const named = requests[i] instanceof Error ? [] : (requests[i] as TakedownRequest[]);
      const firstSubmitted = named.map((r) => r.submittedAt).filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0];
      const added = latest(account.createdAt, firstSubmitted);
      const linked = organisations[i] instanceof Error ? [] : (organisations[i] as Organisation[]);
      const object = userAccount(account, marking);
      return [
        { object, added },
        ...linked.map((organisation) => ({ object: relationship(object.id, threatActorId(organisation), account.createdAt, marking), added })),
      ];
    });
  }

  private async requestEntries(ctx: PaxContext, principal: Principal, markings: Set<Tlp>): Promise<StixEntry[]> {
    const requests = await allPages((page) => this.takedowns.list(ctx, {}, page));
    const ids = requests.map((r) => r.id);
    const [accounts, organisations, history] = await Promise.all([
      ctx.loaders.accountsOfRequest.loadMany(ids),
      ctx.loaders.organisationsOfRequest.loadMany(ids),
      ctx.loaders.historyOfRequest.loadMany(ids),
    ]);
    const partners = new Map<string, PartnerView>();
    for (const partner of await ctx.loaders.partner.loadMany([...new Set(requests.flatMap((r) => [r.originatorPartnerId, r.addressedPartnerId]))])) {
      if (partner && !(partner instanceof Error)) partners.set(partner.id, partner);
    }
    const namedAccounts = accounts.map((a) => (a instanceof Error ? [] : a));
    const accountIds = [...new Set(namedAccounts.flat().map((a) => a.id))];
    const evidenceOf = new Map(accountIds.map((id, i) => [id, i]));
    const evidenceLists = (await ctx.loaders.evidenceOfAccount.loadMany(accountIds)).map((items) => (items instanceof Error ? [] : items));
    const identities = new Map<string, StixEntry>();
    const entries: StixEntry[] = [];
    for (const [i, request] of requests.entries()) {
      const named = namedAccounts[i];
      const evidence = named.flatMap((a) => evidenceLists[evidenceOf.get(a.id)!]);
      // RESTRICTED items reach only agencies; a request carrying any is kept inside the agency.
      const restricted = evidence.some((e) => e.classification === Classification.RESTRICTED);
      const marking = stricter(caseMarking(principal, request.distribution), restricted ? Tlp.AMBER_STRICT : Tlp.CLEAR);
      markings.add(marking);
      const modified = latest(request.updatedAt, ...evidence.map((e) => e.createdAt));
      for (const partnerId of [request.originatorPartnerId, request.addressedPartnerId]) {
        const partner = partners.get(partnerId);
        if (partner && !identities.has(partner.id)) identities.set(partner.id, { object: partnerIdentity(partner), added: new Date(PAX_IDENTITY.created as string) });
      }
      const steps = history[i] instanceof Error ? [] : (history[i] as Exclude<(typeof history)[number], Error>);
      entries.push({
        added: modified,
        object: {
          type: TAKEDOWN_TYPE,
          spec_version: '2.1',
          id: stixId(TAKEDOWN_TYPE, request.id),
          created_by_ref: stixId('identity', request.originatorPartnerId),
          created: stixTime(request.createdAt),
          modified: stixTime(modified),
          extensions: { [TAKEDOWN_EXTENSION_ID]: { extension_type: 'new-sdo' } },
          status: request.status,
          kind: request.kind,
          priority: request.priority,
          platform: request.platform,
          legal_basis: { instrument: request.legalInstrument, ...present('section', request.legalSection) },
          reasons: request.reasons,
          version: request.version,
          overdue: request.overdue,
          ...present('submitted', request.submittedAt && stixTime(request.submittedAt)),
          ...present('deadline', request.deadlineAt && stixTime(request.deadlineAt)),
          requested_by_ref: stixId('identity', request.originatorPartnerId),
          addressed_to_ref: stixId('identity', request.addressedPartnerId),
          ...present('account_refs', named.map((a) => stixId('user-account', a.id))),
          ...present('organisation_refs', (organisations[i] instanceof Error ? [] : (organisations[i] as Organisation[])).map(threatActorId)),
          status_history: steps.map((step) => ({
            sequence: step.sequence,
            ...present('from_status', step.fromStatus),
            to_status: step.toStatus,
            ...present('reason_code', step.reasonCode),
            ...present('action', step.action),
            at: stixTime(step.at),
          })),
          ...present('evidence', evidence.map(evidenceItem)),
          external_references: [{ source_name: 'pax', external_id: request.id }],
          object_marking_refs: [tlpRef(marking)],
        },
      });
    }
    return [...identities.values(), ...entries];
  }
}

const threatActorId = (organisation: Pick<Organisation, 'id'>) => stixId('threat-actor', organisation.id);

function userAccount(account: Account, marking: Tlp): StixObject {
  return {
    type: 'user-account',
    spec_version: '2.1',
    id: stixId('user-account', account.id),
    user_id: account.platformAccountId ?? account.handle,
    account_login: account.handle,
    account_type: ACCOUNT_TYPES[account.platform],
    ...present('display_name', account.displayName),
    object_marking_refs: [tlpRef(marking)],
  };
}

/** The account is operated for the organisation: STIX's generic link, which OpenCTI accepts between an observable and a threat actor. */
function relationship(source: string, target: string, at: Date, marking: Tlp): StixObject {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: stixId('relationship', `${source}|related-to|${target}`),
    created_by_ref: PAX_IDENTITY.id,
    created: stixTime(at),
    modified: stixTime(at),
    relationship_type: 'related-to',
    description: 'Account flagged in PAX as run by or for this proscribed organisation.',
    source_ref: source,
    target_ref: target,
    object_marking_refs: [tlpRef(marking)],
  };
}

function partnerIdentity(partner: PartnerView): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: stixId('identity', partner.id),
    created_by_ref: PAX_IDENTITY.id,
    created: PAX_IDENTITY.created,
    modified: PAX_IDENTITY.created,
    name: partner.name,
    identity_class: 'organization',
    sectors: [partner.kind === PartnerKind.AGENCY ? 'government-national' : 'technology'],
    external_references: [{ source_name: 'pax', external_id: partner.slug }],
    object_marking_refs: [tlpRef(Tlp.CLEAR)],
  };
}

function evidenceItem(item: EvidenceItem) {
  return {
    ...present('url', item.url),
    ...present('description', item.description),
    classification: item.classification,
    ...present('sha256', item.sha256),
    captured: stixTime(item.capturedAt),
  };
}
