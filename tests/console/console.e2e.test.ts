import type { Browser, Page } from 'playwright-core';
import { Role } from '../../src/auth/roles';
import { DEMO_ORGANISATIONS } from '../../src/cli/demo-seed';
import { newId } from '../../src/common/ids';
import { generateMasterKey } from '../../src/modules/disclosures/sealing';
import { ReviewFlag } from '../../src/modules/takedowns/review-flag.entity';
import { Casework, DESIGNATE } from '../helpers/casework';
import { startExchange, TestExchange } from '../helpers/exchange';
import { buttonLabels, launchChromium, openContext, screenshot, seriousViolations, signIn } from './browser';

const SCREEN = `mutation($input: ScreenAccountInput!) { screenAccount(input: $input) { alert { id } } }`;
const CREATE_DISCLOSURE = `mutation($input: CreateDisclosureRequestInput!) { createDisclosureRequest(input: $input) { id } }`;
const MOVE_DISCLOSURE = `mutation($input: UpdateDisclosureStatusInput!) { updateDisclosureStatus(input: $input) { id } }`;
const PAYLOAD = { subscriber: 'demo subscriber record', email: 'demo@example.org' };

/**
 * The console in Debian's Chromium against a real PAX server on port 0 (`npm run test:console`,
 * which builds it first). Two browser contexts are two people.
 */
describe('the PAX console in a browser', () => {
  let browser: Browser;
  let exchange: TestExchange;
  let cw: Casework;
  let base: string;
  const seeded = {} as { submitted: string; acknowledged: string; draft: string; actioned: string; disclosure: string };
  let reader: string;

  const flag = async (platform: string, handle: string, displayName: string, organisationIds: string[]) =>
    (
      await cw.ok(cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
        input: {
          platform,
          handle,
          displayName,
          bio: `Demo account for PAX; not a real account.`,
          url: `https://example.org/demo/${platform.toLowerCase()}/${handle}`,
          organisationIds,
          internalNotes: 'Demo: traced through a shared backup link.',
          evidence: [
            { url: `https://example.org/demo/evidence/${handle}/post-1`, description: 'Recruitment post', classification: 'SHAREABLE' },
            { url: `https://example.org/demo/evidence/${handle}/source`, description: 'Source report', classification: 'RESTRICTED' },
          ],
        },
      })
    ).flagAccount.id as string;

  beforeAll(async () => {
    browser = await launchChromium();
    exchange = await startExchange({ PAX_SEED_DEMO: 'true' });
    cw = new Casework(exchange);
    base = exchange.url.replace(/\/graphql$/, '');
    reader = exchange.token('pta', Role.AGENCY_DISCLOSURE_READER, 'pta-disclosure-reader');

    const orgs: string[] = [];
    for (const org of DEMO_ORGANISATIONS) orgs.push((await cw.ok(cw.analyst, DESIGNATE, { input: org })).designateOrganisation.id);
    const ttp = await flag('X', 'demo_ttp_media', 'TTP Media (demo)', [orgs[0]]);
    const iskp = await flag('X', 'demo_khorasan_news', 'Khorasan News (demo)', [orgs[1]]);
    const bla = await flag('FACEBOOK', 'demo.bla.voice', 'BLA Voice (demo)', [orgs[2]]);
    const removed = await flag('X', 'umar_media_ttp', 'Umar Media', [orgs[0]]);

    const submitted = await cw.draft({ accountIds: [iskp], kind: 'REFERRAL', priority: 'EMERGENCY' });
    await cw.move(cw.supervisor, submitted.id, 'SUBMITTED');
    const acknowledged = await cw.draft({ accountIds: [ttp], kind: 'ORDER' });
    await cw.move(cw.supervisor, acknowledged.id, 'SUBMITTED');
    await cw.move(cw.xReviewer, acknowledged.id, 'ACKNOWLEDGED');
    const draft = await cw.draft({ accountIds: [bla] });
    const actioned = await cw.draft({ accountIds: [removed], kind: 'ORDER' });
    await cw.move(cw.supervisor, actioned.id, 'SUBMITTED');
    await cw.move(cw.xReviewer, actioned.id, 'ACTIONED', { action: 'ACCOUNT_TERMINATED' });
    Object.assign(seeded, { submitted: submitted.id, acknowledged: acknowledged.id, draft: draft.id, actioned: actioned.id });

    for (let i = 0; i < 100 && !(await exchange.services.mirrors.index.has(removed)); i++) await new Promise((r) => setTimeout(r, 20));
    const xSignups = exchange.token('x', Role.PLATFORM_SYSTEM, 'x-signup-service');
    const screened = await cw.ok(xSignups, SCREEN, { input: { platform: 'X', handle: 'umar_rnedia_ttp2', displayName: 'Umar Media', bio: 'New home of Umar Media' } });
    expect(screened.screenAccount.alert).not.toBeNull();

    const disclosure = await cw.ok(cw.analyst, CREATE_DISCLOSURE, {
      input: {
        type: 'LEGAL_PROCESS', platform: 'X', accounts: [{ handle: 'demo_ttp_media' }], categories: ['BASIC_SUBSCRIBER'],
        dataFrom: '2026-01-01T00:00:00Z', dataTo: '2026-10-01T00:00:00Z', legalBasis: { instrument: 'PECA 2016 s.31', section: 'warrant 42/2026' },
        authorisation: { contentBase64: Buffer.from('court warrant').toString('base64'), mediaType: 'application/pdf', classification: 'SHAREABLE' },
        caseReference: 'FIA-CT-2026-118',
      },
    });
    seeded.disclosure = disclosure.createDisclosureRequest.id;
    const moveDisclosure = (token: string, status: string, extra: object = {}) => cw.ok(token, MOVE_DISCLOSURE, { input: { id: seeded.disclosure, status, ...extra } });
    await moveDisclosure(cw.supervisor, 'SUBMITTED');
    await moveDisclosure(cw.xReviewer, 'UNDER_REVIEW');
    await moveDisclosure(cw.xReviewer, 'PRODUCED_FULL', {
      production: { payloadBase64: Buffer.from(JSON.stringify(PAYLOAD)).toString('base64'), mediaType: 'application/json', categories: ['BASIC_SUBSCRIBER'] },
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await exchange?.close();
  });

  it('serves the console at / with a strict CSP, deep links as index.html, and the API as before', async () => {
    const home = await fetch(`${base}/requests/${seeded.submitted}`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<div id="root">');
    const csp = home.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
    expect(csp).not.toContain('unsafe-inline');
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    const unknown = await fetch(`${base}/nowhere`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await fetch(`${base}/healthz`)).headers.get('content-type')).toMatch(/json/);
  });

  it('offers demo personas in development, signs in with one, shows who you are, and signs out', async () => {
    const { context, page, problems } = await openContext(browser);
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Demo personas (development only)' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: 'X platform reviewer' }).click();
    const who = page.getByLabel('Signed in as');
    await who.getByText('x-reviewer').waitFor();
    expect(await who.innerText()).toMatch(/x-reviewer[\s\S]*\(Platform\)[\s\S]*Platform reviewer/);
    // The token is in this tab's sessionStorage only: never in a URL, never in localStorage.
    expect(page.url()).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
    expect(await page.evaluate('({ local: localStorage.length, session: Object.keys(sessionStorage) })')).toEqual({ local: 0, session: ['pax.token'] });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Your PAX token').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('never offers demo personas in production', async () => {
    const production = await startExchange({ NODE_ENV: 'production', PAX_MASTER_KEYS: generateMasterKey('prod'), PAX_SEED_DEMO: 'true' });
    try {
      const productionBase = production.url.replace(/\/graphql$/, '');
      const personas = await fetch(`${productionBase}/console/demo-personas.json`);
      expect(personas.status).toBe(404);
      expect(await personas.text()).not.toMatch(/token|eyJ/);
      const { context, page, problems } = await openContext(browser);
      await page.goto(`${productionBase}/`);
      await page.getByLabel('Your PAX token').waitFor();
      // The persona list would follow the fetch; give it the time it takes in development.
      await page.waitForLoadState('networkidle');
      expect(await page.getByText('Demo personas').count()).toBe(0);
      await signIn(page, productionBase, production.token('x', Role.PLATFORM_REVIEWER, 'x-reviewer'), 'x-reviewer');
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await production.close();
    }
  });

  it("shows a platform reviewer's acknowledgement and action on the agency supervisor's open page, live", async () => {
    const agency = await openContext(browser);
    await signIn(agency.page, base, cw.supervisor, 'pta-supervisor');
    await agency.page.goto(`${base}/requests/${seeded.submitted}`);
    await agency.page.getByTestId('request-status').getByText('Submitted').waitFor();
    await agency.page.evaluate('window.notReloaded = true');

    const platform = await openContext(browser);
    await signIn(platform.page, base, cw.xReviewer, 'x-reviewer');
    await platform.page.getByRole('heading', { name: 'Your queue' }).waitFor();
    await platform.page.getByRole('link', { name: new RegExp(seeded.submitted.slice(-8)) }).click();
    const moves = platform.page.getByRole('group', { name: 'Possible moves' });
    expect(await buttonLabels(moves)).toEqual(['Acknowledge', 'Ask for information', 'Action', 'Reject']);
    await moves.getByRole('button', { name: 'Acknowledge' }).click();
    await platform.page.getByRole('button', { name: 'Confirm: Acknowledge' }).click();
    await platform.page.getByTestId('request-status').getByText('Acknowledged').waitFor();

    await agency.page.getByTestId('request-status').getByText('Acknowledged').waitFor();
    await agency.page.getByRole('status').getByText(/is now Acknowledged/).first().waitFor();

    await moves.getByRole('button', { name: 'Action' }).click();
    await platform.page.getByLabel('Action taken').selectOption('ACCOUNT_SUSPENDED');
    await platform.page.getByLabel('Note (optional)').fill('Suspended under our violent organisations policy.');
    await platform.page.getByRole('button', { name: 'Confirm: Action' }).click();
    await platform.page.getByTestId('request-status').getByText('Actioned').waitFor();
    await moves.getByRole('button', { name: 'Reinstate' }).waitFor();
    expect(await buttonLabels(moves)).toEqual(['Reinstate']);

    await agency.page.getByTestId('request-status').getByText('Actioned').waitFor();
    await agency.page.getByRole('status').getByText(/is now Actioned/).waitFor();
    expect(await agency.page.evaluate('window.notReloaded')).toBe(true);
    expect(await agency.page.getByRole('listitem').filter({ hasText: 'Suspended under our violent organisations policy.' }).count()).toBe(1);
    await screenshot(agency.page, 'request-live-update');
    expect([...agency.problems, ...platform.problems]).toEqual([]);
    await agency.context.close();
    await platform.context.close();
  });

  it('keeps the two-person rule: the drafting supervisor cannot approve the draft, another supervisor can', async () => {
    const drafterToken = exchange.token('pta', Role.AGENCY_SUPERVISOR, 'pta-supervisor-a');
    const drafter = await openContext(browser);
    await signIn(drafter.page, base, drafterToken, 'pta-supervisor-a');
    await drafter.page.getByRole('link', { name: 'Draft request' }).click();
    await drafter.page.getByRole('heading', { name: 'Draft a takedown request' }).waitFor();
    await drafter.page.getByLabel(/@demo_khorasan_news/).check();
    await drafter.page.getByLabel('Reasons (one a line)').fill('Recruitment for a proscribed organisation');
    await drafter.page.getByRole('button', { name: 'Save draft' }).click();
    await drafter.page.getByTestId('request-status').getByText('Draft').waitFor();
    const id = drafter.page.url().split('/requests/')[1];
    await drafter.page.getByText('You drafted this request, so another supervisor must approve it.').waitFor();
    expect(await buttonLabels(drafter.page.getByRole('group', { name: 'Possible moves' }))).toEqual(['Withdraw']);

    await drafter.page.getByRole('link', { name: 'Approvals' }).click();
    const ownRow = drafter.page.getByRole('row').filter({ hasText: id.slice(-8) });
    await ownRow.getByText('You drafted this: another supervisor must approve it.').waitFor();
    expect(await ownRow.getByRole('button', { name: 'Approve and submit' }).count()).toBe(0);

    const other = await openContext(browser);
    await signIn(other.page, base, cw.supervisor, 'pta-supervisor');
    await other.page.getByRole('link', { name: 'Approvals' }).click();
    const row = other.page.getByRole('row').filter({ hasText: id.slice(-8) });
    await row.getByText('pta-supervisor-a').waitFor();
    expect(await seriousViolations(other.page)).toEqual([]);
    await screenshot(other.page, 'approvals');
    await row.getByRole('button', { name: 'Approve and submit' }).click();
    await other.page.getByRole('row').filter({ hasText: id.slice(-8) }).waitFor({ state: 'detached' });
    expect((await cw.ok(cw.supervisor, `query($id: ID!) { takedownRequest(id: $id) { status history { actor { sub } } } }`, { id })).takedownRequest).toMatchObject({
      status: 'SUBMITTED',
      history: [{ actor: { sub: 'pta-supervisor-a' } }, { actor: { sub: 'pta-supervisor' } }],
    });
    // The drafter's open page learns of the submission too.
    await drafter.page.goto(`${base}/requests/${id}`);
    await drafter.page.getByTestId('request-status').getByText('Submitted').waitFor();
    expect([...drafter.problems, ...other.problems]).toEqual([]);
    await drafter.context.close();
    await other.context.close();
  });

  it('shows a Meta reviewer who types the URL of an X request "not found", exactly as for a missing one', async () => {
    const { context, page, problems } = await openContext(browser);
    await signIn(page, base, cw.metaReviewer, 'meta-reviewer');
    const shown = async (id: string) => {
      await page.goto(`${base}/requests/${id}`);
      await page.getByRole('alert').waitFor();
      return { heading: await page.getByRole('heading', { level: 1 }).innerText(), alert: await page.getByRole('alert').innerText() };
    };
    const hidden = await shown(seeded.acknowledged);
    const missing = await shown('00000000-0000-4000-8000-000000000000');
    expect(hidden).toEqual({ heading: 'Request not found', alert: 'Not found. It does not exist, or it is not shared with you.' });
    expect(missing).toEqual(hidden);
    expect(await page.locator('body').innerText()).not.toContain('demo_ttp_media');
    expect(problems).toEqual([]);
    await context.close();
  });

  it("lets a platform reviewer record its decision on a mirror alert, which the owning agency then sees", async () => {
    const { context, page, problems } = await openContext(browser);
    await signIn(page, base, cw.xReviewer, 'x-reviewer');
    await page.goto(`${base}/alerts`);
    const card = page.locator('li.card.alert').filter({ hasText: '@umar_rnedia_ttp2' });
    await card.getByLabel('Note').fill('blocked at sign-up');
    await card.getByRole('button', { name: 'Confirm mirror' }).click();
    await card.getByText(/Platform decision: Confirmed/).waitFor();
    expect(await card.getByRole('button', { name: 'Confirm mirror' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();

    const agency = await openContext(browser);
    await signIn(agency.page, base, cw.supervisor, 'pta-supervisor');
    await agency.page.goto(`${base}/alerts`);
    const seen = agency.page.locator('li.card.alert').filter({ hasText: '@umar_rnedia_ttp2' });
    await seen.getByText('blocked at sign-up').waitFor();
    expect(await seen.getByRole('button', { name: 'Confirm mirror' }).count()).toBe(1);
    expect(agency.problems).toEqual([]);
    await agency.context.close();
  });

  it('shows a review flag to both sides, and lets only the requesting agency settle it, with a note the platform does not see', async () => {
    // A de-listing raises flags (tests/designation-import.e2e.test.ts); here one is written as the import writes it.
    const reason = 'organisation "Tehreek-i-Taliban Pakistan" de-listed by UN on 2026-11-23 (QDe.132, UN Security Council Consolidated List); it has no active designation left';
    await exchange.services.db.getRepository(ReviewFlag).insert({ id: newId(), takedownRequestId: seeded.acknowledged, organisationId: (await cw.ok(cw.analyst, `{ organisations(first: 1) { nodes { id } } }`)).organisations.nodes[0].id, reason, raisedAt: new Date() });

    const platform = await openContext(browser);
    await signIn(platform.page, base, cw.xReviewer, 'x-reviewer');
    await platform.page.goto(`${base}/requests/${seeded.acknowledged}`);
    const flags = platform.page.getByRole('region', { name: 'Needs review' });
    await flags.getByText(reason).waitFor();
    await flags.getByText(/Waiting for .* to review it/).waitFor();
    expect(await flags.getByRole('button', { name: 'Acknowledge the flag' }).count()).toBe(0);

    const agency = await openContext(browser);
    await signIn(agency.page, base, cw.supervisor, 'pta-supervisor');
    await agency.page.goto(`${base}/queue`);
    await agency.page.getByRole('row').filter({ hasText: seeded.acknowledged.slice(-8) }).getByText('needs review').waitFor();
    await agency.page.getByRole('link', { name: new RegExp(seeded.acknowledged.slice(-8)) }).click();
    const own = agency.page.getByRole('region', { name: 'Needs review' });
    await own.getByLabel(/Why the request stands/).fill('Kept: the account also posts for a group still designated.');
    expect(await seriousViolations(agency.page)).toEqual([]);
    await screenshot(agency.page, 'agency-review-flag');
    await own.getByRole('button', { name: 'Acknowledge the flag' }).click();
    const settled = agency.page.getByRole('region', { name: 'Review flags' });
    await settled.getByText(/Acknowledged .*: Kept: the account also posts/).waitFor();

    await platform.page.reload();
    const seen = platform.page.getByRole('region', { name: 'Review flags' });
    await seen.getByText(/^Acknowledged /).waitFor();
    expect(await seen.innerText()).not.toContain('Kept:');
    expect([...agency.problems, ...platform.problems]).toEqual([]);
    await agency.context.close();
    await platform.context.close();
  });

  it('lets a disclosure reader open a production only with a stated purpose, and shows the openings log', async () => {
    const { context, page, problems } = await openContext(browser);
    await signIn(page, base, reader, 'pta-disclosure-reader');
    await page.getByRole('heading', { name: 'Disclosure requests' }).waitFor();
    await page.getByRole('link', { name: new RegExp(seeded.disclosure.slice(-8)) }).click();
    const open = page.getByRole('button', { name: 'Open the production' });
    await open.waitFor();
    expect(await open.isDisabled()).toBe(true);
    await page.getByText('Never opened.').waitFor();
    await page.getByLabel(/Purpose of this opening/).fill('Identify the operator for case FIA-CT-2026-118');
    await open.click();
    await page.locator('pre.payload').getByText('demo subscriber record').waitFor();
    const log = page.getByRole('table').filter({ hasText: 'Purpose' });
    await log.getByText('Identify the operator for case FIA-CT-2026-118').waitFor();
    expect(await log.innerText()).toContain('pta-disclosure-reader');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'disclosure');
    expect(problems).toEqual([]);
    await context.close();
  });

  it("passes an accessibility scan of each main page with no serious or critical violation", async () => {
    const pages: [string, string, string, (page: Page) => Promise<void>][] = [
      [cw.xReviewer, 'x-reviewer', '/queue', (p) => p.getByRole('link', { name: new RegExp(seeded.acknowledged.slice(-8)) }).waitFor()],
      [cw.xReviewer, 'x-reviewer', `/requests/${seeded.acknowledged}`, (p) => p.getByRole('heading', { name: 'History' }).waitFor()],
      [cw.xReviewer, 'x-reviewer', '/alerts', (p) => p.getByText('Signals').first().waitFor()],
      [cw.supervisor, 'pta-supervisor', '/alerts', (p) => p.getByRole('button', { name: 'Confirm mirror' }).first().waitFor()],
      [cw.xReviewer, 'x-reviewer', '/report', (p) => p.locator('.recharts-bar-rectangle').first().waitFor()],
      [cw.analyst, 'pta-analyst', '/queue', (p) => p.getByRole('link', { name: new RegExp(seeded.draft.slice(-8)) }).waitFor()],
      [cw.analyst, 'pta-analyst', '/organisations', (p) => p.getByText('QDe.132').waitFor()],
      [cw.analyst, 'pta-analyst', '/accounts/new', (p) => p.getByLabel('Tehreek-i-Taliban Pakistan').waitFor()],
      [cw.analyst, 'pta-analyst', '/requests/new', (p) => p.getByLabel(/@demo\.bla\.voice/).waitFor()],
      [cw.analyst, 'pta-analyst', '/disclosures', (p) => p.getByText('FIA-CT-2026-118').waitFor()],
    ];
    const found: Record<string, string[]> = {};
    const names: Record<string, string> = {
      '/queue': 'queue', '/alerts': 'mirror-alerts', '/report': 'transparency-report', '/organisations': 'organisations',
      '/accounts/new': 'flag-account', '/requests/new': 'draft-request', '/disclosures': 'disclosures',
    };
    for (const [token, sub, path, ready] of pages) {
      const { context, page, problems } = await openContext(browser);
      await signIn(page, base, token, sub);
      await page.goto(`${base}${path}`);
      await ready(page);
      found[`${sub} ${path}`] = [...(await seriousViolations(page)), ...problems];
      const name = path.startsWith('/requests/') && path !== '/requests/new' ? 'request' : names[path];
      await screenshot(page, sub.startsWith('x') ? `platform-${name}` : `agency-${name}`);
      await context.close();
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  });
});
