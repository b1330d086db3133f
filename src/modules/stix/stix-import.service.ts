import { DataSource, EntityManager } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { scopeAccounts } from '../../access/policy';
import { Principal } from '../../auth/principal';
import { Authority, Distribution, Platform } from '../../common/enums';
import { badInput, conflict, invalidTransition, notFound } from '../../common/errors';
import { checkIdentifier } from '../../common/identifier';
import { isId, newId } from '../../common/ids';
import { inTransaction } from '../../db/transaction';
import { Account, AccountOrganisation } from '../accounts/account.entity';
import { AccountService, handleKey } from '../accounts/account.service';
import { exactNameKey, hasName, OrganisationMatcher } from '../organisations/organisation-match';
import { Designation, Organisation } from '../organisations/organisation.entity';
import { organisationSearchText } from '../organisations/organisation.service';
import { DESIGNATED_ON, DESIGNATION_SOURCE, platformOfAccountType, StixObject, stixId } from './stix-model';
import { ProposalItem, ProposedDesignation, StixImportAction, StixImportProposal, StixImportStatus, StixMatch } from './stix-import.entity';
import { StixSchemas } from './stix-schemas';

/** Bundles larger than this are refused; OpenCTI exports are split well below it. */
export const MAX_IMPORT_OBJECTS = 5000;

const ORGANISATION_TYPES = ['threat-actor', 'intrusion-set'];

export enum StixImportDecision {
  CONFIRM = 'CONFIRM',
  REJECT = 'REJECT',
}

/** Two spellings of one name (case, punctuation, look-alikes): the sanctions-list import's own key. */
const nameKey = exactNameKey;

/** A name-like value as PAX stores identifiers: no control or bidi characters, trimmed, bounded. */
function cleanName(value: unknown, max: number): string | null {
  const checked = checkIdentifier(value, { max });
  return checked.ok ? checked.value : null;
}

/** A value of the bundle echoed back in a proposal: control and bidi characters removed, bounded. */
const echo = (value: unknown, max: number) => String(value ?? '').replace(/[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '').slice(0, max);

/**
 * PAX's organisations, matched by name as the sanctions-list import matches them, and the STIX ids
 * PAX exports for them (the round trip).
 */
interface KnownOrganisations {
  organisations: Organisation[];
  matcher: OrganisationMatcher<Organisation>;
  byStixId: Map<string, string>;
}

/**
 * STIX import as a proposal: `propose` reads a bundle, validates it against the OASIS schemas and
 * lists what it would create or update, writing nothing else; `decide` confirms it, writing all of
 * it in one transaction, or rejects it. Both are mutations, so both are audited.
 */
export class StixImportService {
  constructor(
    private readonly db: DataSource,
    private readonly accounts: AccountService,
  ) {}

  async propose(ctx: PaxContext, input: { bundle: Record<string, unknown>; distribution?: Distribution | null }): Promise<StixImportProposal> {
    const principal = principalOf(ctx);
    const objects = readBundle(input.bundle);
    const known = await this.knownOrganisations(this.db.manager);
    const recorded = new Map((await this.db.manager.find(Designation)).map((d) => [`${d.authority}|${d.reference}`, d.organisationId]));
    const items: ProposalItem[] = [];
    const orgItems = new Map<string, ProposalItem>();
    const claimed = new Map<string, string>();
    for (const object of objects.filter((o) => ORGANISATION_TYPES.includes(o.type))) {
      const item = proposeOrganisation(object, known, recorded, claimed);
      orgItems.set(object.id, item);
      items.push(item);
    }
    const links = organisationLinks(objects, orgItems, known);
    const users = objects.filter((o) => o.type === 'user-account');
    const resolve = (organisationStixId: string) => orgItems.get(organisationStixId)?.matchedId ?? known.byStixId.get(organisationStixId);
    const visible = await this.visibleAccounts(principal, users);
    for (const object of users) items.push(await proposeAccount(object, visible, links.get(object.id) ?? [], resolve, principal, this.db.manager));
    const proposal: StixImportProposal = Object.assign(new StixImportProposal(), {
      id: newId(),
      partnerId: principal.partnerId,
      proposedBySub: principal.sub,
      status: StixImportStatus.PENDING,
      distribution: input.distribution ?? Distribution.ORIGINATOR_ONLY,
      bundleId: String(input.bundle.id),
      items,
      ignoredObjects: objects.length - items.length - objects.filter((o) => o.type === 'relationship').length,
      createdAt: new Date(),
      decidedBySub: null,
      decidedAt: null,
    });
    await inTransaction(this.db, (em) => em.insert(StixImportProposal, proposal));
    return this.get(ctx, proposal.id);
  }

  /** A proposal of the caller's own agency; any other looks missing. */
  async get(ctx: PaxContext, id: string, em: EntityManager = this.db.manager): Promise<StixImportProposal> {
    const proposal = isId(id) ? await em.findOneBy(StixImportProposal, { id, partnerId: principalOf(ctx).partnerId }) : null;
    if (!proposal) throw notFound('StixImportProposal', id);
    return proposal;
  }

  async decide(ctx: PaxContext, input: { id: string; decision: StixImportDecision }): Promise<StixImportProposal> {
    const principal = principalOf(ctx);
    const created = await inTransaction(this.db, async (em) => {
      const proposal = await this.get(ctx, input.id, em);
      if (proposal.status !== StixImportStatus.PENDING) throw invalidTransition(`the proposal is already ${proposal.status}`);
      const status = input.decision === StixImportDecision.CONFIRM ? StixImportStatus.CONFIRMED : StixImportStatus.REJECTED;
      const claimed = await em
        .createQueryBuilder()
        .update(StixImportProposal)
        .set({ status, decidedBySub: principal.sub, decidedAt: new Date() })
        .where('id = :id AND status = :pending', { id: proposal.id, pending: StixImportStatus.PENDING })
        .execute();
      if (claimed.affected !== 1) throw conflict('the proposal was decided while this ran; read it again');
      return status === StixImportStatus.CONFIRMED ? this.apply(em, principal, proposal) : [];
    });
    // Flagged accounts are screened for mirrors once committed, as flagAccount does.
    for (const id of created) await this.accounts.afterFlag(ctx, await this.accounts.get(ctx, id));
    return this.get(ctx, input.id);
  }

  /** Writes a confirmed proposal; anything that changed since it was made refuses the whole of it. */
  private async apply(em: EntityManager, principal: Principal, proposal: StixImportProposal): Promise<string[]> {
    const stale = (what: string) => conflict(`${what} changed since the proposal was made; propose the bundle again`);
    const organisationOf = new Map<string, string>();
    const known = await this.knownOrganisations(em);
    const now = new Date();
    for (const item of proposal.organisations) {
      for (const d of item.designations) {
        if (await em.findOneBy(Designation, { authority: d.authority, reference: d.reference })) throw stale(`${d.authority} ${d.reference}`);
      }
      if (item.action === StixImportAction.CREATE) {
        if (known.matcher.match([item.name]).kind !== 'NONE') throw stale(`organisation "${item.name}"`);
        const organisation = em.create(Organisation, {
          id: newId(),
          name: item.name,
          aliases: item.aliases,
          searchText: organisationSearchText(item.name, item.aliases),
          internalNotes: null,
          createdByPartnerId: principal.partnerId,
          createdAt: now,
          updatedAt: now,
        });
        await em.insert(Organisation, organisation);
        organisationOf.set(item.stixId, organisation.id);
      } else if (item.matchedId) {
        organisationOf.set(item.stixId, item.matchedId);
        if (item.aliases.length) {
          const organisation = await em.findOneBy(Organisation, { id: item.matchedId });
          if (!organisation) throw stale(`organisation ${item.matchedId}`);
          const aliases = [...organisation.aliases, ...item.aliases];
          await em.update(Organisation, { id: organisation.id }, { aliases, searchText: organisationSearchText(organisation.name, aliases), updatedAt: now });
        } else if (item.designations.length) {
          await em.update(Organisation, { id: item.matchedId }, { updatedAt: now });
        }
      }
      for (const d of item.designations) await em.insert(Designation, { id: newId(), organisationId: organisationOf.get(item.stixId)!, ...d });
    }
    const created: string[] = [];
    for (const item of proposal.accounts) {
      if (item.action === StixImportAction.SKIP || item.action === StixImportAction.UNCHANGED) continue;
      let accountId = item.matchedId;
      if (item.action === StixImportAction.CREATE) {
        const key = handleKey(item.name);
        const earlier = await scopeAccounts(em.createQueryBuilder(Account, 'a'), 'a', principal)
          .andWhere('a.platform = :platform AND a.handleKey = :key', { platform: item.platform, key })
          .getOne();
        if (earlier) throw stale(`@${key} on ${item.platform}`);
        accountId = newId();
        await em.insert(Account, {
          id: accountId,
          platform: item.platform!,
          handle: item.name,
          handleKey: key,
          platformAccountId: null,
          displayName: item.displayName ?? null,
          url: null,
          bio: null,
          avatarPdq: null,
          avatarQuality: null,
          links: null,
          mirrorOfAccountId: null,
          distribution: proposal.distribution,
          internalNotes: null,
          flaggedByPartnerId: principal.partnerId,
          flaggedBySub: principal.sub,
          createdAt: now,
        });
        created.push(accountId);
      }
      const linked = new Set((await em.findBy(AccountOrganisation, { accountId: accountId! })).map((l) => l.organisationId));
      for (const organisationId of item.organisationStixIds.map((s) => organisationOf.get(s) ?? known.byStixId.get(s)).filter((o): o is string => !!o)) {
        if (!linked.has(organisationId)) await em.insert(AccountOrganisation, { accountId: accountId!, organisationId });
        linked.add(organisationId);
      }
    }
    return created;
  }

  private async knownOrganisations(em: EntityManager): Promise<KnownOrganisations> {
    const organisations = await em.find(Organisation);
    return {
      organisations,
      matcher: new OrganisationMatcher(organisations),
      byStixId: new Map(organisations.flatMap((o) => ORGANISATION_TYPES.map((type) => [stixId(type, o.id), o.id] as [string, string]))),
    };
  }

  /** The caller's visible accounts that the bundle could mean: by STIX id round trip, or by platform and handle. */
  private async visibleAccounts(principal: Principal, users: StixObject[]): Promise<Account[]> {
    const keys = users.map((u) => handleKey(String(u.account_login ?? u.user_id ?? ''))).filter(Boolean);
    const ids = new Set(users.map((u) => u.id));
    const query = scopeAccounts(this.db.manager.createQueryBuilder(Account, 'a'), 'a', principal).select(['a.id', 'a.platform', 'a.handleKey', 'a.flaggedByPartnerId']);
    const all = await query.getMany();
    return all.filter((a) => ids.has(stixId('user-account', a.id)) || keys.includes(a.handleKey));
  }
}

/** The bundle's objects, each valid against its OASIS schema; the first invalid one is named. */
function readBundle(bundle: Record<string, unknown>): StixObject[] {
  if (bundle.type !== 'bundle' || typeof bundle.id !== 'string' || !bundle.id.startsWith('bundle--')) {
    throw badInput('not a STIX bundle: it needs "type": "bundle" and an id "bundle--<uuid>"', { field: 'bundle' });
  }
  if (!Array.isArray(bundle.objects)) throw badInput('the bundle has no "objects" list', { field: 'bundle.objects' });
  if (bundle.objects.length > MAX_IMPORT_OBJECTS) throw badInput(`a bundle may hold ${MAX_IMPORT_OBJECTS} objects at most; split it`, { field: 'bundle.objects' });
  const schemas = StixSchemas.get();
  if (bundle.objects.length === 0) throw badInput('the bundle has no objects', { field: 'bundle.objects' });
  const envelope = schemas.envelope(bundle);
  if (!envelope.valid) throw badInput(`the bundle is not valid STIX 2.1: ${envelope.problems.join('; ')}`, { field: 'bundle' });
  bundle.objects.forEach((object: unknown, i: number) => {
    const name = `objects[${i}]`;
    if (!object || typeof object !== 'object' || Array.isArray(object)) throw badInput(`${name} is not a STIX object`, { field: `bundle.${name}` });
    const checked = schemas.object(object as StixObject);
    const id = typeof (object as StixObject).id === 'string' ? ` (${String((object as StixObject).id).slice(0, 120)})` : '';
    if (!checked.valid) throw badInput(`${name}${id} is not valid STIX 2.1: ${checked.problems.join('; ')}`, { field: `bundle.${name}`, stixId: id.slice(2, -1) || null });
  });
  return bundle.objects as StixObject[];
}

function designationsOf(object: StixObject): { designations: ProposedDesignation[]; dropped: string[] } {
  const designations: ProposedDesignation[] = [];
  const dropped: string[] = [];
  for (const ref of (object.external_references as { source_name: string; external_id?: string; description?: string }[] | undefined) ?? []) {
    const authority = DESIGNATION_SOURCE.exec(ref.source_name)?.[1] as Authority | undefined;
    if (!authority) continue;
    const reference = cleanName(ref.external_id, 200);
    const designatedOn = DESIGNATED_ON.exec(ref.description ?? '')?.[1];
    // An ended designation is history, not a listing to record.
    const ended = /de-listed/i.test(ref.description ?? '');
    const realDate = !ended && !!designatedOn && !Number.isNaN(Date.parse(designatedOn)) && new Date(designatedOn).toISOString().startsWith(designatedOn);
    if (!Object.values(Authority).includes(authority) || !reference || !realDate || designatedOn! > new Date().toISOString().slice(0, 10)) {
      dropped.push(echo(ref.source_name, 100));
      continue;
    }
    if (!designations.some((d) => d.authority === authority && d.reference === reference)) {
      designations.push({ authority, reference, designatedOn: designatedOn! });
    }
  }
  return { designations, dropped };
}

function proposeOrganisation(object: StixObject, { organisations, matcher, byStixId }: KnownOrganisations, recorded: Map<string, string>, claimed: Map<string, string>): ProposalItem {
  const base = { stixId: object.id, stixType: object.type, platform: null, organisationStixIds: [] as string[], aliases: [] as string[], designations: [] as ProposedDesignation[] };
  const name = cleanName(object.name, 300);
  if (!name) return { ...base, name: echo(object.name, 300), action: StixImportAction.SKIP, note: 'the name is empty, too long, or carries control characters' };
  const aliases = ((object.aliases as unknown[] | undefined) ?? []).map((a) => cleanName(a, 300)).filter((a): a is string => !!a);
  const keys = [name, ...aliases].map(nameKey).filter(Boolean);
  const paxRef = (object.external_references as { source_name: string; external_id?: string }[] | undefined)?.find((r) => r.source_name === 'pax')?.external_id;
  let matchedBy: StixMatch | null = null;
  let match = organisations.find((o) => byStixId.get(object.id) === o.id || o.id === paxRef);
  if (match) matchedBy = StixMatch.STIX_ID;
  else {
    const byName = matcher.match([name, ...aliases]);
    if (byName.kind === 'AMBIGUOUS') {
      return { ...base, name, action: StixImportAction.SKIP, note: `its names match several organisations (${byName.candidates.map((c) => c.name).join(', ')}); designate or merge by hand` };
    }
    if (byName.kind === 'MATCHED') [match, matchedBy] = [byName.organisation, byName.by === 'NAME' ? StixMatch.NAME : StixMatch.CROSS_SCRIPT];
  }
  const { designations, dropped } = designationsOf(object);
  const notes = dropped.length ? [`left out designations without an authority PAX knows, a reference, a past date, or that have ended: ${dropped.join(', ')}`] : [];
  const fresh = designations.filter((d) => {
    const holder = recorded.get(`${d.authority}|${d.reference}`);
    if (holder && holder !== match?.id) notes.push(`${d.authority} ${d.reference} is already recorded for another organisation`);
    return !holder;
  });
  const own = match?.id ?? keys[0];
  const duplicate = [...keys, own].map((k) => claimed.get(k)).find((other) => other && other !== object.id);
  if (duplicate) return { ...base, name, action: StixImportAction.SKIP, matchedId: match?.id ?? null, matchedBy, note: `the same organisation as ${duplicate}` };
  for (const k of [...keys, own]) claimed.set(k, object.id);
  // One designation names one organisation: two objects proposing it could never both be written,
  // and guessing which one is meant could attach a listing to the wrong organisation.
  for (const d of fresh) {
    const key = `designation:${d.authority}|${d.reference}`;
    const other = claimed.get(key);
    if (other) throw badInput(`${other} and ${object.id} both carry ${d.authority} designation ${d.reference}; one designation belongs to one organisation: merge the two objects or drop the reference from one, then propose again`, { field: 'bundle.objects', stixId: object.id });
    claimed.set(key, object.id);
  }
  if (match) {
    const newAliases = [name, ...aliases].filter((a, i, all) => !hasName(match!, a) && all.findIndex((b) => nameKey(b) === nameKey(a)) === i);
    const changes = newAliases.length + fresh.length;
    return { ...base, name, aliases: newAliases, designations: fresh, action: changes ? StixImportAction.UPDATE : StixImportAction.UNCHANGED, matchedId: match.id, matchedBy, note: notes.join('; ') || null };
  }
  if (!fresh.length) {
    notes.unshift('PAX lists designated organisations only, and this one carries no designation it can record ("<AUTHORITY> designation" reference with a date)');
    return { ...base, name, aliases, action: StixImportAction.SKIP, note: notes.join('; ') };
  }
  return { ...base, name, aliases: aliases.filter((a) => nameKey(a) !== nameKey(name)), designations: fresh, action: StixImportAction.CREATE, matchedId: null, matchedBy: null, note: notes.join('; ') || null };
}

/**
 * The organisations each user-account is linked to by the bundle's relationships, whatever their
 * type: to an organisation of the bundle that will exist, or to one PAX has exported.
 */
function organisationLinks(objects: StixObject[], orgItems: Map<string, ProposalItem>, known: KnownOrganisations): Map<string, string[]> {
  const usable = (id: string) => {
    const item = orgItems.get(id);
    return item ? item.action !== StixImportAction.SKIP : known.byStixId.has(id);
  };
  const links = new Map<string, string[]>();
  for (const r of objects.filter((o) => o.type === 'relationship')) {
    const [source, target] = [String(r.source_ref), String(r.target_ref)];
    for (const [account, organisation] of [[source, target], [target, source]]) {
      if (account.startsWith('user-account--') && ORGANISATION_TYPES.some((t) => organisation.startsWith(`${t}--`)) && usable(organisation)) {
        links.set(account, [...new Set([...(links.get(account) ?? []), organisation])]);
      }
    }
  }
  return links;
}

async function proposeAccount(object: StixObject, visible: Account[], organisationStixIds: string[], resolve: (organisationStixId: string) => string | null | undefined, principal: Principal, em: EntityManager): Promise<ProposalItem> {
  const handle = cleanName(object.account_login ?? object.user_id, 200);
  const platform = typeof object.account_type === 'string' ? platformOfAccountType(object.account_type) : undefined;
  const displayName = typeof object.display_name === 'string' && !object.display_name.includes('\u0000') ? object.display_name.slice(0, 300) : null;
  const base = { stixId: object.id, stixType: object.type, name: handle ?? echo(object.account_login ?? object.user_id, 200), platform: platform ?? null, aliases: [], designations: [], organisationStixIds, displayName };
  if (!platform) return { ...base, action: StixImportAction.SKIP, note: `account_type ${echo(object.account_type ?? '(none)', 100)} is not a platform PAX knows (${Object.values(Platform).join(', ')})` };
  if (!handle) return { ...base, action: StixImportAction.SKIP, note: 'no usable account_login or user_id' };
  let matchedBy: StixMatch = StixMatch.STIX_ID;
  let match = visible.find((a) => stixId('user-account', a.id) === object.id);
  if (!match) {
    matchedBy = StixMatch.HANDLE;
    match = visible.find((a) => a.platform === platform && a.handleKey === handleKey(handle));
  }
  if (!match) return { ...base, action: StixImportAction.CREATE, matchedId: null, matchedBy: null, note: null };
  const matched = { ...base, matchedId: match.id, matchedBy };
  if (match.flaggedByPartnerId !== principal.partnerId) {
    return { ...matched, action: StixImportAction.UNCHANGED, note: "flagged by another agency: its organisation links stay as that agency set them" };
  }
  // A link to an organisation the bundle creates is always new; one to a known organisation may exist already.
  const linked = new Set((await em.findBy(AccountOrganisation, { accountId: match.id })).map((l) => l.organisationId));
  const adds = organisationStixIds.filter((s) => !linked.has(resolve(s) ?? ''));
  return { ...matched, action: adds.length ? StixImportAction.UPDATE : StixImportAction.UNCHANGED, note: null };
}
