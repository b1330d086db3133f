import { Principal } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { PartnerKind, Platform } from '../../common/enums';
import { PaxError } from '../../common/errors';
import { DISCLOSURE_TRANSITIONS, planDisclosureTransition, PRODUCED } from './disclosure-state-machine';
import { DisclosureRequest } from './disclosure.entity';
import { DisclosureRejectionReason, DisclosureStatus as S, DisclosureType } from './disclosure.enums';
import { assertCovered, DEFAULT_INSTRUMENTS, parseInstrumentRules, ruleFor } from './instruments';
import { DataCategory } from './disclosure.enums';

const supervisor: Principal = { sub: 'supervisor', partnerId: 'pta', partnerSlug: 'pta', partnerKind: PartnerKind.AGENCY, platforms: [], roles: [Role.AGENCY_SUPERVISOR], expiresAt: 0 };
const platform: Principal = { sub: 'reviewer', partnerId: 'x', partnerSlug: 'x', partnerKind: PartnerKind.PLATFORM, platforms: [Platform.X], roles: [Role.PLATFORM_REVIEWER], expiresAt: 0 };

const request = (status: S, type = DisclosureType.LEGAL_PROCESS) =>
  Object.assign(new DisclosureRequest(), { id: 'd', status, type, addressedPartnerId: 'x', originatorPartnerId: 'pta', draftedBySub: 'drafter', categories: [] });

/** Everything a move needs to pass the checks after the ownership rule. */
const complete = (to: S) => ({
  status: to,
  rejectionReason: to === S.REJECTED ? DisclosureRejectionReason.OVERBROAD : null,
  note: 'a note for the other side',
  producing: PRODUCED.includes(to),
});

const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'OK';
  } catch (error) {
    return (error as PaxError).extensions.code;
  }
};

describe('the disclosure state machine', () => {
  const statuses = Object.values(S);
  const cases = statuses.flatMap((from) => statuses.flatMap((to) => [supervisor, platform].map((who) => [from, to, who] as const)));

  it.each(cases)('%s → %s by %o: allowed exactly when the table says so', (from, to, who) => {
    const allowed = DISCLOSURE_TRANSITIONS.some((t) => t.from.includes(from) && t.to === to && t.side === who.partnerKind);
    expect(codeOf(() => planDisclosureTransition(request(from), who, complete(to)))).toBe(allowed ? 'OK' : 'INVALID_TRANSITION');
  });

  it('keeps each side to its own requests', () => {
    expect(codeOf(() => planDisclosureTransition(request(S.DRAFT), { ...supervisor, partnerId: 'moi' }, complete(S.SUBMITTED)))).toBe('FORBIDDEN');
    expect(codeOf(() => planDisclosureTransition(request(S.SUBMITTED), { ...platform, partnerId: 'meta' }, complete(S.UNDER_REVIEW)))).toBe('FORBIDDEN');
  });

  it('needs two people, the second a supervisor, to submit', () => {
    expect(codeOf(() => planDisclosureTransition(request(S.DRAFT), { ...supervisor, sub: 'drafter' }, complete(S.SUBMITTED)))).toBe('FORBIDDEN');
    expect(codeOf(() => planDisclosureTransition(request(S.DRAFT), { ...supervisor, roles: [Role.AGENCY_SYSTEM] }, complete(S.SUBMITTED)))).toBe('FORBIDDEN');
    expect(codeOf(() => planDisclosureTransition(request(S.DRAFT), { ...supervisor, roles: [Role.AGENCY_ANALYST] }, complete(S.SUBMITTED)))).toBe('FORBIDDEN');
    expect(codeOf(() => planDisclosureTransition(request(S.NEEDS_MORE_INFO), { ...supervisor, roles: [Role.AGENCY_SYSTEM] }, complete(S.SUBMITTED)))).toBe('OK');
  });

  it('asks for a reason, a note or a production where the move needs one', () => {
    expect(codeOf(() => planDisclosureTransition(request(S.UNDER_REVIEW), platform, { ...complete(S.REJECTED), rejectionReason: null }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => planDisclosureTransition(request(S.UNDER_REVIEW), platform, { ...complete(S.PRODUCED_PARTIAL), note: ' ' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => planDisclosureTransition(request(S.UNDER_REVIEW), platform, { ...complete(S.PRODUCED_FULL), producing: false }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => planDisclosureTransition(request(S.UNDER_REVIEW, DisclosureType.PRESERVATION), platform, complete(S.PRODUCED_FULL)))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => planDisclosureTransition(request(S.UNDER_REVIEW, DisclosureType.PRESERVATION), platform, { ...complete(S.PRODUCED_FULL), producing: false }))).toBe('OK');
  });
});

describe('instrument rules', () => {
  it('lets the longest matching instrument decide', () => {
    expect(ruleFor(DEFAULT_INSTRUMENTS, 'PECA 2016 s.31(1)')?.instrument).toBe('PECA 2016 s.31');
    expect(ruleFor(DEFAULT_INSTRUMENTS, 'court order 17/2026')?.categories).toContain(DataCategory.CONTENT);
    expect(ruleFor(DEFAULT_INSTRUMENTS, 'a letter')).toBeNull();
  });

  it('refuses CONTENT without a court order or warrant', () => {
    for (const instrument of ['PECA 2016 s.29', '18 U.S.C. 2703(d)', 'Subpoena']) {
      expect(codeOf(() => assertCovered(DEFAULT_INSTRUMENTS, instrument, DisclosureType.LEGAL_PROCESS, [DataCategory.CONTENT]))).toBe('BAD_USER_INPUT');
    }
    expect(codeOf(() => assertCovered(DEFAULT_INSTRUMENTS, '18 U.S.C. 2703(a)', DisclosureType.LEGAL_PROCESS, [DataCategory.CONTENT]))).toBe('OK');
  });

  it('reads rules from configuration and refuses malformed ones', () => {
    const rules = parseInstrumentRules(JSON.stringify([{ instrument: 'ATA 1997 s.19', categories: ['BASIC_SUBSCRIBER'], types: ['LEGAL_PROCESS'], source: 'local' }]));
    expect(codeOf(() => assertCovered(rules, 'ATA 1997 s.19', DisclosureType.LEGAL_PROCESS, [DataCategory.NON_CONTENT]))).toBe('BAD_USER_INPUT');
    expect(() => parseInstrumentRules('[{"instrument":"x","categories":["DNA"],"types":["LEGAL_PROCESS"]}]')).toThrow(/categories/);
  });
});
