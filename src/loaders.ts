import DataLoader from 'dataloader';
import { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Principal } from './auth/principal';
import { groupBy } from './common/group-by';
import { scopeAccounts, scopeDisclosureRecords, scopeEvidence, scopeStatusHistory, scopeTakedownRequests } from './access/policy';
import { DisclosureHistoryEntry, DisclosureOpening, DisclosureProduction } from './modules/disclosures/disclosure.entity';
import { Account, AccountOrganisation } from './modules/accounts/account.entity';
import { EvidenceItem } from './modules/evidence/evidence.entity';
import { Designation, Organisation } from './modules/organisations/organisation.entity';
import { PartnerDirectory } from './modules/partners/partner.service';
import { PartnerView } from './modules/partners/partner.types';
import {
  StatusHistoryEntry,
  TakedownRequest,
  TakedownRequestAccount,
  TakedownRequestOrganisation,
} from './modules/takedowns/takedown.entity';
import { ReviewFlag } from './modules/takedowns/review-flag.entity';

type Scope = <T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, p: Principal) => SelectQueryBuilder<T>;
const unscoped: Scope = (query) => query;

/**
 * Per-request loaders for relations. Each batch is one statement through the access policy,
 * whatever the page size. Subscription contexts live long, so they pass `cache: false` and every
 * event reads fresh rows.
 */
export function createLoaders(db: DataSource, partners: PartnerDirectory, currentPrincipal: () => Principal | null, cache = true) {
  const options = { cache };

  /** Targets linked through a join entity, scoped by the access policy. */
  function linked<L extends ObjectLiteral, T extends ObjectLiteral & { id: string }>(
    link: EntityTarget<L>,
    ownerKey: keyof L & string,
    targetKey: keyof L & string,
    target: EntityTarget<T>,
    scope: Scope,
  ) {
    return new DataLoader<string, T[]>(async (ownerIds) => {
      const principal = currentPrincipal();
      if (!principal) return ownerIds.map(() => []);
      // One statement: the targets joined to their link rows, each raw row naming its owner.
      const query = db
        .getRepository(target)
        .createQueryBuilder('t')
        .innerJoin(link as () => L, 'l', `l.${targetKey} = t.id`)
        .addSelect(`l.${ownerKey}`, 'link_owner')
        .where(`l.${ownerKey} IN (:...owners)`, { owners: [...new Set(ownerIds)] })
        .orderBy('t.id');
      const { entities, raw } = await scope(query, 't', principal).getRawAndEntities();
      const byId = new Map(entities.map((t) => [t.id, t]));
      const groups = groupBy(raw as Record<string, string>[], (row) => row.link_owner);
      return ownerIds.map((owner) => (groups.get(owner) ?? []).map((row) => byId.get(row.t_id)).filter((t): t is T => t !== undefined));
    }, options);
  }

  /** Rows that point at their owner by a column, scoped by the access policy. */
  function owned<T extends ObjectLiteral & { id: string }>(target: EntityTarget<T>, ownerKey: keyof T & string, scope: Scope) {
    return new DataLoader<string, T[]>(async (ownerIds) => {
      const principal = currentPrincipal();
      if (!principal) return ownerIds.map(() => []);
      const query = db
        .getRepository(target)
        .createQueryBuilder('t')
        .where(`t.${ownerKey} IN (:...owners)`, { owners: [...new Set(ownerIds)] })
        .orderBy('t.id');
      const groups = groupBy(await scope(query, 't', principal).getMany(), (row) => row[ownerKey] as string);
      return ownerIds.map((owner) => groups.get(owner) ?? []);
    }, options);
  }

  /** Objects by id, as far as the principal may see them (null otherwise). */
  function byId<T extends ObjectLiteral & { id: string }>(target: EntityTarget<T>, scope: Scope) {
    return new DataLoader<string, T | null>(async (ids) => {
      const principal = currentPrincipal();
      if (!principal) return ids.map(() => null);
      const query = db.getRepository(target).createQueryBuilder('t').where('t.id IN (:...ids)', { ids: [...new Set(ids)] });
      const found = new Map((await scope(query, 't', principal).getMany()).map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }, options);
  }

  return {
    account: byId(Account, scopeAccounts),
    partner: new DataLoader<string, PartnerView | null>(async (ids) => {
      const found = new Map((await partners.findByIds(ids)).map((p) => [p.id, p]));
      return ids.map((id) => found.get(id) ?? null);
    }, options),
    designationsOfOrganisation: owned(Designation, 'organisationId', unscoped),
    organisationsOfAccount: linked(AccountOrganisation, 'accountId', 'organisationId', Organisation, unscoped),
    organisationsOfRequest: linked(TakedownRequestOrganisation, 'takedownRequestId', 'organisationId', Organisation, unscoped),
    accountsOfRequest: linked(TakedownRequestAccount, 'takedownRequestId', 'accountId', Account, scopeAccounts),
    requestsOfAccount: linked(TakedownRequestAccount, 'accountId', 'takedownRequestId', TakedownRequest, scopeTakedownRequests),
    evidenceOfAccount: owned(EvidenceItem, 'accountId', scopeEvidence),
    historyOfRequest: owned(StatusHistoryEntry, 'takedownRequestId', scopeStatusHistory),
    /** Unscoped: the request itself was read through the policy, and its flags hold nothing more private. */
    reviewFlagsOfRequest: owned(ReviewFlag, 'takedownRequestId', unscoped),
    takedownRequest: byId(TakedownRequest, scopeTakedownRequests),
    evidenceOfDisclosure: owned(EvidenceItem, 'disclosureRequestId', scopeEvidence),
    historyOfDisclosure: owned(DisclosureHistoryEntry, 'disclosureRequestId', scopeDisclosureRecords),
    productionOfDisclosure: owned(DisclosureProduction, 'disclosureRequestId', scopeDisclosureRecords),
    openingsOfDisclosure: owned(DisclosureOpening, 'disclosureRequestId', scopeDisclosureRecords),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
