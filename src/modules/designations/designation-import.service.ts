import { setImmediate as nextTurn } from 'node:timers/promises';
import { DataSource, EntityManager, In } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { Clock } from '../../common/clock';
import { badInput, conflict, PaxError, PaxErrorCode } from '../../common/errors';
import { newId } from '../../common/ids';
import { engineOf, isUniqueViolation, serialiseByName } from '../../db/dialect';
import { inTransaction } from '../../db/transaction';
import { EventBus, TakedownReviewFlaggedEvent } from '../../events/event-bus';
import { AccountOrganisation } from '../accounts/account.entity';
import { Designation, Organisation } from '../organisations/organisation.entity';
import { hasName, OrganisationMatcher } from '../organisations/organisation-match';
import { organisationSearchText } from '../organisations/organisation.service';
import { ReviewFlag } from '../takedowns/review-flag.entity';
import { FINAL_STATUSES, TakedownRequest, TakedownRequestAccount, TakedownRequestOrganisation } from '../takedowns/takedown.entity';
import { DesignationSource, ListedEntity, SanctionsList } from './lists/sanctions-list';
import { TaskPool } from '../../workers/task-pool';
import { DesignationListImport } from './designation-list.entity';
import { DesignationChange, DesignationImportResult, ImportDesignationsInput, MatchedBy, UnresolvedListing } from './designation-import.types';

/** Progress of a long import, for the CLI's bar: matching each entity, then writing each row. */
export type ImportProgress = (phase: 'matching' | 'writing', done: number, total: number) => void;

const BATCH = 200;
const MAX_NAME = 300;
const MAX_REFERENCE = 200;

interface PlannedOrganisation {
  id: string;
  name: string;
  aliases: string[];
  isNew: boolean;
  delistedAt: Date | null;
  aliasesAdded: string[];
  /** For a new one: the entry that made it. */
  reference?: string;
}

interface Plan {
  list: SanctionsList;
  delistedOn: string;
  /** Designations of this list active before the import. */
  active: number;
  organisations: PlannedOrganisation[];
  inserts: Designation[];
  updates: { id: string; organisationId: string; set: Partial<Designation> }[];
  newDesignations: DesignationChange[];
  changedDesignations: DesignationChange[];
  delistings: { designation: Designation; organisation: PlannedOrganisation; stillDesignated: boolean }[];
  unresolved: UnresolvedListing[];
  /** Left with no active designation: marked, and their open requests flagged. */
  undesignated: PlannedOrganisation[];
  /** Marked before, designated again by this import. */
  redesignated: PlannedOrganisation[];
}

const chunks = <T>(items: T[], size = BATCH): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Imports a published list: parse, plan (the diff), and apply the plan in one transaction. A
 * designation is keyed by authority and reference, so importing the same file again plans
 * nothing. The GraphQL mutation and `pax designations import` both call `import`.
 */
export class DesignationImportService {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly workers: TaskPool,
  ) {}

  async import(ctx: PaxContext, input: ImportDesignationsInput, progress: ImportProgress = () => {}): Promise<DesignationImportResult> {
    if (input.content.includes('\u0000')) throw badInput('the file contains a NUL character; it is not a published list; nothing was imported');
    const parsed = await this.workers.run('parseDesignationList', { source: input.source, content: input.content });
    if ('refusal' in parsed) throw new PaxError(parsed.refusal.extensions.code as PaxErrorCode, parsed.refusal.message, parsed.refusal.extensions);
    const list = parsed.list;
    if (list.entities.length === 0) throw badInput(`the file carries no entities; PAX imports whole lists, and an empty one would de-list every organisation of the ${list.list}; nothing was imported`);
    if (input.dryRun) {
      await refuseStale(this.db.manager, list);
      const plan = await this.plan(this.db.manager, list, progress, true);
      refuseMassDelisting(plan, input);
      return this.result(input.source, plan, true);
    }
    const partnerId = principalOf(ctx).partnerId;
    let flagged: TakedownReviewFlaggedEvent[] = [];
    try {
      const plan = await inTransaction(this.db, async (em) => {
        await serialiseByName(this.db, em, 'designation-import');
        await refuseStale(em, list);
        // On SQLite other requests share the open transaction's connection, so it must not yield.
        const planned = await this.plan(em, list, progress, engineOf(this.db) === 'postgres');
        refuseMassDelisting(planned, input);
        flagged = await this.apply(em, planned, partnerId, progress);
        return planned;
      });
      for (const event of flagged) this.events.publish('TAKEDOWN_REVIEW_FLAGGED', event);
      return { ...this.result(input.source, plan, false), reviewFlagsRaised: flagged.length };
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('a designation of this list was recorded meanwhile by another change; run the import again');
      throw error;
    }
  }

  /** `yields`: let other requests run between slices of the matching, which takes seconds for large lists. */
  private async plan(em: EntityManager, list: SanctionsList, progress: ImportProgress, yields: boolean): Promise<Plan> {
    const organisations = new Map<string, PlannedOrganisation>(
      (await em.find(Organisation)).map((o) => [o.id, { id: o.id, name: o.name, aliases: [...o.aliases], isNew: false, delistedAt: o.delistedAt, aliasesAdded: [] }]),
    );
    const designations = await em.find(Designation, { where: { authority: list.authority } });
    // Old rows typed in by hand may share a reference with each other or with an imported one (the
    // unique key covers imported rows only): the imported row wins, else one hand-typed row is adopted.
    const byReference = new Map([...designations].sort((a, b) => Number(a.list !== null) - Number(b.list !== null)).map((d) => [d.reference, d]));
    const matcher = new OrganisationMatcher<PlannedOrganisation>();
    // Normalising every known name takes seconds at tens of thousands of organisations.
    for (const [index, organisation] of [...organisations.values()].entries()) {
      matcher.add(organisation);
      if (yields && index % 200 === 199) await nextTurn();
    }
    const today = this.clock.now().toISOString().slice(0, 10);
    const plan: Plan = {
      list, delistedOn: list.publishedOn ?? today, active: 0, organisations: [], inserts: [], updates: [], newDesignations: [], changedDesignations: [],
      delistings: [], unresolved: [], undesignated: [], redesignated: [],
    };
    const gaining = new Set<string>();
    // A list's entries are distinct organisations: one that already carries another entry of this
    // list is not matched again by name.
    const carriedBy = new Map(designations.filter((d) => d.list === list.list).map((d) => [d.organisationId, d.reference]));
    for (const [index, entity] of list.entities.entries()) {
      if (index % 100 === 0) progress('matching', index, list.entities.length);
      if (yields && index % 200 === 199) await nextTurn();
      checkLengths(list, entity);
      const strongAliases = entity.aliases.filter((alias) => alias.strong).map((alias) => alias.name);
      const existing = byReference.get(entity.reference);
      let organisation: PlannedOrganisation;
      if (existing) {
        organisation = organisations.get(existing.organisationId)!;
        const { set, changes } = designationChanges(existing, entity, list);
        if (set.delistedOn === null) gaining.add(organisation.id);
        if (changes.length) {
          plan.updates.push({ id: existing.id, organisationId: existing.organisationId, set });
          plan.changedDesignations.push(change(entity, organisation, MatchedBy.REFERENCE, set.designatedOn ?? existing.designatedOn, changes));
        }
      } else {
        const match = matcher.match([entity.name, ...strongAliases]);
        const unresolved = (reason: string, candidates: PlannedOrganisation[]) =>
          plan.unresolved.push({ reference: entity.reference, name: entity.name, line: entity.line, reason, candidates: candidates.map(({ id, name }) => ({ id, name })) });
        if (match.kind === 'AMBIGUOUS') {
          unresolved('its names fit several organisations', match.candidates);
          continue;
        }
        const claimed = match.kind === 'MATCHED' ? carriedBy.get(match.organisation.id) : undefined;
        if (match.kind === 'MATCHED' && claimed) {
          unresolved(`its names fit ${match.organisation.name}, which already carries ${claimed} of this list`, [match.organisation]);
          continue;
        }
        if (match.kind === 'MATCHED') {
          organisation = match.organisation;
        } else {
          organisation = { id: newId(), name: entity.name, aliases: [], isNew: true, delistedAt: null, aliasesAdded: [], reference: entity.reference };
          organisations.set(organisation.id, organisation);
        }
        const designatedOn = entity.designatedOn ?? plan.delistedOn;
        plan.inserts.push({ id: newId(), organisationId: organisation.id, authority: list.authority, reference: entity.reference, designatedOn, list: list.list, delistedOn: null } as Designation);
        plan.newDesignations.push(change(entity, organisation, match.kind === 'MATCHED' ? MatchedBy[match.by] : MatchedBy.NEW_ORGANISATION, designatedOn, []));
        gaining.add(organisation.id);
        carriedBy.set(organisation.id, entity.reference);
      }
      // The list's own name for an organisation PAX knows by another name is one more alias.
      for (const alias of [entity.name, ...strongAliases]) {
        if (hasName(organisation, alias)) continue;
        organisation.aliases.push(alias);
        if (!organisation.isNew) organisation.aliasesAdded.push(alias);
      }
      matcher.add(organisation);
    }
    const carried = new Set(list.entities.map((entity) => entity.reference));
    const active = designations.filter((d) => d.list === list.list && d.delistedOn === null);
    plan.active = active.length;
    const ending = active.filter((d) => !carried.has(d.reference));
    const remaining = await this.activeDesignationCounts(em, [...new Set(ending.map((d) => d.organisationId))]);
    for (const designation of ending) remaining.set(designation.organisationId, (remaining.get(designation.organisationId) ?? 0) - 1);
    for (const designation of ending) {
      const organisation = organisations.get(designation.organisationId)!;
      const stillDesignated = (remaining.get(organisation.id) ?? 0) > 0 || gaining.has(organisation.id);
      plan.delistings.push({ designation, organisation, stillDesignated });
      if (!stillDesignated && organisation.delistedAt === null && !plan.undesignated.includes(organisation)) plan.undesignated.push(organisation);
    }
    plan.organisations = [...organisations.values()];
    plan.redesignated = plan.organisations.filter((o) => o.delistedAt !== null && gaining.has(o.id));
    progress('matching', list.entities.length, list.entities.length);
    return plan;
  }

  private async activeDesignationCounts(em: EntityManager, organisationIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const ids of chunks(organisationIds)) {
      const rows = await em
        .createQueryBuilder(Designation, 'd')
        .select('d.organisationId', 'organisationId')
        .addSelect('COUNT(*)', 'active')
        .where('d.organisationId IN (:...ids) AND d.delistedOn IS NULL', { ids })
        .groupBy('d.organisationId')
        .getRawMany<{ organisationId: string; active: string | number }>();
      for (const row of rows) counts.set(row.organisationId, Number(row.active));
    }
    return counts;
  }

  /** Writes the plan; returns the review flags raised, to publish once the transaction commits. */
  private async apply(em: EntityManager, plan: Plan, partnerId: string, progress: ImportProgress): Promise<TakedownReviewFlaggedEvent[]> {
    const now = this.clock.now();
    const created = plan.organisations.filter((o) => o.isNew);
    const grown = plan.organisations.filter((o) => o.aliasesAdded.length);
    const total = created.length + grown.length + plan.inserts.length + plan.updates.length + plan.delistings.length;
    let done = 0;
    const wrote = (rows: number) => progress('writing', (done += rows), total);
    for (const batch of chunks(created)) {
      await em.insert(Organisation, batch.map((o) => ({
        id: o.id, name: o.name, aliases: o.aliases, searchText: organisationSearchText(o.name, o.aliases), internalNotes: null, createdByPartnerId: partnerId, createdAt: now, updatedAt: now, delistedAt: null,
      })));
      wrote(batch.length);
    }
    for (const organisation of grown) {
      await em.update(Organisation, { id: organisation.id }, { aliases: organisation.aliases, searchText: organisationSearchText(organisation.name, organisation.aliases) });
      wrote(1);
    }
    for (const batch of chunks(plan.inserts)) {
      await em.insert(Designation, batch);
      wrote(batch.length);
    }
    for (const { id, set } of plan.updates) {
      await em.update(Designation, { id }, set);
      wrote(1);
    }
    for (const batch of chunks(plan.delistings)) {
      await em.update(Designation, { id: In(batch.map((d) => d.designation.id)) }, { delistedOn: plan.delistedOn });
      wrote(batch.length);
    }
    if (plan.list.publishedOn) await em.save(DesignationListImport, { list: plan.list.list, publishedOn: plan.list.publishedOn, importedAt: now });
    for (const batch of chunks(plan.redesignated)) await em.update(Organisation, { id: In(batch.map((o) => o.id)) }, { delistedAt: null });
    for (const batch of chunks(plan.undesignated)) await em.update(Organisation, { id: In(batch.map((o) => o.id)) }, { delistedAt: now });
    const changed = new Set([...grown.map((o) => o.id), ...plan.inserts.map((d) => d.organisationId), ...plan.updates.map((u) => u.organisationId), ...plan.delistings.map((d) => d.designation.organisationId)]);
    for (const batch of chunks([...changed])) await em.update(Organisation, { id: In(batch) }, { updatedAt: now });
    const events: TakedownReviewFlaggedEvent[] = [];
    for (const organisation of plan.undesignated) {
      const references = plan.delistings.filter((d) => d.organisation === organisation).map((d) => d.designation.reference);
      const reason = `organisation "${organisation.name}" de-listed by ${plan.list.authority} on ${plan.delistedOn} (${references.join(', ')}, ${plan.list.list}); it has no active designation left`;
      const flags = (await openRequestsAgainst(em, organisation.id)).map((takedownRequestId) => ({ id: newId(), takedownRequestId, organisationId: organisation.id, reason, raisedAt: now }));
      for (const batch of chunks(flags)) await em.insert(ReviewFlag, batch);
      events.push(...flags.map((flag) => ({ requestId: flag.takedownRequestId, flagId: flag.id })));
    }
    return events;
  }

  private result(source: DesignationSource, plan: Plan, dryRun: boolean): DesignationImportResult {
    const created = plan.organisations.filter((o) => o.isNew);
    const createdIds = new Set(created.map((o) => o.id));
    // A dry run creates nothing, so it has no id to show for a new organisation.
    const shown = (id: string | null) => (dryRun && id && createdIds.has(id) ? null : id);
    const diff = {
      newOrganisations: created.map((o) => ({ organisationId: shown(o.id), name: o.name, aliases: o.aliases, reference: o.reference! })),
      newDesignations: plan.newDesignations.map((d) => ({ ...d, organisationId: shown(d.organisationId) })),
      changedDesignations: plan.changedDesignations,
      aliasesAdded: plan.organisations.filter((o) => o.aliasesAdded.length).map((o) => ({ organisationId: o.id, organisationName: o.name, aliases: o.aliasesAdded })),
      delistings: plan.delistings.map(({ designation, organisation, stillDesignated }) => ({
        reference: designation.reference, delistedOn: plan.delistedOn, organisationId: organisation.id, organisationName: organisation.name, organisationStillDesignated: stillDesignated,
      })),
    };
    return {
      source,
      list: plan.list.list,
      authority: plan.list.authority,
      publishedOn: plan.list.publishedOn,
      dryRun,
      // Unresolved entries change nothing; they are listed on every import until told apart.
      empty: Object.values(diff).every((items) => items.length === 0),
      entitiesRead: plan.list.entities.length,
      individualsSkipped: plan.list.individualsSkipped,
      otherSkipped: plan.list.otherSkipped,
      ...diff,
      unresolved: plan.unresolved,
      reviewFlagsRaised: 0,
    };
  }
}

/** A file published before the last one imported would de-list and re-list with old dates. */
async function refuseStale(em: EntityManager, list: SanctionsList): Promise<void> {
  if (!list.publishedOn) return;
  const last = await em.findOneBy(DesignationListImport, { list: list.list });
  if (last && list.publishedOn < last.publishedOn) {
    throw badInput(`the ${list.list} of ${list.publishedOn} is older than the last import (${last.publishedOn}); import the current list; nothing was imported`, {
      publishedOn: list.publishedOn,
      lastImported: last.publishedOn,
    });
  }
}

const MASS_DELISTING = { share: 0.1, count: 3 };

/** A partial file, or another list with the same root element, would de-list everything it lacks. */
function refuseMassDelisting(plan: Plan, input: ImportDesignationsInput): void {
  const count = plan.delistings.length;
  if (input.allowMassDelisting || count <= MASS_DELISTING.count || count <= plan.active * MASS_DELISTING.share) return;
  throw badInput(
    `the file would de-list ${count} of the ${plan.active} active designations of the ${plan.list.list}, more than ${MASS_DELISTING.share * 100}%; check that it is the whole current list, and if these de-listings are real, import it again with allowMassDelisting: true (pax designations import --allow-mass-delisting); nothing was imported`,
    { delistings: count, active: plan.active },
  );
}

function checkLengths(list: SanctionsList, entity: ListedEntity): void {
  const where = `entry ${entity.reference}${entity.line ? ` (line ${entity.line})` : ''}`;
  if (entity.reference.length > MAX_REFERENCE) throw badInput(`${where}: the reference is longer than ${MAX_REFERENCE} characters; nothing was imported`, { line: entity.line });
  for (const name of [entity.name, ...entity.aliases.map((alias) => alias.name)]) {
    if (name.length > MAX_NAME) throw badInput(`${where} of the ${list.list}: a name is longer than ${MAX_NAME} characters; nothing was imported`, { line: entity.line });
  }
}

/** What an entry changes in the designation already recorded under its reference. */
function designationChanges(existing: Designation, entity: ListedEntity, list: SanctionsList): { set: Partial<Designation>; changes: string[] } {
  const set: Partial<Designation> = {};
  const changes: string[] = [];
  if (existing.delistedOn) {
    set.delistedOn = null;
    changes.push(`re-listed (de-listed on ${existing.delistedOn})`);
  }
  if (existing.list !== list.list) {
    set.list = list.list;
    changes.push(existing.list ? `moved from the ${existing.list}` : `typed in by hand, now kept current by the ${list.list}`);
  }
  if (entity.designatedOn && entity.designatedOn !== existing.designatedOn) {
    set.designatedOn = entity.designatedOn;
    changes.push(`designatedOn ${existing.designatedOn} → ${entity.designatedOn}`);
  }
  return { set, changes };
}

function change(entity: ListedEntity, organisation: PlannedOrganisation, matchedBy: MatchedBy, designatedOn: string, changes: string[]): DesignationChange {
  return { reference: entity.reference, designatedOn, organisationId: organisation.id, organisationName: organisation.name, listedName: entity.name, matchedBy, changes };
}

/** Requests not CLOSED or WITHDRAWN that name the organisation or one of its accounts. */
async function openRequestsAgainst(em: EntityManager, organisationId: string): Promise<string[]> {
  const named = em.createQueryBuilder(TakedownRequestOrganisation, 'ro').select('ro.takedownRequestId').where('ro.organisationId = :organisationId');
  const viaAccounts = em
    .createQueryBuilder(TakedownRequestAccount, 'ra')
    .select('ra.takedownRequestId')
    .innerJoin(AccountOrganisation, 'ao', 'ao.accountId = ra.accountId')
    .where('ao.organisationId = :organisationId');
  const requests = await em
    .createQueryBuilder(TakedownRequest, 'r')
    .select('r.id')
    .where('r.status NOT IN (:...final)')
    .andWhere(`(r.id IN (${named.getQuery()}) OR r.id IN (${viaAccounts.getQuery()}))`)
    .setParameters({ organisationId, final: FINAL_STATUSES })
    .orderBy('r.id')
    .getMany();
  return requests.map((r) => r.id);
}
