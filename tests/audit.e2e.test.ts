import { Role } from '../src/auth/roles';
import { errorCode, signRaw } from './helpers/exchange';
import { useCasework } from './helpers/casework';

const LOG = `query($filter: AuditLogFilter, $first: Int) { auditLog(filter: $filter, first: $first) { totalCount nodes { seq action objectType objectId outcome actor actorRoles actorPartner { slug } } } }`;
const VERIFY = `query($from: Int, $to: Int) { verifyAuditChain(from: $from, to: $to) { intact checked firstBrokenSeq reason headSeq } }`;

describe('the audit log', () => {
  const t = useCasework();
  const auditor = () => t.exchange.token('ofcom', Role.AUDITOR, 'ofcom-auditor');
  const entries = async (token: string, filter: Record<string, unknown> = {}) => (await t.cw.ok(token, LOG, { filter, first: 100 })).auditLog;

  it('records each mutation in its own transaction, with who, what, which object and the outcome', async () => {
    const account = await t.cw.account();
    const [entry] = (await entries(t.cw.supervisor, { objectId: account })).nodes;
    expect(entry).toMatchObject({ action: 'mutation flagAccount', objectType: 'Account', objectId: account, outcome: 'OK', actor: 'pta-analyst', actorRoles: 'AGENCY_ANALYST', actorPartner: { slug: 'pta' } });
  });

  it('records a failed mutation as refused, and nothing of what it would have written', async () => {
    const count = async () => Number((await t.exchange.services.db.query('SELECT COUNT(*) AS n FROM accounts'))[0].n);
    const before = await count();
    const response = await t.exchange.gql(t.cw.analyst, `mutation { flagAccount(input: { platform: X, handle: "audit_missing_org", organisationIds: ["01900000-0000-7000-8000-000000000000"] }) { id } }`);
    expect(errorCode(response)).toBe('NOT_FOUND');
    expect(await count()).toBe(before);
    const log = (await entries(t.cw.supervisor, { action: 'mutation flagAccount' })).nodes;
    expect(log[0]).toMatchObject({ outcome: 'NOT_FOUND', actor: 'pta-analyst' });
  });

  it('records refused attempts: a wrong role one by one, no token and bad tokens as a tally', async () => {
    expect(errorCode(await t.exchange.gql(t.cw.xReviewer, `mutation { designateOrganisation(input: { name: "x", aliases: [], designations: [] }) { id } }`))).toBe('FORBIDDEN');
    expect(errorCode(await t.exchange.gql(null, `mutation { designateOrganisation(input: { name: "x", aliases: [], designations: [] }) { id } }`))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.exchange.gql(signRaw({ sub: 'mallory', partner: 'pta', roles: ['AGENCY_SUPERVISOR'] }, { expiresIn: '1h' }, 'wrong-secret'), `{ me { sub } }`))).toBe('UNAUTHENTICATED');
    const subscription = await t.exchange.subscribe(auditor(), `subscription { takedownStatusChanged { request { id } } }`);
    await subscription.settle(300);
    expect(JSON.stringify(subscription.errors)).toContain('FORBIDDEN');
    await t.exchange.server.refusals.flush();
    const log = (await entries(auditor())).nodes;
    expect(log.slice(0, 3)).toEqual([
      expect.objectContaining({ action: 'authenticate http (2 refused)', objectType: 'RefusalTally', outcome: 'UNAUTHENTICATED', actorPartner: null }),
      expect.objectContaining({ action: 'subscription takedownStatusChanged', outcome: 'FORBIDDEN', actorPartner: { slug: 'ofcom' } }),
      expect.objectContaining({ action: 'mutation designateOrganisation', outcome: 'FORBIDDEN', actorPartner: { slug: 'x' }, actor: null }),
    ]);
  });

  it('records reads of internal notes and of disclosures', async () => {
    const request = await t.cw.draft({ internalNotes: 'source is an informant' });
    await t.cw.ok(t.cw.analyst, `query($id: ID!) { takedownRequest(id: $id) { internalNotes } }`, { id: request.id });
    const log = (await entries(t.cw.supervisor, { objectId: request.id })).nodes.map((e: { action: string }) => e.action);
    expect(log).toContain('read internalNotes');
    expect(errorCode(await t.exchange.gql(t.cw.analyst, `query { disclosureRequest(id: "01900000-0000-7000-8000-000000000000") { id } }`))).toBe('NOT_FOUND');
    expect((await entries(t.cw.supervisor, { action: 'query disclosureRequest' })).nodes[0]).toMatchObject({ outcome: 'NOT_FOUND', actor: 'pta-analyst' });
  });

  it('shows auditors everything with people masked, supervisors their agency, platforms their own requests', async () => {
    const request = await t.cw.draft();
    await t.cw.move(t.cw.supervisor, request.id, 'SUBMITTED');
    await t.cw.move(t.cw.xReviewer, request.id, 'ACKNOWLEDGED');
    const metaRequest = await t.cw.draft({ platform: 'FACEBOOK' });
    await t.cw.move(t.cw.supervisor, metaRequest.id, 'SUBMITTED');

    const all = await entries(auditor());
    expect(all.nodes.every((e: { actor: string | null }) => e.actor === null)).toBe(true);
    expect(all.nodes.some((e: { actorPartner: { slug: string } | null }) => e.actorPartner?.slug === 'x')).toBe(true);

    const pta = await entries(t.cw.supervisor);
    expect(pta.nodes.every((e: { actorPartner: { slug: string } }) => e.actorPartner.slug === 'pta')).toBe(true);
    expect(pta.nodes.find((e: { objectId: string; action: string }) => e.objectId === request.id && e.action === 'mutation updateTakedownStatus')?.actor).toBe('pta-supervisor');
    expect((await entries(t.cw.moiSupervisor)).nodes.some((e: { objectId: string }) => e.objectId === request.id)).toBe(false);

    const x = await entries(t.cw.xReviewer);
    const about = new Set(x.nodes.map((e: { objectId: string }) => e.objectId));
    expect(about.has(request.id)).toBe(true);
    expect(about.has(metaRequest.id)).toBe(false);
    expect(x.nodes.find((e: { actorPartner: { slug: string } }) => e.actorPartner.slug === 'pta').actor).toBeNull();
    expect(x.nodes.find((e: { actorPartner: { slug: string } }) => e.actorPartner.slug === 'x').actor).toBe('x-reviewer');
    expect(x.totalCount).toBe(x.nodes.length);
    // Another agency probing the request is not shown to the platform.
    await t.exchange.gql(t.cw.moiSupervisor, `mutation($id: ID!) { updateTakedownStatus(input: { id: $id, status: WITHDRAWN }) { id } }`, { id: request.id });
    const after = await entries(t.cw.xReviewer, { objectId: request.id });
    expect(after.nodes.map((e: { actorPartner: { slug: string } }) => e.actorPartner.slug).sort()).toEqual(['pta', 'pta', 'x']);
    expect((await entries(auditor(), { objectId: request.id })).nodes.map((e: { outcome: string }) => e.outcome)).toContain('FORBIDDEN');

    expect(errorCode(await t.exchange.gql(t.cw.analyst, LOG))).toBe('FORBIDDEN');
    expect(errorCode(await t.exchange.gql(t.cw.analyst, VERIFY))).toBe('FORBIDDEN');
  });

  it('commits a change only together with its audit entry', async () => {
    const db = t.exchange.services.db;
    const [head] = await db.query('SELECT "seq", "hash" FROM audit_head WHERE "id" = 1');
    const accounts = Number((await db.query('SELECT COUNT(*) AS n FROM accounts'))[0].n);
    await db.query('DELETE FROM audit_head');
    try {
      const response = await t.exchange.gql(t.cw.analyst, `mutation { flagAccount(input: { platform: X, handle: "unaudited_change" }) { id } }`);
      expect(response.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(Number((await db.query('SELECT COUNT(*) AS n FROM accounts'))[0].n)).toBe(accounts);
    } finally {
      await db.query(`INSERT INTO audit_head ("id", "seq", "hash") VALUES (1, ${head.seq}, '${head.hash}')`);
    }
  });

  it('verifies the chain, and finds the first link broken by an edited or a deleted row', async () => {
    const intact = (await t.cw.ok(auditor(), VERIFY)).verifyAuditChain;
    expect(intact).toMatchObject({ intact: true, firstBrokenSeq: null });
    expect(intact.checked).toBe(intact.headSeq);
    const target = Math.floor(intact.headSeq / 2);
    await t.exchange.services.db.query(`UPDATE audit_log SET "outcome" = 'OK' WHERE "seq" = ${target}`);
    await t.exchange.services.db.query(`UPDATE audit_log SET "actorSub" = 'someone-else' WHERE "seq" = ${target}`);
    const edited = (await t.cw.ok(auditor(), VERIFY)).verifyAuditChain;
    expect(edited).toMatchObject({ intact: false, firstBrokenSeq: target, reason: expect.stringMatching(/altered/) });
    expect((await t.cw.ok(auditor(), VERIFY, { from: target + 1 })).verifyAuditChain.intact).toBe(true);
    await t.exchange.services.db.query(`DELETE FROM audit_log WHERE "seq" = ${target + 2}`);
    expect((await t.cw.ok(auditor(), VERIFY, { from: target + 1 })).verifyAuditChain).toMatchObject({ intact: false, firstBrokenSeq: target + 2 });
  });
});
