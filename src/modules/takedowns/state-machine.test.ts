import { Principal } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { Classification, Distribution, PartnerKind, Platform } from '../../common/enums';
import { DEFAULT_SLA_POLICY, parseSlaPolicy, slaHours } from './sla';
import { allowedTransitions, planTransition, TRANSITIONS } from './state-machine';
import { TakedownRequest } from './takedown.entity';
import { TakedownKind, TakedownPriority, TakedownStatus } from './takedown.enums';

const agency = (sub: string, roles = [Role.AGENCY_SUPERVISOR]): Principal => ({
  sub, partnerId: 'pta', partnerSlug: 'pta', partnerKind: PartnerKind.AGENCY, platforms: [], roles, expiresAt: 0,
});
const platform: Principal = {
  sub: 'reviewer', partnerId: 'x', partnerSlug: 'x', partnerKind: PartnerKind.PLATFORM, platforms: [Platform.X], roles: [Role.PLATFORM_REVIEWER], expiresAt: 0,
};

function request(status: TakedownStatus, extra: Partial<TakedownRequest> = {}): TakedownRequest {
  return Object.assign(new TakedownRequest(), {
    id: 'r', status, kind: TakedownKind.REFERRAL, priority: TakedownPriority.STANDARD, platform: Platform.X,
    addressedPartnerId: 'x', originatorPartnerId: 'pta', legalInstrument: 'PECA 2016', legalSection: 's.37', reasons: [],
    distribution: Distribution.ALL_AGENCIES, internalNotes: null, version: 1, deadlineAt: null, pausedRemainingMs: null,
    submittedAt: null, draftedBySub: 'drafter', createdAt: new Date(0), updatedAt: new Date(0), ...extra,
  });
}

const now = new Date('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;

describe('planTransition', () => {
  it('starts a 48-hour PECA clock on submission', () => {
    const plan = planTransition(request(TakedownStatus.DRAFT), agency('supervisor'), { status: TakedownStatus.SUBMITTED }, now, DEFAULT_SLA_POLICY);
    expect(plan.changes.deadlineAt).toEqual(new Date(now.getTime() + 48 * HOUR));
    expect(plan.changes.submittedAt).toEqual(now);
  });

  it('pauses the clock with the time left, and resumes it on clarification', () => {
    const deadlineAt = new Date(now.getTime() + 5 * HOUR);
    const pause = planTransition(request(TakedownStatus.ACKNOWLEDGED, { deadlineAt }), platform, {
      status: TakedownStatus.INFO_REQUESTED, reasonCode: 'MANIFEST_ERROR' as never,
    }, now, DEFAULT_SLA_POLICY);
    expect(pause.changes).toMatchObject({ deadlineAt: null, pausedRemainingMs: 5 * HOUR });
    const later = new Date(now.getTime() + 30 * HOUR);
    const resume = planTransition(request(TakedownStatus.INFO_REQUESTED, { pausedRemainingMs: 5 * HOUR }), agency('supervisor'), {
      status: TakedownStatus.SUBMITTED, note: 'the post is the second link',
    }, later, DEFAULT_SLA_POLICY);
    expect(resume.changes.deadlineAt).toEqual(new Date(later.getTime() + 5 * HOUR));
    expect(resume.noteClassification).toBe(Classification.SHAREABLE);
  });

  it('keeps agency notes RESTRICTED unless marked otherwise', () => {
    const plan = planTransition(request(TakedownStatus.SUBMITTED), agency('supervisor'), { status: TakedownStatus.WITHDRAWN, note: 'source burned' }, now, DEFAULT_SLA_POLICY);
    expect(plan.noteClassification).toBe(Classification.RESTRICTED);
  });

  it('applies the four-eyes rule to the drafter only', () => {
    expect(() => planTransition(request(TakedownStatus.DRAFT), agency('drafter'), { status: TakedownStatus.SUBMITTED }, now, DEFAULT_SLA_POLICY)).toThrow(/four-eyes/);
  });
});

describe('allowedTransitions', () => {
  const S = TakedownStatus;
  it('offers each side only its own moves, and the drafter no submission', () => {
    expect(allowedTransitions(request(S.DRAFT), agency('supervisor'))).toEqual([S.SUBMITTED, S.WITHDRAWN]);
    expect(allowedTransitions(request(S.DRAFT), agency('drafter'))).toEqual([S.WITHDRAWN]);
    expect(allowedTransitions(request(S.DRAFT), agency('analyst', [Role.AGENCY_ANALYST]))).toEqual([]);
    expect(allowedTransitions(request(S.SUBMITTED), platform)).toEqual([S.ACKNOWLEDGED, S.INFO_REQUESTED, S.ACTIONED, S.REJECTED]);
    expect(allowedTransitions(request(S.ACKNOWLEDGED), platform)).toEqual([S.INFO_REQUESTED, S.ACTIONED, S.REJECTED]);
    expect(allowedTransitions(request(S.ACTIONED), platform)).toEqual([S.REINSTATED]);
    expect(allowedTransitions(request(S.CLOSED), agency('supervisor'))).toEqual([]);
  });

  it('offers nothing to another agency or another platform', () => {
    const otherAgency = { ...agency('supervisor'), partnerId: 'moi' };
    const otherPlatform = { ...platform, partnerId: 'meta' };
    for (const status of Object.values(S)) {
      expect(allowedTransitions(request(status), otherAgency)).toEqual([]);
      expect(allowedTransitions(request(status), otherPlatform)).toEqual([]);
    }
  });

  it('agrees with planTransition on every (from, to) pair for both sides', () => {
    const targets = [...new Set(TRANSITIONS.map((t) => t.to))];
    for (const principal of [agency('supervisor'), agency('drafter'), platform]) {
      for (const from of Object.values(S)) {
        const allowed = allowedTransitions(request(from), principal);
        for (const to of targets) {
          let refusal: string | undefined;
          try {
            planTransition(request(from), principal, { status: to }, now, DEFAULT_SLA_POLICY);
          } catch (error) {
            refusal = (error as { extensions?: { code?: string } }).extensions?.code;
          }
          // Input checks (BAD_USER_INPUT) come after the move itself is allowed.
          expect(allowed.includes(to)).toBe(refusal === undefined || refusal === 'BAD_USER_INPUT');
        }
      }
    }
  });
});

describe('the SLA policy', () => {
  it('matches instruments by prefix, case-insensitively, first rule first', () => {
    expect(slaHours(DEFAULT_SLA_POLICY, 'eu 2021/784 art.3', TakedownPriority.STANDARD, TakedownKind.ORDER)).toBe(1);
    expect(slaHours(DEFAULT_SLA_POLICY, 'EU 2021/784', TakedownPriority.STANDARD, TakedownKind.REFERRAL)).toBe(72);
    expect(slaHours(DEFAULT_SLA_POLICY, 'ATA 1997', TakedownPriority.EMERGENCY, TakedownKind.ORDER)).toBe(1);
  });

  it('refuses a malformed PAX_SLA_POLICY with a message that says what to fix', () => {
    expect(() => parseSlaPolicy('[]')).toThrow(/non-empty JSON array/);
    expect(() => parseSlaPolicy('[{"instrument":"X"}]')).toThrow(/"hours"/);
  });
});
