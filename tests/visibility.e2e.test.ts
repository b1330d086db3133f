import { Role } from '../src/auth/roles';
import { plantLeakWorld } from './helpers/leak-world';
import { Casework, STATUS_CHANGED } from './helpers/casework';
import { errorCode, startExchange, TestExchange } from './helpers/exchange';

/** Everything a caller can reach from the top-level queries, every nested field included. */
const WALK = `{
  me { sub partner { slug } }
  organisations(first: 100) { totalCount pageInfo { hasNextPage } edges { cursor node { id name aliases internalNotes designations { authority reference designatedOn } } } }
  accounts(first: 100) { totalCount nodes { ...A takedownRequests { ...R } } }
  takedownRequests(first: 100) { totalCount nodes { ...R accounts { ...A takedownRequests { id internalNotes } } } }
}
fragment A on Account { id platform handle platformAccountId displayName url bio distribution internalNotes createdAt
  flaggedBy { slug } organisations { id internalNotes } evidence { id url description classification } }
fragment R on TakedownRequest { id status kind priority platform reasons distribution internalNotes version deadlineAt overdue
  legalBasis { instrument section } addressedTo { slug platforms } requestedBy { slug }
  organisations { id internalNotes } evidence { id url classification }
  history { sequence fromStatus toStatus reasonCode action note noteClassification actor { partner { slug } sub } } }`;

const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id).sort();

describe('visibility: every role, every path', () => {
  let exchange: TestExchange;
  let cw: Casework;
  const planted: Record<string, string> = {};
  let telegramReviewer: string;
  let otherRoles: Record<string, string>;

  beforeAll(async () => {
    exchange = await startExchange();
    cw = new Casework(exchange);
    telegramReviewer = exchange.token('telegram', Role.PLATFORM_REVIEWER);
    otherRoles = {
      AGENCY_INTAKE: exchange.token('pta', Role.AGENCY_INTAKE),
      AGENCY_DISCLOSURE_READER: exchange.token('pta', Role.AGENCY_DISCLOSURE_READER),
      AUDITOR: exchange.token('ofcom', Role.AUDITOR),
    };
    Object.assign(planted, await plantLeakWorld(cw));
  });
  afterAll(() => exchange.close());

  const expectations = () => ({
    x: {
      token: cw.xReviewer,
      accounts: [planted.accountX, planted.accountCovert],
      requests: [planted.requestX, planted.requestCovert],
    },
    meta: { token: cw.metaReviewer, accounts: [planted.accountMeta], requests: [planted.requestMeta] },
    telegram: { token: telegramReviewer, accounts: [] as string[], requests: [] as string[] },
    moi: {
      token: cw.moiAnalyst,
      accounts: [planted.accountX, planted.accountMeta, planted.accountUnrequested, planted.accountDraftOnly],
      requests: [planted.requestX, planted.requestMeta],
    },
    pta: {
      token: cw.analyst,
      accounts: [planted.accountX, planted.accountMeta, planted.accountCovert, planted.accountUnrequested, planted.accountDraftOnly],
      requests: [planted.requestX, planted.requestMeta, planted.requestCovert, planted.requestDraft],
    },
  });

  describe.each(['x', 'meta', 'telegram', 'moi', 'pta'] as const)('as %s', (who) => {
    it('top-level lists and totalCount hold exactly what it may see', async () => {
      const { token, accounts, requests } = expectations()[who];
      const data = await cw.ok(token, WALK);
      expect(ids(data.accounts.nodes)).toEqual([...accounts].sort());
      expect(data.accounts.totalCount).toBe(accounts.length);
      expect(ids(data.takedownRequests.nodes)).toEqual([...requests].sort());
      expect(data.takedownRequests.totalCount).toBe(requests.length);
      expect(data.organisations.totalCount).toBe(1);
    });

    it('by-id lookups answer hidden objects exactly like missing ones', async () => {
      const { token, accounts, requests } = expectations()[who];
      const missing = '01900000-0000-7000-8000-000000000000';
      for (const [field, all, visible] of [
        ['account', [planted.accountX, planted.accountMeta, planted.accountCovert, planted.accountUnrequested, planted.accountDraftOnly], accounts],
        ['takedownRequest', [planted.requestX, planted.requestMeta, planted.requestCovert, planted.requestDraft], requests],
      ] as const) {
        const absent = await exchange.gql(token, `query($id: ID!) { ${field}(id: $id) { id } }`, { id: missing });
        for (const id of all) {
          const response = await exchange.gql(token, `query($id: ID!) { ${field}(id: $id) { id } }`, { id });
          if (visible.includes(id)) {
            expect(response.data?.[field].id).toBe(id);
          } else {
            expect(JSON.stringify(response).replaceAll(id, 'ID')).toBe(JSON.stringify(absent).replaceAll(missing, 'ID'));
          }
        }
      }
    });

    if (who !== 'moi' && who !== 'pta') {
      it('nothing agency-internal or of another platform is reachable through any nested field', async () => {
        const { token } = expectations()[who];
        const text = JSON.stringify(await cw.ok(token, WALK));
        expect(text).not.toMatch(/SECRET/);
        const others = Object.values(planted).filter((id) => !expectations()[who].accounts.includes(id) && !expectations()[who].requests.includes(id) && id !== planted.org);
        for (const id of others) expect(text).not.toContain(id);
        expect(text).not.toMatch(/"distribution":"/);
      });
    }
  });

  it('agencies see internal notes and RESTRICTED items; another agency never sees a covert account or a draft', async () => {
    const pta = JSON.stringify(await cw.ok(cw.analyst, WALK));
    for (const marker of ['SECRET-org-note', 'SECRET-x-note', 'SECRET-request-note', 'SECRET-history-note', 'SECRET-restricted', 'SECRET-draft-note']) {
      expect(pta).toContain(marker);
    }
    const moi = JSON.stringify(await cw.ok(cw.moiAnalyst, WALK));
    expect(moi).toContain('SECRET-x-note');
    expect(moi).not.toContain('SECRET-covert-note');
    expect(moi).not.toContain('SECRET-draft-note');
    expect(moi).not.toContain(planted.accountCovert);
  });

  it('nested requests of an account are filtered: a platform sees only its own, non-draft', async () => {
    const data = await cw.ok(cw.xReviewer, `query($id: ID!) { account(id: $id) { takedownRequests { id } evidence { classification } } }`, { id: planted.accountX });
    expect(data.account).toEqual({ takedownRequests: [{ id: planted.requestX }], evidence: [{ classification: 'SHAREABLE' }] });
  });

  it('list filters cannot widen what a caller sees', async () => {
    const data = await cw.ok(cw.xReviewer, `query($org: ID!) { accounts(filter: { platform: FACEBOOK }) { totalCount } takedownRequests(filter: { platform: FACEBOOK }) { totalCount }
      byOrg: takedownRequests(filter: { organisationId: $org }) { totalCount } }`, { org: planted.org });
    expect(data).toEqual({ accounts: { totalCount: 0 }, takedownRequests: { totalCount: 0 }, byOrg: { totalCount: 2 } });
  });

  it('roles without casework see organisations (without internal notes) and are FORBIDDEN elsewhere', async () => {
    for (const [role, token] of Object.entries(otherRoles)) {
      const orgs = await cw.ok(token, '{ organisations { totalCount nodes { internalNotes } } }');
      expect({ role, orgs }).toEqual({ role, orgs: { organisations: { totalCount: 1, nodes: [{ internalNotes: null }] } } });
      for (const query of ['{ accounts { totalCount } }', '{ takedownRequests { totalCount } }', `{ account(id: "${planted.accountX}") { id } }`]) {
        expect({ role, query, code: errorCode(await exchange.gql(token, query)) }).toEqual({ role, query, code: 'FORBIDDEN' });
      }
    }
  });

  it('platforms cannot use agency mutations, and an agency cannot answer for a platform', async () => {
    const flag = await exchange.gql(cw.xReviewer, `mutation { flagAccount(input: { platform: X, handle: "h" }) { id } }`);
    expect(errorCode(flag)).toBe('FORBIDDEN');
    const designate = await exchange.gql(cw.xReviewer, `mutation { designateOrganisation(input: { name: "n", designations: [{ authority: UN, reference: "r", designatedOn: "2020-01-01" }] }) { id } }`);
    expect(errorCode(designate)).toBe('FORBIDDEN');
    const answer = await exchange.gql(cw.supervisor, `mutation($id: ID!) { updateTakedownStatus(input: { id: $id, status: ACKNOWLEDGED }) { id } }`, { id: planted.requestX });
    expect(errorCode(answer)).toBe('INVALID_TRANSITION');
    const otherPlatform = await exchange.gql(cw.metaReviewer, `mutation($id: ID!) { updateTakedownStatus(input: { id: $id, status: ACKNOWLEDGED }) { id } }`, { id: planted.requestX });
    expect(otherPlatform.errors?.[0].message).toBe(`TakedownRequest ${planted.requestX} not found`);
    const draft = await exchange.gql(cw.xReviewer, `mutation($id: ID!) { updateTakedownStatus(input: { id: $id, status: ACKNOWLEDGED }) { id } }`, { id: planted.requestDraft });
    expect(errorCode(draft)).toBe('NOT_FOUND');
  });

  it('subscriptions deliver an event only to those who may see the request, redacted like a query', async () => {
    const feeds = {
      x: await exchange.subscribe(cw.xReviewer, STATUS_CHANGED),
      meta: await exchange.subscribe(cw.metaReviewer, STATUS_CHANGED),
      moi: await exchange.subscribe(cw.moiAnalyst, STATUS_CHANGED),
      pta: await exchange.subscribe(cw.supervisor, STATUS_CHANGED),
    };
    const auditor = await exchange.subscribe(otherRoles.AUDITOR, STATUS_CHANGED);
    expect((await auditor.next()).errors[0].extensions.code).toBe('FORBIDDEN');
    await auditor.close();

    await cw.move(cw.metaReviewer, planted.requestMeta, 'ACKNOWLEDGED');
    expect((await feeds.meta.next()).takedownStatusChanged.request).toMatchObject({ id: planted.requestMeta, internalNotes: null, distribution: null });
    expect((await feeds.pta.next()).takedownStatusChanged.request).toMatchObject({ id: planted.requestMeta, internalNotes: 'SECRET-request-note' });
    expect((await feeds.moi.next()).takedownStatusChanged.request.id).toBe(planted.requestMeta);

    await cw.move(cw.xReviewer, planted.requestCovert, 'ACKNOWLEDGED');
    const covertForX = (await feeds.x.next()).takedownStatusChanged;
    expect(covertForX.request.id).toBe(planted.requestCovert);
    expect(JSON.stringify(covertForX)).not.toMatch(/SECRET/);
    expect((await feeds.pta.next()).takedownStatusChanged.request.id).toBe(planted.requestCovert);

    await cw.draft({ accountIds: [planted.accountUnrequested] });
    expect((await feeds.pta.next()).takedownStatusChanged.entry.toStatus).toBe('DRAFT');

    expect(await feeds.x.settle()).toEqual([]);
    expect(await feeds.meta.settle(0)).toEqual([]);
    expect(await feeds.moi.settle(0)).toEqual([]);
    for (const feed of Object.values(feeds)) await feed.close();
  });

  it('a subscription filter narrows, never widens', async () => {
    const feed = await exchange.subscribe(cw.xReviewer, STATUS_CHANGED, { filter: { requestId: planted.requestMeta } });
    await cw.move(cw.metaReviewer, planted.requestMeta, 'ACTIONED', { action: 'ACCOUNT_TERMINATED' });
    expect(await feed.settle()).toEqual([]);
    await feed.close();
  });

  it('a deactivated partner stops receiving events on an open subscription', async () => {
    const feed = await exchange.subscribe(telegramReviewer, STATUS_CHANGED);
    await exchange.services.partners.add({ slug: 'tg2', kind: 'PLATFORM' as never, platforms: ['TIKTOK' as never] });
    const tiktok = exchange.token('tg2', Role.PLATFORM_REVIEWER);
    const tiktokFeed = await exchange.subscribe(tiktok, STATUS_CHANGED);
    const account = await cw.account({ platform: 'TIKTOK' });
    const draft = await cw.draft({ accountIds: [account] });
    await cw.move(cw.supervisor, draft.id, 'SUBMITTED');
    expect((await tiktokFeed.next()).takedownStatusChanged.request.id).toBe(draft.id);
    await exchange.services.partners.setActive('tg2', false);
    await cw.move(cw.supervisor, draft.id, 'WITHDRAWN');
    expect(await tiktokFeed.settle()).toEqual([]);
    expect(await feed.settle(0)).toEqual([]);
    await feed.close();
    await tiktokFeed.close();
  });
});
