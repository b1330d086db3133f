import { Role } from '../src/auth/roles';
import { errorCode, ManualClock } from './helpers/exchange';
import { useCasework } from './helpers/casework';

const SUBMIT = `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { id receivedAt } }`;
const QUEUE = `{ complaintTriage { groupKey platform accountKey count flaggedAccountId removed complaints { id url normalisedUrl status contact } } }`;
const DRAFT = { kind: 'REFERRAL', priority: 'STANDARD', legalBasis: { instrument: 'PECA 2016', section: 's.37' }, reasons: ['ISKP propaganda channel'] };
const TRIAGE = `mutation($input: TriageComplaintInput!) { triageComplaint(input: $input) { id status mergedIntoId promotedAccountId promotedRequestId triageNote } }`;

describe('the complaints intake', () => {
  const clock = new ManualClock();
  const t = useCasework({ PAX_COMPLAINTS_PER_MINUTE: '8' }, clock);
  const intake = () => t.exchange.token('pta', Role.AGENCY_INTAKE, 'pta-intake-web');
  // Each test starts a fresh minute of the rate limit.
  beforeEach(() => clock.advanceDays(61 / 86_400));
  const file = async (url: string, contact: string | null = null) =>
    (await t.cw.ok(intake(), SUBMIT, { input: { url, description: 'recruitment video posted today', contact } })).submitComplaint.id as string;

  it('groups duplicates by account and URL, shows what PAX knows, and keeps the queue to the intake agency', async () => {
    const ids = [
      await file('https://twitter.com/Umar_Media_PK/status/1799?s=20', 'caller@example.org'),
      await file('https://mobile.x.com/umar_media_pk/status/1801'),
      await file('https://x.com/umar_media_pk/'),
      await file('https://t.me/s/other_channel/12'),
      await file('https://example.org/forum/thread/9'),
    ];
    expect(errorCode(await t.exchange.gql(intake(), QUEUE))).toBe('FORBIDDEN');
    expect(errorCode(await t.exchange.gql(t.cw.xReviewer, QUEUE))).toBe('FORBIDDEN');
    expect((await t.cw.ok(t.cw.moiAnalyst, QUEUE)).complaintTriage).toEqual([]);

    const [first, ...rest] = (await t.cw.ok(t.cw.analyst, QUEUE)).complaintTriage;
    expect(first).toMatchObject({ groupKey: 'X:umar_media_pk', platform: 'X', count: 3, flaggedAccountId: null, removed: false });
    expect(first.complaints.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 3));
    expect(first.complaints[0].contact).toBe('caller@example.org');
    expect(rest.map((g: { groupKey: string }) => g.groupKey)).toEqual(['TELEGRAM:other_channel', 'https://example.org/forum/thread/9']);

    const rows = JSON.stringify(await t.exchange.services.db.query('SELECT * FROM complaints'));
    expect(rows).not.toContain('caller@example.org');

    const account = (await t.cw.ok(t.cw.analyst, `mutation { flagAccount(input: { platform: X, handle: "@Umar_Media_PK" }) { id } }`)).flagAccount.id;
    const request = await t.cw.draft({ accountIds: [account] });
    await t.cw.move(t.cw.supervisor, request.id, 'SUBMITTED');
    await t.cw.move(t.cw.xReviewer, request.id, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED' });
    for (let i = 0; i < 50 && !(await t.exchange.services.mirrors.index.has(account)); i++) await new Promise((r) => setTimeout(r, 20));
    const [known] = (await t.cw.ok(t.cw.analyst, QUEUE)).complaintTriage;
    expect(known).toMatchObject({ flaggedAccountId: account, removed: true });
  });

  it('dismisses with a note, merges into another complaint, and refuses a second triage', async () => {
    const [a, b] = [await file('https://t.me/dismiss_me/1'), await file('https://t.me/merge_me/1')];
    expect(errorCode(await t.exchange.gql(t.cw.analyst, TRIAGE, { input: { id: a, action: 'DISMISSED' } }))).toBe('BAD_USER_INPUT');
    expect((await t.cw.ok(t.cw.analyst, TRIAGE, { input: { id: a, action: 'DISMISSED', note: 'a news outlet reporting on the group' } })).triageComplaint.status).toBe('DISMISSED');
    expect(errorCode(await t.exchange.gql(t.cw.analyst, TRIAGE, { input: { id: a, action: 'DISMISSED', note: 'again' } }))).toBe('INVALID_TRANSITION');
    expect((await t.cw.ok(t.cw.analyst, TRIAGE, { input: { id: b, action: 'MERGED', mergeIntoId: a } })).triageComplaint).toMatchObject({ status: 'MERGED', mergedIntoId: a });
    expect(errorCode(await t.exchange.gql(t.cw.moiAnalyst, TRIAGE, { input: { id: b, action: 'DISMISSED', note: 'not ours' } }))).toBe('NOT_FOUND');
  });

  it('promotes a complaint to a flagged account and a takedown draft, answering its duplicates', async () => {
    const [a, b] = [await file('https://t.me/s/Khorasan_Nida/7'), await file('https://telegram.me/khorasan_nida')];
    const promoted = (await t.cw.ok(t.cw.analyst, TRIAGE, { input: { id: a, action: 'PROMOTED', draft: DRAFT } })).triageComplaint;
    expect(promoted).toMatchObject({ status: 'PROMOTED', promotedAccountId: expect.any(String), promotedRequestId: expect.any(String) });
    const account = (await t.cw.ok(t.cw.analyst, `query($id: ID!) { account(id: $id) { handle platform } }`, { id: promoted.promotedAccountId })).account;
    expect(account).toEqual({ handle: 'khorasan_nida', platform: 'TELEGRAM' });
    const draft = (await t.cw.ok(t.cw.analyst, `query($id: ID!) { takedownRequest(id: $id) { status } }`, { id: promoted.promotedRequestId })).takedownRequest;
    expect(draft.status).toBe('DRAFT');
    const queue = (await t.cw.ok(t.cw.analyst, QUEUE)).complaintTriage;
    expect(queue.flatMap((g: { complaints: { id: string }[] }) => g.complaints.map((c) => c.id))).not.toContain(b);
  });

  it('refuses a promotion whose draft cannot be addressed, and flags nothing', async () => {
    const id = await file('https://www.tiktok.com/@Khorasan.Sada/video/7');
    const before = Number((await t.exchange.services.db.query('SELECT COUNT(*) AS n FROM accounts'))[0].n);
    const response = await t.exchange.gql(t.cw.analyst, TRIAGE, { input: { id, action: 'PROMOTED', draft: DRAFT } });
    expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'draft' });
    expect(Number((await t.exchange.services.db.query('SELECT COUNT(*) AS n FROM accounts'))[0].n)).toBe(before);
    expect((await t.cw.ok(t.cw.analyst, TRIAGE, { input: { id, action: 'PROMOTED' } })).triageComplaint.promotedAccountId).toEqual(expect.any(String));
  });

  it('limits each agency’s intake per minute', async () => {
    const burst = await Promise.all(Array.from({ length: 9 }, () => t.exchange.gql(intake(), SUBMIT, { input: { url: 'https://t.me/burst/1', description: 'the same channel again' } })));
    expect(burst.filter((r) => errorCode(r) === 'RATE_LIMITED')).toHaveLength(1);
    clock.advanceDays(61 / 86_400);
    expect(errorCode(await t.exchange.gql(intake(), SUBMIT, { input: { url: 'https://t.me/burst/2', description: 'after a minute' } }))).toBeUndefined();
  });
});
