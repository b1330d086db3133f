import sharp from 'sharp';
import { Role } from '../src/auth/roles';
import { useCasework } from './helpers/casework';
import { errorCode } from './helpers/exchange';

import { pdqFromImage } from '../src/modules/mirrors/engine/pdq-image';
import { renderedLogo } from './helpers/images';
import { Account } from '../src/modules/accounts/account.entity';
import { AVATAR_EDITS, renderLogo } from '../src/modules/mirrors/engine/avatar-edits';

const SCREEN = `mutation($input: ScreenAccountInput!) { screenAccount(input: $input) { handle verdict probability
  matches { probability verdict signals removedAccount { platform handle displayName organisations removedAt } }
  alert { id status source platform verdict } } }`;
const ALERTS = `{ mirrorAlerts(first: 100) { totalCount nodes { id source platform status signals candidate { handle } matched { handle organisations }
  matchedAccount { id internalNotes } candidateAccount { id } } } }`;
const ALERT_RAISED = 'subscription { mirrorAlertRaised { id platform source candidate { handle } matched { handle } } }';

describe('mirror detection through the API', () => {
  const t = useCasework();
  let original: { id: string; requestId: string; organisation: string };
  let xSystem: string;
  let metaSystem: string;

  beforeAll(async () => {
    const { cw, exchange } = t;
    xSystem = exchange.token('x', Role.PLATFORM_SYSTEM, 'x-signup-service');
    metaSystem = exchange.token('meta', Role.PLATFORM_SYSTEM, 'meta-signup-service');
    const organisation = await cw.organisation();
    const flagged = await cw.ok(cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
      input: {
        platform: 'X', handle: 'umar_media_ttp', displayName: 'Umar Media', bio: 'Official releases of the caravan. Backup: t.me/umar_backup',
        avatarPdq: (await pdqFromImage(await renderedLogo())).hex, links: ['https://t.me/umar_backup'], organisationIds: [organisation], internalNotes: 'SECRET-account-note',
        evidence: [{ url: 'https://evidence.example/SECRET-restricted', classification: 'RESTRICTED' }],
      },
    });
    const draft = await cw.draft({ accountIds: [flagged.flagAccount.id], kind: 'ORDER', internalNotes: 'SECRET-request-note' });
    await cw.move(cw.supervisor, draft.id, 'SUBMITTED');
    await cw.move(cw.xReviewer, draft.id, 'ACTIONED', { action: 'ACCOUNT_TERMINATED' });
    original = { id: flagged.flagAccount.id, requestId: draft.id, organisation };
    for (let i = 0; i < 100 && !(await exchange.services.mirrors.index.has(original.id)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await exchange.services.mirrors.index.has(original.id)).toBe(true);
  });

  it('catches a sign-up with a confusable handle, the rotated logo and the same backup link, and shows only the public view', async () => {
    const rotated = (await sharp(await renderedLogo()).rotate(90).png().toBuffer()).toString('base64');
    const data = await t.cw.ok(xSystem, SCREEN, {
      input: { platform: 'X', handle: 'umar_rnedia_ttp2', displayName: 'Umar Media', bio: 'New home. Join t.me/umar_backup', avatarImage: rotated },
    });
    const result = data.screenAccount;
    expect(result.verdict).toBe('LIKELY_MIRROR');
    expect(result.matches[0].removedAccount).toMatchObject({ platform: 'X', handle: 'umar_media_ttp', displayName: 'Umar Media' });
    expect(result.matches[0].removedAccount.organisations).toHaveLength(1);
    expect(result.matches[0].signals.join('\n')).toMatch(/avatar PDQ distance \d+ to @umar_media_ttp \(X, removed \d{4}-\d{2}-\d{2}\)/);
    expect(result.matches[0].signals.join('\n')).toMatch(/shares t\.me\/umar_backup with @umar_media_ttp/);
    expect(result.alert).toMatchObject({ status: 'PENDING_REVIEW', source: 'SCREENING', platform: 'X' });
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/SECRET/);
    expect(text).not.toContain(original.requestId);
    expect(text).not.toContain(original.id);
  });

  it('matches removed accounts on every platform, and a platform screens only its own sign-ups', async () => {
    const data = await t.cw.ok(metaSystem, SCREEN, { input: { platform: 'INSTAGRAM', handle: 'umar.media.ttp', bio: 'Follow t.me/umar_backup' } });
    expect(data.screenAccount.matches[0].removedAccount.platform).toBe('X');
    const foreign = await t.exchange.gql(metaSystem, SCREEN, { input: { platform: 'X', handle: 'whatever' } });
    expect(errorCode(foreign)).toBe('BAD_USER_INPUT');
    const agency = await t.exchange.gql(t.cw.analyst, SCREEN, { input: { platform: 'X', handle: 'whatever' } });
    expect(errorCode(agency)).toBe('FORBIDDEN');
  });

  it('finds an account flagged with its avatar image again from a cropped or padded re-upload, by the avatar alone', async () => {
    const { cw, exchange } = t;
    const logo = await renderLogo(4242);
    const flagged = await cw.ok(cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id avatarPdq } }`, {
      input: { platform: 'X', handle: 'crescent_news_office', avatarImage: logo.toString('base64') },
    });
    const stored = await exchange.services.db.getRepository(Account).findOneByOrFail({ id: flagged.flagAccount.id });
    expect(flagged.flagAccount.avatarPdq).toBe((await pdqFromImage(logo)).hex);
    expect(stored.avatarVariants!.length).toBeGreaterThan(0);
    const draft = await cw.draft({ accountIds: [flagged.flagAccount.id], kind: 'ORDER' });
    await cw.move(cw.supervisor, draft.id, 'SUBMITTED');
    await cw.move(cw.xReviewer, draft.id, 'ACTIONED', { action: 'ACCOUNT_TERMINATED' });
    for (let i = 0; i < 100 && !(await exchange.services.mirrors.index.has(flagged.flagAccount.id)); i++) await new Promise((r) => setTimeout(r, 20));
    for (const edit of ['crop 20% centred', 'border 15% white'] as const) {
      const edited = (await AVATAR_EDITS[edit](logo, 1)).toString('base64');
      const data = await cw.ok(xSystem, SCREEN, { input: { platform: 'X', handle: 'gardening_tips_daily', avatarImage: edited } });
      expect(data.screenAccount.matches[0].removedAccount.handle).toBe('crescent_news_office');
      expect(data.screenAccount.matches[0].signals.join('\n')).toMatch(/avatar PDQ distance \d+ to @crescent_news_office/);
    }
    const junk = await exchange.gql(cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
      input: { platform: 'X', handle: 'junk_avatar_account', avatarImage: Buffer.from('not an image').toString('base64') },
    });
    expect(errorCode(junk)).toBe('BAD_USER_INPUT');
  });

  it('refuses bad avatars and oversized batches', async () => {
    const junk = await t.exchange.gql(xSystem, SCREEN, { input: { platform: 'X', handle: 'h', avatarImage: Buffer.from('not an image').toString('base64') } });
    expect(errorCode(junk)).toBe('BAD_USER_INPUT');
    const badHash = await t.exchange.gql(xSystem, SCREEN, { input: { platform: 'X', handle: 'h', avatarPdq: 'xyz' } });
    expect(errorCode(badHash)).toBe('BAD_USER_INPUT');
    const both = await t.exchange.gql(xSystem, SCREEN, { input: { platform: 'X', handle: 'h', avatarPdq: 'f'.repeat(64), avatarImage: (await renderedLogo()).toString('base64') } });
    expect(both.errors?.[0]).toMatchObject({ message: 'send the avatar as avatarImage or as avatarPdq, not both', extensions: { code: 'BAD_USER_INPUT' } });
    // 20,000 × 20,000 white pixels compress to a few hundred kilobytes; decoded they would be 1.2 GB.
    const bomb = await sharp({ create: { width: 20_000, height: 20_000, channels: 3, background: '#ffffff' }, limitInputPixels: false }).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const refused = await t.exchange.gql(xSystem, SCREEN, { input: { platform: 'X', handle: 'h', avatarImage: bomb.toString('base64') } });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    const batch = `mutation($input: ScreenAccountsInput!) { screenAccounts(input: $input) { handle verdict } }`;
    const tooMany = await t.exchange.gql(xSystem, batch, { input: { accounts: Array.from({ length: 1001 }, (_, i) => ({ platform: 'X', handle: `h${i}` })) } });
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
    const three = await t.cw.ok(xSystem, batch, { input: { accounts: ['a_cricket_fan', 'umar_media_ttp_official', 'travel_diary'].map((handle) => ({ platform: 'X', handle })) } });
    expect(three.screenAccounts.map((r: { verdict: string }) => r.verdict)).toEqual(['NO_MATCH', expect.stringMatching(/MIRROR/), 'NO_MATCH']);
  });

  it('shows each side only the alerts it may see, on every path', async () => {
    const agency = (await t.cw.ok(t.cw.analyst, ALERTS)).mirrorAlerts;
    const x = (await t.cw.ok(t.cw.xReviewer, ALERTS)).mirrorAlerts;
    const meta = (await t.cw.ok(t.cw.metaReviewer, ALERTS)).mirrorAlerts;
    const telegram = (await t.cw.ok(t.exchange.token('telegram', Role.PLATFORM_REVIEWER), ALERTS)).mirrorAlerts;
    expect(x.nodes.every((a: { platform: string }) => a.platform === 'X')).toBe(true);
    expect(meta.nodes.every((a: { platform: string }) => a.platform === 'INSTAGRAM')).toBe(true);
    expect(agency.totalCount).toBe(x.totalCount + meta.totalCount);
    expect(telegram.totalCount).toBe(0);
    expect(x.nodes[0].matchedAccount).toEqual({ id: original.id, internalNotes: null });
    expect(meta.nodes[0].matchedAccount).toBeNull();
    expect(JSON.stringify([x, meta])).not.toMatch(/SECRET/);
    const missing = await t.exchange.gql(t.cw.metaReviewer, `query($id: ID!) { mirrorAlert(id: $id) { id } }`, { id: x.nodes[0].id });
    expect(missing.errors?.[0].message).toBe(`MirrorAlert ${x.nodes[0].id} not found`);
    const auditor = await t.exchange.gql(t.exchange.token('ofcom', Role.AUDITOR), ALERTS);
    expect(errorCode(auditor)).toBe('FORBIDDEN');
  });

  it('raises an alert when an agency flags a match, visible to agencies but not yet to the platform', async () => {
    await t.cw.ok(t.cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
      input: { platform: 'X', handle: 'umar_media_ttp_backup', bio: 'Backup: t.me/umar_backup' },
    });
    const agency = (await t.cw.ok(t.cw.analyst, ALERTS)).mirrorAlerts.nodes;
    expect(agency.some((a: { source: string; candidate: { handle: string } }) => a.source === 'FLAGGED' && a.candidate.handle === 'umar_media_ttp_backup')).toBe(true);
    const x = (await t.cw.ok(t.cw.xReviewer, ALERTS)).mirrorAlerts.nodes;
    expect(x.some((a: { source: string }) => a.source === 'FLAGGED')).toBe(false);
  });

  it('delivers mirrorAlertRaised to agencies and the screening platform only', async () => {
    const feeds = {
      agency: await t.exchange.subscribe(t.cw.analyst, ALERT_RAISED),
      x: await t.exchange.subscribe(t.cw.xReviewer, ALERT_RAISED),
      meta: await t.exchange.subscribe(t.cw.metaReviewer, ALERT_RAISED),
    };
    await t.cw.ok(xSystem, SCREEN, { input: { platform: 'X', handle: 'umar_media_ttp_new', bio: 't.me/umar_backup' } });
    expect((await feeds.agency.next()).mirrorAlertRaised).toMatchObject({ platform: 'X', source: 'SCREENING', matched: { handle: 'umar_media_ttp' } });
    expect((await feeds.x.next()).mirrorAlertRaised.candidate.handle).toBe('umar_media_ttp_new');
    expect(await feeds.meta.settle()).toEqual([]);
    for (const feed of Object.values(feeds)) await feed.close();
  });

  it('lets only the agency that removed the original review its alerts; another agency is refused and nothing is written', async () => {
    const REVIEW = `mutation($input: ReviewMirrorAlertInput!) { reviewMirrorAlert(input: $input) { id status } }`;
    const screened = await t.cw.ok(xSystem, SCREEN, { input: { platform: 'X', handle: 'umar_media_ttp_moi', bio: 'Join t.me/umar_backup' } });
    const id = screened.screenAccount.alert.id;
    const db = t.exchange.services.db;
    const state = async () => JSON.stringify([
      await db.query('SELECT * FROM mirror_alerts ORDER BY id'),
      await db.query('SELECT COUNT(*) AS n FROM accounts'),
      await db.query('SELECT COUNT(*) AS n FROM takedown_requests'),
    ]);
    const before = await state();
    expect((await t.cw.ok(t.cw.moiAnalyst, `query($id: ID!) { mirrorAlert(id: $id) { id status } }`, { id })).mirrorAlert.status).toBe('PENDING_REVIEW');
    for (const [token, input] of [
      [t.cw.moiSupervisor, { id, decision: 'DISMISSED', note: 'not ours to judge' }],
      [t.cw.moiAnalyst, { id, decision: 'CONFIRMED', createTakedownDraft: true }],
    ] as const) {
      const refused = await t.exchange.gql(token, REVIEW, { input });
      expect(errorCode(refused)).toBe('FORBIDDEN');
    }
    expect(await state()).toBe(before);
    expect((await t.cw.ok(t.cw.supervisor, REVIEW, { input: { id, decision: 'DISMISSED', note: 'a fan account' } })).reviewMirrorAlert.status).toBe('DISMISSED');

    await t.cw.ok(t.cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
      input: { platform: 'X', handle: 'umar_media_ttp_covert', bio: 'Backup: t.me/umar_backup', distribution: 'ORIGINATOR_ONLY' },
    });
    const covert = (await t.cw.ok(t.cw.analyst, ALERTS)).mirrorAlerts.nodes.find((a: { candidate: { handle: string } }) => a.candidate.handle === 'umar_media_ttp_covert');
    const hidden = await t.exchange.gql(t.cw.moiSupervisor, REVIEW, { input: { id: covert.id, decision: 'DISMISSED' } });
    expect(hidden.errors?.[0]).toMatchObject({ message: `MirrorAlert ${covert.id} not found`, extensions: { code: 'NOT_FOUND' } });
  });

  it("records the platform's own decision once, for the platform of the alert only; the agency sees it beside the signals", async () => {
    const DECIDE = `mutation($input: RecordPlatformMirrorDecisionInput!) { recordPlatformMirrorDecision(input: $input) { id status platformDecision platformDecisionNote platformDecidedAt } }`;
    const screened = await t.cw.ok(xSystem, SCREEN, { input: { platform: 'X', handle: 'umar_media_ttp_signup', bio: 'Join t.me/umar_backup' } });
    const id = screened.screenAccount.alert.id;
    const decisions = async () => JSON.stringify(await t.exchange.services.db.query('SELECT id, "platformDecision", "platformDecidedBySub" FROM mirror_alerts ORDER BY id'));
    const before = await decisions();

    const missing = await t.exchange.gql(t.cw.metaReviewer, DECIDE, { input: { id: '00000000-0000-4000-8000-000000000000', decision: 'DISMISSED' } });
    const foreign = await t.exchange.gql(t.cw.metaReviewer, DECIDE, { input: { id, decision: 'DISMISSED' } });
    expect(foreign.errors?.[0]).toMatchObject({ message: `MirrorAlert ${id} not found`, extensions: { code: 'NOT_FOUND' } });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(errorCode(await t.exchange.gql(t.cw.analyst, DECIDE, { input: { id, decision: 'CONFIRMED' } }))).toBe('FORBIDDEN');
    expect(await decisions()).toBe(before);

    const decided = (await t.cw.ok(t.cw.xReviewer, DECIDE, { input: { id, decision: 'CONFIRMED', note: 'blocked at sign-up' } })).recordPlatformMirrorDecision;
    expect(decided).toMatchObject({ id, status: 'PENDING_REVIEW', platformDecision: 'CONFIRMED', platformDecisionNote: 'blocked at sign-up' });
    expect(decided.platformDecidedAt).toEqual(expect.any(String));
    expect(errorCode(await t.exchange.gql(xSystem, DECIDE, { input: { id, decision: 'DISMISSED' } }))).toBe('INVALID_TRANSITION');

    const seen = (await t.cw.ok(t.cw.supervisor, `{ mirrorAlerts(first: 100) { nodes { id platformDecision platformDecisionNote } } }`)).mirrorAlerts.nodes;
    expect(seen.find((a: { id: string }) => a.id === id)).toEqual({ id, platformDecision: 'CONFIRMED', platformDecisionNote: 'blocked at sign-up' });
    const metaView = (await t.cw.ok(t.cw.metaReviewer, `{ mirrorAlerts(first: 100) { totalCount nodes { id } } }`)).mirrorAlerts;
    expect(metaView.nodes.map((a: { id: string }) => a.id)).not.toContain(id);
  });

  it('confirming links the mirror and drafts a request from the original, which a supervisor submits in one step', async () => {
    const pending = (await t.cw.ok(t.cw.analyst, `{ mirrorAlerts(filter: { statuses: [PENDING_REVIEW], platform: X }) { nodes { id source } } }`)).mirrorAlerts.nodes;
    const alert = pending.find((a: { source: string }) => a.source === 'SCREENING');
    const REVIEW = `mutation($input: ReviewMirrorAlertInput!) { reviewMirrorAlert(input: $input) { id status draftRequestId candidateAccount { id handle mirrorOf { id } } } }`;
    expect(errorCode(await t.exchange.gql(t.cw.xReviewer, REVIEW, { input: { id: alert.id, decision: 'CONFIRMED' } }))).toBe('FORBIDDEN');
    const reviewed = (await t.cw.ok(t.cw.analyst, REVIEW, { input: { id: alert.id, decision: 'CONFIRMED', createTakedownDraft: true, note: 'same logo and backup link' } })).reviewMirrorAlert;
    expect(reviewed.status).toBe('CONFIRMED');
    expect(reviewed.candidateAccount.mirrorOf).toEqual({ id: original.id });
    const draft = (await t.cw.ok(t.cw.analyst, `query($id: ID!) { takedownRequest(id: $id) { status kind legalBasis { instrument } reasons accounts { id } organisations { id } } }`, { id: reviewed.draftRequestId })).takedownRequest;
    expect(draft).toMatchObject({ status: 'DRAFT', kind: 'ORDER', legalBasis: { instrument: 'PECA 2016' }, accounts: [{ id: reviewed.candidateAccount.id }], organisations: [{ id: original.organisation }] });
    expect(draft.reasons.at(-1)).toContain(original.requestId);
    expect((await t.cw.move(t.cw.supervisor, reviewed.draftRequestId, 'SUBMITTED')).status).toBe('SUBMITTED');
    const again = await t.exchange.gql(t.cw.analyst, REVIEW, { input: { id: alert.id, decision: 'DISMISSED' } });
    expect(errorCode(again)).toBe('INVALID_TRANSITION');
  });

  it('forgets a reinstated account', async () => {
    await t.cw.move(t.cw.xReviewer, original.requestId, 'REINSTATED');
    for (let i = 0; i < 100 && (await t.exchange.services.mirrors.index.has(original.id)); i++) await new Promise((r) => setTimeout(r, 20));
    const data = await t.cw.ok(xSystem, SCREEN, { input: { platform: 'X', handle: 'umar_media_ttp_3' } });
    expect(data.screenAccount.matches.map((m: { removedAccount: { handle: string } }) => m.removedAccount.handle)).not.toContain('umar_media_ttp');
  });
});
