import { Role } from '../src/auth/roles';
import { reportToCsv } from '../src/modules/reports/report-format';
import { errorCode, ManualClock } from './helpers/exchange';
import { useCasework } from './helpers/casework';

const REPORT = `query($from: DateTimeISO!, $to: DateTimeISO!, $platform: Platform, $agency: String) {
  transparencyReport(from: $from, to: $to, platform: $platform, agency: $agency) {
    requests accounts byPlatform { key requests accounts } byAgency { key requests } byLegalBasis { key requests } byKind { key requests } byPriority { key requests }
    actionedByAction { key count } rejectedByReason { key count } withdrawn reinstated medianHoursToAction p90HoursToAction
    shareAnsweredInTime overdueNow clarificationRate escalated escalatedThenActioned mirrorAlertsRaised mirrorAlertsConfirmed
    complaintsReceived complaintsByStatus { key count } medianHoursToTriage } }`;

const HOUR = 1 / 24;

/**
 * A fixture whose figures are worked out by hand in the test names and comments: five requests
 * submitted at t0, four to X and one to Meta, answered at known hours; two complaints.
 */
describe('the transparency report', () => {
  const clock = new ManualClock();
  const t = useCasework({}, clock);
  let period: { from: string; to: string };

  beforeAll(async () => {
    const cw = t.cw;
    const t0 = clock.now().getTime();
    period = { from: new Date(t0 - 3_600_000).toISOString(), to: new Date(t0 + 3_600_000).toISOString() };
    const draft = async (options: Parameters<typeof cw.draft>[0] & { distribution?: string } = {}) =>
      cw.draft({ ...options, accountIds: [await cw.account({ platform: options.platform, distribution: options.distribution })] });
    const r1 = await draft();
    const r2 = await draft();
    const r3 = await draft({ instrument: 'ATA 1997 s.11W', distribution: 'ORIGINATOR_ONLY' });
    const r4 = await draft({ platform: 'FACEBOOK' });
    const r5 = await draft({ priority: 'EMERGENCY' });
    for (const r of [r1, r2, r3, r4, r5]) await cw.move(cw.supervisor, r.id, 'SUBMITTED');
    const intake = t.exchange.token('pta', Role.AGENCY_INTAKE, 'intake');
    const complaint = `mutation($url: String!) { submitComplaint(input: { url: $url, description: "recruitment video posted today" }) { id } }`;
    const c1 = (await cw.ok(intake, complaint, { url: 'https://t.me/report_one' })).submitComplaint.id;
    await cw.ok(intake, complaint, { url: 'https://t.me/report_two' });

    clock.advanceDays(1 * HOUR); // t0+1h
    await cw.move(cw.xReviewer, r2.id, 'INFO_REQUESTED', { reasonCode: 'MANIFEST_ERROR', note: 'which account?' });
    await cw.move(cw.supervisor, r4.id, 'WITHDRAWN');
    clock.advanceDays(1 * HOUR); // t0+2h
    await cw.move(cw.xReviewer, r1.id, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED' });
    await cw.move(cw.supervisor, r2.id, 'SUBMITTED', { note: 'the one created in 2025' });
    clock.advanceDays(1 * HOUR); // t0+3h
    await cw.ok(cw.analyst, `mutation($id: ID!) { triageComplaint(input: { id: $id, action: DISMISSED, note: "a news outlet" }) { id } }`, { id: c1 });
    clock.advanceDays(2 * HOUR); // t0+5h
    await cw.move(cw.xReviewer, r3.id, 'REJECTED', { reasonCode: 'NO_VIOLATION', note: 'not terrorist content' });
    clock.advanceDays(1 * HOUR); // t0+6h: a 72-hour ORDER clock, due at t0+78h
    await cw.move(cw.supervisor, r3.id, 'ESCALATED', { escalateAs: 'ORDER' });
    clock.advanceDays(4 * HOUR); // t0+10h
    await cw.move(cw.xReviewer, r2.id, 'ACTIONED', { action: 'CONTENT_REMOVED' });
    clock.advanceDays(70 * HOUR); // t0+80h: two hours late
    await cw.move(cw.xReviewer, r3.id, 'ACTIONED', { action: 'ACCOUNT_TERMINATED' });
    clock.advanceDays(20 * HOUR); // t0+100h: r5's 12-hour emergency clock ran out long ago
  });

  const report = async (token: string, extra: Record<string, unknown> = {}) => (await t.cw.ok(token, REPORT, { ...period, ...extra })).transparencyReport;

  it('gives an auditor the figures worked out by hand', async () => {
    const figures = await report(t.exchange.token('ofcom', Role.AUDITOR, 'auditor'));
    expect(figures).toEqual({
      requests: 5,
      accounts: 5,
      byPlatform: [{ key: 'X', requests: 4, accounts: 4 }, { key: 'FACEBOOK', requests: 1, accounts: 1 }],
      byAgency: [{ key: 'pta', requests: 5 }],
      byLegalBasis: [{ key: 'PECA 2016', requests: 4 }, { key: 'ATA 1997 s.11W', requests: 1 }],
      byKind: [{ key: 'REFERRAL', requests: 4 }, { key: 'ORDER', requests: 1 }],
      byPriority: [{ key: 'STANDARD', requests: 4 }, { key: 'EMERGENCY', requests: 1 }],
      actionedByAction: [{ key: 'ACCOUNT_SUSPENDED', count: 1 }, { key: 'ACCOUNT_TERMINATED', count: 1 }, { key: 'CONTENT_REMOVED', count: 1 }],
      rejectedByReason: [{ key: 'NO_VIOLATION', count: 1 }],
      withdrawn: 1,
      reinstated: 0,
      // Submission to first ACTIONED: 2 h, 10 h, 80 h. Nearest rank: median is the 2nd, p90 the 3rd.
      medianHoursToAction: 10,
      p90HoursToAction: 80,
      // r1 (2 h, due 48 h) and r2 (10 h, due 49 h after its 1-hour pause) in time; r3 (80 h, due 78 h) late.
      shareAnsweredInTime: 2 / 3,
      overdueNow: 1,
      clarificationRate: 0.2,
      escalated: 1,
      escalatedThenActioned: 1,
      mirrorAlertsRaised: 0,
      mirrorAlertsConfirmed: 0,
      complaintsReceived: 2,
      complaintsByStatus: [{ key: 'DISMISSED', count: 1 }, { key: 'NEW', count: 1 }],
      medianHoursToTriage: 3,
    });
  });

  it('keeps each caseworker to what it may see', async () => {
    const moi = await report(t.cw.moiAnalyst);
    // MOI sees every ALL_AGENCIES request of PTA but not the covert r3, nor PTA's complaints.
    expect(moi).toMatchObject({ requests: 4, escalated: 0, medianHoursToAction: 2, p90HoursToAction: 10, complaintsReceived: 0, rejectedByReason: [] });
    const meta = await report(t.cw.metaReviewer);
    expect(meta).toMatchObject({ requests: 1, byPlatform: [{ key: 'FACEBOOK', requests: 1, accounts: 1 }], withdrawn: 1, overdueNow: 0, medianHoursToAction: null });
    expect((await report(t.cw.xReviewer)).requests).toBe(4);
    expect(errorCode(await t.exchange.gql(t.exchange.token('pta', Role.AGENCY_INTAKE, 'intake'), REPORT, period))).toBe('FORBIDDEN');
  });

  it('filters by platform and agency', async () => {
    expect((await report(t.cw.analyst, { platform: 'X' })).requests).toBe(4);
    expect((await report(t.cw.analyst, { agency: 'moi' })).requests).toBe(0);
  });

  it('exports as CSV, one figure a line', async () => {
    const csv = reportToCsv(await report(t.exchange.token('ofcom', Role.AUDITOR, 'auditor')));
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('figure,key,value');
    expect(lines).toEqual(expect.arrayContaining(['requests,,5', 'byPlatform.requests,X,4', 'byPlatform.accounts,FACEBOOK,1', 'medianHoursToAction,,10', 'actionedByAction,CONTENT_REMOVED,1']));
  });
});
