import { Principal } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { Classification, Distribution, PartnerKind, Platform } from '../../common/enums';
import { DEFAULT_SLA_POLICY, parseSlaPolicy, slaHours } from './sla';
import { planTransition } from './state-machine';
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
