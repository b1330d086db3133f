import { hasAnyRole, Principal } from '../../auth/principal';
import { PLATFORM_CASEWORK, Role } from '../../auth/roles';
import { PartnerKind } from '../../common/enums';
import { badInput, forbidden, invalidTransition } from '../../common/errors';
import { DisclosureRequest } from './disclosure.entity';
import { DisclosureRejectionReason, DisclosureStatus as S, DisclosureType } from './disclosure.enums';

/** Each transition is owned by one side; any other move is INVALID_TRANSITION. */
export const DISCLOSURE_TRANSITIONS: readonly { from: readonly S[]; to: S; side: PartnerKind }[] = [
  { from: [S.DRAFT], to: S.SUBMITTED, side: PartnerKind.AGENCY },
  { from: [S.NEEDS_MORE_INFO], to: S.SUBMITTED, side: PartnerKind.AGENCY },
  { from: [S.SUBMITTED], to: S.UNDER_REVIEW, side: PartnerKind.PLATFORM },
  { from: [S.UNDER_REVIEW], to: S.NEEDS_MORE_INFO, side: PartnerKind.PLATFORM },
  { from: [S.UNDER_REVIEW], to: S.PRODUCED_FULL, side: PartnerKind.PLATFORM },
  { from: [S.UNDER_REVIEW], to: S.PRODUCED_PARTIAL, side: PartnerKind.PLATFORM },
  { from: [S.UNDER_REVIEW], to: S.NO_DATA, side: PartnerKind.PLATFORM },
  { from: [S.SUBMITTED, S.UNDER_REVIEW], to: S.REJECTED, side: PartnerKind.PLATFORM },
  { from: [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.NEEDS_MORE_INFO], to: S.WITHDRAWN, side: PartnerKind.AGENCY },
];

export const PRODUCED: readonly S[] = [S.PRODUCED_FULL, S.PRODUCED_PARTIAL];

export interface DisclosureTransition {
  status: S;
  rejectionReason?: DisclosureRejectionReason | null;
  note?: string | null;
  /** Whether the input carries a production (a sealed payload). */
  producing: boolean;
}

/**
 * Decides whether `principal` may move `request` to `wanted.status`. Pure: the caller loads, locks
 * and writes. Submission needs an AGENCY_SUPERVISOR who is not the drafter: two people approve
 * every request for someone's data, and a system account cannot be the second one.
 */
export function planDisclosureTransition(request: DisclosureRequest, principal: Principal, wanted: DisclosureTransition): { note: string | null } {
  const from = request.status;
  const to = wanted.status;
  const rule = DISCLOSURE_TRANSITIONS.find((t) => t.to === to && t.from.includes(from) && t.side === principal.partnerKind);
  if (!rule) throw invalidTransition(`a ${principal.partnerKind} cannot move a disclosure request from ${from} to ${to}`);

  if (rule.side === PartnerKind.AGENCY) {
    if (principal.partnerId !== request.originatorPartnerId) throw forbidden('only the requesting agency may change this request');
    const submitting = from === S.DRAFT && to === S.SUBMITTED;
    const deciders = submitting ? [Role.AGENCY_SUPERVISOR] : [Role.AGENCY_SUPERVISOR, Role.AGENCY_SYSTEM];
    if (!hasAnyRole(principal, deciders)) throw forbidden(`moving a disclosure request to ${to} needs ${deciders.join(' or ')}`);
    if (submitting && principal.sub === request.draftedBySub) {
      throw forbidden('two-person rule: a supervisor other than the drafter must approve and submit the request');
    }
  } else if (principal.partnerId !== request.addressedPartnerId || !hasAnyRole(principal, PLATFORM_CASEWORK)) {
    throw forbidden('only the addressed platform may answer this request');
  }

  if (to === S.REJECTED && !wanted.rejectionReason) {
    throw badInput(`REJECTED needs a rejectionReason: ${Object.values(DisclosureRejectionReason).join(', ')}`, { field: 'rejectionReason' });
  }
  if (to !== S.REJECTED && wanted.rejectionReason) throw badInput('rejectionReason applies to REJECTED only', { field: 'rejectionReason' });
  // Preservation freezes data in place; nothing is handed over, so there is nothing to seal.
  const needsPayload = PRODUCED.includes(to) && request.type !== DisclosureType.PRESERVATION;
  if (needsPayload && !wanted.producing) throw badInput(`${to} needs the produced data in "production"`, { field: 'production' });
  if (!needsPayload && wanted.producing) throw badInput(`a production applies to PRODUCED_FULL or PRODUCED_PARTIAL of a non-preservation request`, { field: 'production' });

  const note = wanted.note?.trim() || null;
  const explains = [S.NEEDS_MORE_INFO, S.PRODUCED_PARTIAL].includes(to) || (from === S.NEEDS_MORE_INFO && to === S.SUBMITTED);
  if (explains && !note) throw badInput(`moving to ${to} from ${from} needs a note for the other side`, { field: 'note' });
  return { note };
}
