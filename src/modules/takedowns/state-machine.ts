import { hasAnyRole, Principal } from '../../auth/principal';
import { AGENCY_DECIDERS, PLATFORM_CASEWORK } from '../../auth/roles';
import { Classification, PartnerKind } from '../../common/enums';
import { badInput, forbidden, invalidTransition } from '../../common/errors';
import { SlaPolicy, slaHours } from './sla';
import { TakedownRequest } from './takedown.entity';
import { StatusReasonCode, TakedownAction, TakedownKind, TakedownStatus as S } from './takedown.enums';

/** Each transition is owned by one side; any other move is INVALID_TRANSITION. */
export const TRANSITIONS: readonly { from: readonly S[]; to: S; side: PartnerKind }[] = [
  { from: [S.DRAFT], to: S.SUBMITTED, side: PartnerKind.AGENCY },
  { from: [S.INFO_REQUESTED], to: S.SUBMITTED, side: PartnerKind.AGENCY },
  { from: [S.SUBMITTED, S.ESCALATED], to: S.ACKNOWLEDGED, side: PartnerKind.PLATFORM },
  { from: [S.SUBMITTED, S.ACKNOWLEDGED, S.ESCALATED], to: S.INFO_REQUESTED, side: PartnerKind.PLATFORM },
  { from: [S.SUBMITTED, S.ACKNOWLEDGED, S.ESCALATED], to: S.ACTIONED, side: PartnerKind.PLATFORM },
  { from: [S.SUBMITTED, S.ACKNOWLEDGED, S.ESCALATED], to: S.REJECTED, side: PartnerKind.PLATFORM },
  { from: [S.REJECTED, S.REINSTATED], to: S.ESCALATED, side: PartnerKind.AGENCY },
  { from: [S.ACTIONED], to: S.REINSTATED, side: PartnerKind.PLATFORM },
  { from: [S.DRAFT, S.SUBMITTED, S.ACKNOWLEDGED, S.INFO_REQUESTED, S.ESCALATED], to: S.WITHDRAWN, side: PartnerKind.AGENCY },
  { from: [S.ACTIONED, S.REJECTED, S.REINSTATED, S.WITHDRAWN], to: S.CLOSED, side: PartnerKind.AGENCY },
];

/** Reason codes each target status requires; a status not listed takes none. */
export const REQUIRED_REASONS: Partial<Record<S, readonly StatusReasonCode[]>> = {
  [S.INFO_REQUESTED]: [StatusReasonCode.MANIFEST_ERROR, StatusReasonCode.INSUFFICIENT_INFORMATION],
  [S.REJECTED]: [
    StatusReasonCode.NO_VIOLATION,
    StatusReasonCode.ACCOUNT_NOT_FOUND,
    StatusReasonCode.ALREADY_ACTIONED,
    StatusReasonCode.LEGAL_OBJECTION,
    StatusReasonCode.INSUFFICIENT_INFORMATION,
  ],
};

export interface TransitionRequest {
  status: S;
  action?: TakedownAction | null;
  reasonCode?: StatusReasonCode | null;
  note?: string | null;
  noteClassification?: Classification | null;
  escalateAs?: TakedownKind | null;
}

export interface TransitionPlan {
  /** The columns of the request that change. */
  changes: Partial<TakedownRequest>;
  note: string | null;
  noteClassification: Classification;
}

const HOUR = 3_600_000;

/**
 * Checks that the table gives `principal` the move of `request` to `to`, for its role and its
 * partner; throws INVALID_TRANSITION or FORBIDDEN otherwise. The inputs a move needs are checked
 * by `planTransition`.
 */
function authoriseTransition(request: TakedownRequest, principal: Principal, to: S): void {
  const from = request.status;
  const rule = TRANSITIONS.find((t) => t.to === to && t.from.includes(from) && t.side === principal.partnerKind);
  if (!rule) throw invalidTransition(`a ${principal.partnerKind} cannot move a request from ${from} to ${to}`);

  if (rule.side === PartnerKind.AGENCY) {
    if (principal.partnerId !== request.originatorPartnerId) throw forbidden('only the requesting agency may change this request');
    if (!hasAnyRole(principal, AGENCY_DECIDERS)) throw forbidden(`moving a request to ${to} needs AGENCY_SUPERVISOR or AGENCY_SYSTEM`);
    if (from === S.DRAFT && to === S.SUBMITTED && principal.sub === request.draftedBySub) {
      throw forbidden('four-eyes rule: the request must be submitted by someone other than its drafter');
    }
  } else if (principal.partnerId !== request.addressedPartnerId || !hasAnyRole(principal, PLATFORM_CASEWORK)) {
    throw forbidden('only the addressed platform may answer this request');
  }
}

/** The statuses `principal` may move `request` to now, in the order of the table. */
export function allowedTransitions(request: TakedownRequest, principal: Principal): S[] {
  return [...new Set(TRANSITIONS.map((t) => t.to))].filter((to) => {
    try {
      authoriseTransition(request, principal, to);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Decides whether `principal` may move `request` to `wanted.status` now, and what changes.
 * Pure: the caller loads, locks and writes.
 */
export function planTransition(
  request: TakedownRequest,
  principal: Principal,
  wanted: TransitionRequest,
  now: Date,
  sla: SlaPolicy,
): TransitionPlan {
  const from = request.status;
  const to = wanted.status;
  authoriseTransition(request, principal, to);

  const reasons = REQUIRED_REASONS[to];
  if (reasons && (!wanted.reasonCode || !reasons.includes(wanted.reasonCode))) {
    throw badInput(`moving to ${to} needs reasonCode ${reasons.join(' or ')}`, { field: 'reasonCode' });
  }
  if (!reasons && wanted.reasonCode) throw badInput(`reasonCode does not apply to ${to}`, { field: 'reasonCode' });
  if (to === S.ACTIONED && !wanted.action) throw badInput(`ACTIONED needs an action: ${Object.values(TakedownAction).join(', ')}`, { field: 'action' });
  if (to !== S.ACTIONED && wanted.action) throw badInput(`action applies to ACTIONED only`, { field: 'action' });
  if (to !== S.ESCALATED && wanted.escalateAs) throw badInput('escalateAs applies to ESCALATED only', { field: 'escalateAs' });

  const clarification = from === S.INFO_REQUESTED && to === S.SUBMITTED;
  const note = wanted.note?.trim() || null;
  if (clarification && !note) throw badInput('resubmitting after INFO_REQUESTED needs the clarification as note', { field: 'note' });
  // Platforms write for the agency, and a clarification is for the platform: both must be
  // SHAREABLE. Other agency notes stay with agencies unless marked otherwise.
  const mustShare = principal.partnerKind === PartnerKind.PLATFORM || clarification;
  const noteClassification = wanted.noteClassification ?? (mustShare ? Classification.SHAREABLE : Classification.RESTRICTED);
  if (mustShare && noteClassification !== Classification.SHAREABLE) {
    throw badInput('this note goes to the other side, so it must be SHAREABLE', { field: 'noteClassification' });
  }

  const changes: Partial<TakedownRequest> = { status: to, updatedAt: now };
  const freshClock = (kind: TakedownKind) =>
    new Date(now.getTime() + slaHours(sla, request.legalInstrument, request.priority, kind) * HOUR);
  if (from === S.DRAFT && to === S.SUBMITTED) {
    changes.submittedAt = now;
    changes.deadlineAt = freshClock(request.kind);
  } else if (clarification) {
    changes.deadlineAt = new Date(now.getTime() + (request.pausedRemainingMs ?? 0));
    changes.pausedRemainingMs = null;
  } else if (to === S.INFO_REQUESTED) {
    changes.pausedRemainingMs = Math.max(0, (request.deadlineAt?.getTime() ?? now.getTime()) - now.getTime());
    changes.deadlineAt = null;
  } else if (to === S.ESCALATED) {
    const kind = wanted.escalateAs ?? request.kind;
    changes.kind = kind;
    changes.deadlineAt = freshClock(kind);
  }
  return { changes, note, noteClassification };
}
