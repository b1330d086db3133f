import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Classification, Distribution, PartnerKind } from '../common/enums';
import { hasAnyRole, Principal } from '../auth/principal';
import { AGENCY_CASEWORK, PLATFORM_CASEWORK, Role } from '../auth/roles';
import { Account } from '../modules/accounts/account.entity';
import { StatusHistoryEntry, TakedownRequest, TakedownRequestAccount } from '../modules/takedowns/takedown.entity';
import { TakedownStatus } from '../modules/takedowns/takedown.enums';
import { DisclosureRequest } from '../modules/disclosures/disclosure.entity';
import { DisclosureStatus } from '../modules/disclosures/disclosure.enums';

/**
 * THE access policy: who may see which rows and fields. Every service read and every relation
 * loader applies these scopes as SQL constraints, so pagination, totalCount, nested fields and
 * subscription deliveries all see exactly the same rows. See the README's visibility table.
 */

let parameterSeq = 0;
/** Unique parameter names, so the same scope can be applied twice in one query. */
const param = (name: string) => `${name}_${++parameterSeq}`;

/** An agency caseworker: analyst, supervisor or system. */
export const isAgencyCaseworker = (p: Principal) => p.partnerKind === PartnerKind.AGENCY && hasAnyRole(p, AGENCY_CASEWORK);

/** A platform reviewer or system. */
export const isPlatformCaseworker = (p: Principal) =>
  p.partnerKind === PartnerKind.PLATFORM && hasAnyRole(p, PLATFORM_CASEWORK);

/**
 * Everything the scopes below read from a principal. Two principals with the same class see the
 * same rows (only field-level details such as actor.sub depend on the person).
 */
export const visibilityClass = (p: Principal) =>
  `${p.partnerId}|${p.partnerKind}|${[...p.platforms].sort().join(',')}|${[...p.roles].sort().join(',')}`;

/** Internal notes, distribution and RESTRICTED items never leave the agencies. */
export const seesAgencyInternals = (p: Principal) => isAgencyCaseworker(p);

const nothing = <T extends ObjectLiteral>(query: SelectQueryBuilder<T>) => query.andWhere('1 = 0');

/** Takedown requests the principal may see. */
export function scopeTakedownRequests<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  p: Principal,
): SelectQueryBuilder<T> {
  if (isAgencyCaseworker(p)) {
    const partner = param('partner');
    const all = param('distribution');
    const draft = param('draft');
    return query.andWhere(
      new Brackets((w) =>
        w
          .where(`${alias}.originatorPartnerId = :${partner}`)
          .orWhere(`(${alias}.distribution = :${all} AND ${alias}.status <> :${draft})`),
      ),
      { [partner]: p.partnerId, [all]: Distribution.ALL_AGENCIES, [draft]: TakedownStatus.DRAFT },
    );
  }
  if (isPlatformCaseworker(p)) {
    const partner = param('partner');
    const draft = param('draft');
    return query.andWhere(`${alias}.addressedPartnerId = :${partner} AND ${alias}.status <> :${draft}`, {
      [partner]: p.partnerId,
      [draft]: TakedownStatus.DRAFT,
    });
  }
  return nothing(query);
}

/** Accounts the principal may see. */
export function scopeAccounts<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  p: Principal,
): SelectQueryBuilder<T> {
  if (isAgencyCaseworker(p)) {
    const partner = param('partner');
    const all = param('distribution');
    return query.andWhere(`(${alias}.distribution = :${all} OR ${alias}.flaggedByPartnerId = :${partner})`, {
      [partner]: p.partnerId,
      [all]: Distribution.ALL_AGENCIES,
    });
  }
  if (isPlatformCaseworker(p)) {
    if (p.platforms.length === 0) return nothing(query);
    const platforms = param('platforms');
    // Correlated by key at every level, so both engines walk from the account to its requests
    // through indexes instead of from all of the platform's requests to the account.
    const addressed = query
      .subQuery()
      .select('1')
      .from(TakedownRequest, 'scope_tr')
      .where('scope_tr.id = scope_tra.takedownRequestId');
    scopeTakedownRequests(addressed, 'scope_tr', p);
    const named = query
      .subQuery()
      .select('1')
      .from(TakedownRequestAccount, 'scope_tra')
      .where(`scope_tra.accountId = ${alias}.id`)
      .andWhere(`EXISTS ${addressed.getQuery()}`, addressed.getParameters());
    return query
      .andWhere(`${alias}.platform IN (:...${platforms})`, { [platforms]: p.platforms })
      .andWhere(`EXISTS ${named.getQuery()}`, named.getParameters());
  }
  return nothing(query);
}

/**
 * Evidence items the principal may see: those of visible accounts and of visible disclosure
 * requests (the authorisation document), SHAREABLE only outside the agencies.
 */
export function scopeEvidence<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  p: Principal,
): SelectQueryBuilder<T> {
  const accounts = query.subQuery().select('1').from(Account, 'scope_acc').where(`scope_acc.id = ${alias}.accountId`);
  scopeAccounts(accounts, 'scope_acc', p);
  const disclosures = query.subQuery().select('1').from(DisclosureRequest, 'scope_dis').where(`scope_dis.id = ${alias}.disclosureRequestId`);
  scopeDisclosures(disclosures, 'scope_dis', p);
  query.andWhere(`(EXISTS ${accounts.getQuery()} OR EXISTS ${disclosures.getQuery()})`, { ...accounts.getParameters(), ...disclosures.getParameters() });
  if (!seesAgencyInternals(p)) {
    const shareable = param('shareable');
    query.andWhere(`${alias}.classification = :${shareable}`, { [shareable]: Classification.SHAREABLE });
  }
  return query;
}

/** Agency caseworkers and disclosure readers: the people who work an agency's disclosures. */
const isDisclosureAgent = (p: Principal) =>
  p.partnerKind === PartnerKind.AGENCY && hasAnyRole(p, [...AGENCY_CASEWORK, Role.AGENCY_DISCLOSURE_READER]);

/**
 * Disclosure requests. Unlike takedowns they are never shared between agencies: only the requesting
 * agency sees them (drafts included), and the addressed platform sees them once submitted.
 */
export function scopeDisclosures<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  p: Principal,
): SelectQueryBuilder<T> {
  if (isDisclosureAgent(p)) {
    const partner = param('partner');
    return query.andWhere(`${alias}.originatorPartnerId = :${partner}`, { [partner]: p.partnerId });
  }
  if (isPlatformCaseworker(p)) {
    const partner = param('partner');
    const draft = param('draft');
    return query.andWhere(`${alias}.addressedPartnerId = :${partner} AND ${alias}.status <> :${draft}`, {
      [partner]: p.partnerId,
      [draft]: DisclosureStatus.DRAFT,
    });
  }
  return nothing(query);
}

/** Rows that belong to a disclosure request (history, production summary, openings). */
export function scopeDisclosureRecords<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  p: Principal,
): SelectQueryBuilder<T> {
  const requests = query.subQuery().select('1').from(DisclosureRequest, 'scope_drq').where(`scope_drq.id = ${alias}.disclosureRequestId`);
  scopeDisclosures(requests, 'scope_drq', p);
  return query.andWhere(`EXISTS ${requests.getQuery()}`, requests.getParameters());
}

/** Who may open a sealed production: disclosure readers of the requesting agency, or the producer. */
export function mayOpenProduction(p: Principal, request: DisclosureRequest, producedByPartnerId: string): boolean {
  if (p.partnerKind === PartnerKind.AGENCY) return hasAnyRole(p, [Role.AGENCY_DISCLOSURE_READER]) && p.partnerId === request.originatorPartnerId;
  return isPlatformCaseworker(p) && p.partnerId === producedByPartnerId;
}

/** The custody and opening logs stay with the requesting agency side. */
export const seesCustodyLogs = (p: Principal) => isDisclosureAgent(p);

/** History entries of requests the principal may see. */
export function scopeStatusHistory<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  p: Principal,
): SelectQueryBuilder<T> {
  const requests = query.subQuery().select('1').from(TakedownRequest, 'scope_req').where(`scope_req.id = ${alias}.takedownRequestId`);
  scopeTakedownRequests(requests, 'scope_req', p);
  return query.andWhere(`EXISTS ${requests.getQuery()}`, requests.getParameters());
}

/** A field only agencies may read, such as internalNotes or distribution. */
export function agencyOnly<V>(p: Principal, value: V): V | null {
  return seesAgencyInternals(p) ? value : null;
}

/** A status note: RESTRICTED notes reach agencies only. */
export function visibleNote(p: Principal, note: string | null, classification: Classification): string | null {
  return classification === Classification.SHAREABLE || seesAgencyInternals(p) ? note : null;
}

/** Who acted is personal data: only the acting partner itself sees the person or system. */
export function visibleActorSub(p: Principal, actorPartnerId: string, actorSub: string): string | null {
  return p.partnerId === actorPartnerId ? actorSub : null;
}

/** Organisations and designations are public lists: every authenticated partner sees them. */
export function scopeOrganisations<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  _alias: string,
  p: Principal | null,
): SelectQueryBuilder<T> {
  return p ? query : nothing(query);
}

/**
 * Mirror alerts. Agencies see every alert whose candidate account they may see (screening alerts
 * have none and reach every agency). Platforms see alerts on their own platforms: their own
 * screenings, and flagged candidates only once a request has made the account visible to them.
 */
export function scopeMirrorAlerts<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  p: Principal,
): SelectQueryBuilder<T> {
  const candidate = query.subQuery().select('1').from(Account, 'scope_cand').where(`scope_cand.id = ${alias}.candidateAccountId`);
  scopeAccounts(candidate, 'scope_cand', p);
  if (isAgencyCaseworker(p)) {
    return query.andWhere(`(${alias}.candidateAccountId IS NULL OR EXISTS ${candidate.getQuery()})`, candidate.getParameters());
  }
  if (isPlatformCaseworker(p)) {
    if (p.platforms.length === 0) return nothing(query);
    const platforms = param('platforms');
    const partner = param('partner');
    return query
      .andWhere(`${alias}.platform IN (:...${platforms})`, { [platforms]: p.platforms })
      .andWhere(`(${alias}.raisedByPartnerId = :${partner} OR EXISTS ${candidate.getQuery()})`, { [partner]: p.partnerId, ...candidate.getParameters() });
  }
  return nothing(query);
}

/**
 * Mirror alerts the principal may decide: those whose removed original belongs to its agency,
 * because the agency flagged that account or sent a request that actioned it. Other agencies may
 * see an alert, which helps them recognise a mirror, but the decision (and the draft it can
 * start) stays with the owner of the case.
 */
export function scopeReviewableMirrorAlerts<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  p: Principal,
): SelectQueryBuilder<T> {
  if (!isAgencyCaseworker(p)) return nothing(query);
  const partner = param('partner');
  const actioned = param('actioned');
  const flagged = query
    .subQuery()
    .select('1')
    .from(Account, 'owner_acc')
    .where(`owner_acc.id = ${alias}.matchedAccountId`)
    .andWhere(`owner_acc.flaggedByPartnerId = :${partner}`);
  const removedBy = query
    .subQuery()
    .select('1')
    .from(StatusHistoryEntry, 'owner_h')
    .where('owner_h.takedownRequestId = owner_tr.id')
    .andWhere(`owner_h.toStatus = :${actioned}`);
  const requested = query
    .subQuery()
    .select('1')
    .from(TakedownRequestAccount, 'owner_tra')
    .innerJoin(TakedownRequest, 'owner_tr', 'owner_tr.id = owner_tra.takedownRequestId')
    .where(`owner_tra.accountId = ${alias}.matchedAccountId`)
    .andWhere(`owner_tr.originatorPartnerId = :${partner}`)
    .andWhere(`EXISTS ${removedBy.getQuery()}`);
  return query.andWhere(`(EXISTS ${flagged.getQuery()} OR EXISTS ${requested.getQuery()})`, {
    [partner]: p.partnerId,
    [actioned]: TakedownStatus.ACTIONED,
  });
}

/** An auditor: an oversight body's AUDITOR, who reads the whole log with personal data masked. */
export const isAuditor = (p: Principal) => p.partnerKind === PartnerKind.OVERSIGHT && hasAnyRole(p, [Role.AUDITOR]);

/**
 * Audit entries. Auditors read them all; an agency supervisor reads its own agency's; a platform
 * caseworker reads its own and the requesting agency's entries about requests addressed to it.
 */
export function scopeAuditEntries<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  p: Principal,
): SelectQueryBuilder<T> {
  if (isAuditor(p)) return query;
  if (p.partnerKind === PartnerKind.AGENCY && hasAnyRole(p, [Role.AGENCY_SUPERVISOR])) {
    const partner = param('partner');
    return query.andWhere(`${alias}.actorPartnerId = :${partner}`, { [partner]: p.partnerId });
  }
  if (isPlatformCaseworker(p)) {
    const partner = param('partner');
    // Only the two parties' own acts: another agency probing the request is not the platform's business.
    const parties = (table: string) => `${table}.addressedPartnerId = :${partner} AND ${alias}.actorPartnerId IN (${table}.addressedPartnerId, ${table}.originatorPartnerId)`;
    const takedown = query.subQuery().select('1').from(TakedownRequest, 'scope_atr').where(`scope_atr.id = ${alias}.objectId`).andWhere(parties('scope_atr'));
    const disclosure = query.subQuery().select('1').from(DisclosureRequest, 'scope_adr').where(`scope_adr.id = ${alias}.objectId`).andWhere(parties('scope_adr'));
    return query.andWhere(`(EXISTS ${takedown.getQuery()} OR EXISTS ${disclosure.getQuery()})`, { [partner]: p.partnerId });
  }
  return nothing(query);
}

/** Who acted is personal data: auditors never see it; others see it for their own partner only. */
export function visibleAuditActor(p: Principal, actorPartnerId: string | null, actorSub: string | null): string | null {
  return !isAuditor(p) && actorPartnerId !== null && p.partnerId === actorPartnerId ? actorSub : null;
}

/** Public complaints stay with the agency whose intake received them: its caseworkers triage them. */
export function scopeComplaints<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  p: Principal,
): SelectQueryBuilder<T> {
  if (!isAgencyCaseworker(p)) return nothing(query);
  const partner = param('partner');
  return query.andWhere(`${alias}.intakePartnerId = :${partner}`, { [partner]: p.partnerId });
}

/**
 * Webhook endpoints, and the deliveries under them, belong to the partner that registered them:
 * only its own system accounts list or change them, and another partner's look missing.
 */
export const ownWebhookEndpoints = (p: Principal): { partnerId: string } => ({ partnerId: p.partnerId });
