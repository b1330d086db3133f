import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Role } from '../src/auth/roles';
import { loadConfig } from '../src/config';
import { createContext, closeServices, openServices } from '../src/services';
import { principalFromPartner } from '../src/auth/principal';
import { generateMasterKey } from '../src/modules/disclosures/sealing';
import { rewrapSealedKeys } from '../src/modules/disclosures/rewrap';
import { WebhookEndpoint, WebhookEvent } from '../src/modules/webhooks/webhook.entity';
import { openSecret } from '../src/modules/webhooks/secrets';
import { errorCode, ManualClock, startExchange, TEST_SECRET } from './helpers/exchange';
import { useCasework } from './helpers/casework';

const MARKER = 'SECRET-SUBSCRIBER-7731';
const PAYLOAD = Buffer.from(JSON.stringify({ subscriber: { name: MARKER, ip: '203.0.113.9' } })).toString('base64');
const AUTHORISATION = Buffer.from('%PDF-1.7 warrant issued by the Islamabad sessions court').toString('base64');

const DISCLOSURE_FIELDS = `id type status version categories platform caseReference userNotification userNotificationDelayedUntil
  deadlineAt submittedAt overdue dataFrom dataTo legalBasis { instrument section } accounts { handle url platformAccountId }
  emergency { personAtRisk danger justifications { category reason } }
  preservation { status expiresAt extendedAt convertedToId }
  authorisation { id sha256 sizeBytes mediaType capturedAt content classification custody { action sub } }
  production { categories mediaType sizeBytes sha256 producedAt }
  openings { sub purpose at } history { fromStatus toStatus note actor { partner { slug } sub } }
  addressedTo { slug } requestedBy { slug } takedownRequest { id }`;
const CREATE = `mutation($input: CreateDisclosureRequestInput!) { createDisclosureRequest(input: $input) { ${DISCLOSURE_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateDisclosureStatusInput!) { updateDisclosureStatus(input: $input) { ${DISCLOSURE_FIELDS} } }`;
const OPEN = `mutation($id: ID!, $purpose: String!) { openDisclosure(id: $id, purpose: $purpose) { disclosureRequestId mediaType payloadBase64 sha256 } }`;
const EXTEND = `mutation($id: ID!) { extendPreservation(id: $id) { preservation { status expiresAt extendedAt } } }`;
const NOTIFY = `mutation($input: UpdateUserNotificationInput!) { updateUserNotification(input: $input) { userNotification userNotificationDelayedUntil } }`;

const legalProcess = (overrides: Record<string, unknown> = {}) => ({
  type: 'LEGAL_PROCESS',
  platform: 'X',
  accounts: [{ handle: 'ttp_media', platformAccountId: '1449' }],
  categories: ['BASIC_SUBSCRIBER', 'NON_CONTENT'],
  dataFrom: '2026-01-01T00:00:00Z',
  dataTo: '2026-10-01T00:00:00Z',
  legalBasis: { instrument: 'PECA 2016 s.31', section: 'warrant 42/2026' },
  authorisation: { contentBase64: AUTHORISATION, mediaType: 'application/pdf', classification: 'SHAREABLE', description: 'court warrant' },
  caseReference: 'FIA-CT-2026-118',
  ...overrides,
});

describe('lawful disclosure', () => {
  const clock = new ManualClock();
  const t = useCasework({}, clock);
  /** The webhook outbox rows written for a request: topic, and the disclosure event's kind. */
  const outboxed = async (id: string): Promise<[string, string | undefined][]> =>
    (await t.exchange.services.db.getRepository(WebhookEvent).findBy({ objectId: id })).map((e) => [e.topic, (e.body as { kind?: string }).kind]);
  const tokens = () => ({
    reader: t.exchange.token('pta', Role.AGENCY_DISCLOSURE_READER, 'pta-reader'),
    moiReader: t.exchange.token('moi', Role.AGENCY_DISCLOSURE_READER, 'moi-reader'),
    secondSupervisor: t.exchange.token('pta', Role.AGENCY_SUPERVISOR, 'pta-supervisor-2'),
    auditor: t.exchange.token('ofcom', Role.AUDITOR, 'ofcom-auditor'),
    intake: t.exchange.token('pta', Role.AGENCY_INTAKE, 'pta-intake'),
  });
  const count = async (table: string) => Number((await t.exchange.services.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  async function draft(input = legalProcess()) {
    return (await t.cw.ok(t.cw.analyst, CREATE, { input })).createDisclosureRequest;
  }
  const move = (token: string, id: string, status: string, extra: Record<string, unknown> = {}) =>
    t.exchange.gql(token, UPDATE, { input: { id, status, ...extra } });
  async function moved(token: string, id: string, status: string, extra: Record<string, unknown> = {}) {
    const response = await move(token, id, status, extra);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data.updateDisclosureStatus;
  }
  async function produced() {
    const request = await draft();
    await moved(t.cw.supervisor, request.id, 'SUBMITTED');
    await moved(t.cw.xReviewer, request.id, 'UNDER_REVIEW');
    await moved(t.cw.xReviewer, request.id, 'PRODUCED_FULL', { production: { payloadBase64: PAYLOAD, mediaType: 'application/json', categories: ['BASIC_SUBSCRIBER', 'NON_CONTENT'] } });
    return request.id as string;
  }

  describe('the instrument decides the categories', () => {
    it.each([
      ['CONTENT under a traffic-data section', { legalBasis: { instrument: 'PECA 2016 s.29' }, categories: ['CONTENT'] }, 'categories'],
      ['CONTENT under a subpoena', { legalBasis: { instrument: 'Subpoena 2026/7' }, categories: ['BASIC_SUBSCRIBER', 'CONTENT'] }, 'categories'],
      ['an unknown instrument', { legalBasis: { instrument: 'Letter from the minister' } }, 'legalBasis'],
      ['a preservation instrument used for production', { legalBasis: { instrument: '18 U.S.C. 2703(f)' } }, 'type'],
      ['legal process without the authorisation document', { authorisation: null }, 'authorisation'],
      ['an emergency without its justification', { type: 'EMERGENCY', legalBasis: { instrument: '18 U.S.C. 2702' }, authorisation: null }, 'emergency'],
      ['an oversized authorisation document', { authorisation: { contentBase64: Buffer.alloc(2 * 2 ** 20 + 1).toString('base64'), classification: 'SHAREABLE' } }, 'contentBase64'],
    ])('refuses %s and writes nothing', async (_name, overrides, field) => {
      const before = [await count('disclosure_requests'), await count('evidence_items')];
      const response = await t.exchange.gql(t.cw.analyst, CREATE, { input: legalProcess(overrides) });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].extensions!.field).toBe(field);
      expect([await count('disclosure_requests'), await count('evidence_items')]).toEqual(before);
    });

    it('accepts CONTENT under a content warrant, and emergencies with a reason per category', async () => {
      expect((await draft(legalProcess({ categories: ['CONTENT'] }))).categories).toEqual(['CONTENT']);
      const emergency = await draft(legalProcess({
        type: 'EMERGENCY',
        legalBasis: { instrument: '18 U.S.C. 2702(b)(8)' },
        authorisation: null,
        emergency: { personAtRisk: 'a hostage held in Quetta', danger: 'a published execution deadline of 48 hours', justifications: [{ category: 'BASIC_SUBSCRIBER', reason: 'identify the account operator' }, { category: 'NON_CONTENT', reason: 'locate the operator from login IPs' }] },
      }));
      expect(emergency.emergency.personAtRisk).toBe('a hostage held in Quetta');
    });
  });

  describe('workflow', () => {
    it('needs a second person, a supervisor, to submit', async () => {
      const supervisorDraft = (await t.cw.ok(t.cw.supervisor, CREATE, { input: legalProcess() })).createDisclosureRequest;
      expect(errorCode(await move(t.cw.supervisor, supervisorDraft.id, 'SUBMITTED'))).toBe('FORBIDDEN');
      expect(errorCode(await move(t.cw.system, supervisorDraft.id, 'SUBMITTED'))).toBe('FORBIDDEN');
      expect(errorCode(await move(t.cw.analyst, supervisorDraft.id, 'SUBMITTED'))).toBe('FORBIDDEN');
      const submitted = await moved(tokens().secondSupervisor, supervisorDraft.id, 'SUBMITTED');
      expect(submitted.status).toBe('SUBMITTED');
      expect(submitted.history.map((h: { actor: { sub: string } }) => h.actor.sub)).toEqual(['pta-supervisor', 'pta-supervisor-2']);
    });

    it('runs review, a clarification round and a production, each move owned by one side', async () => {
      const request = await draft();
      expect(errorCode(await move(t.cw.xReviewer, request.id, 'SUBMITTED'))).toBe('NOT_FOUND');
      const submitted = await moved(t.cw.supervisor, request.id, 'SUBMITTED');
      expect(new Date(submitted.deadlineAt).getTime() - new Date(submitted.submittedAt).getTime()).toBe(48 * 3_600_000);
      expect(errorCode(await move(t.cw.supervisor, request.id, 'UNDER_REVIEW'))).toBe('INVALID_TRANSITION');
      expect(errorCode(await move(t.cw.metaReviewer, request.id, 'UNDER_REVIEW'))).toBe('NOT_FOUND');
      expect(errorCode(await move(t.cw.xReviewer, request.id, 'PRODUCED_FULL'))).toBe('INVALID_TRANSITION');
      await moved(t.cw.xReviewer, request.id, 'UNDER_REVIEW');
      expect(errorCode(await move(t.cw.xReviewer, request.id, 'NEEDS_MORE_INFO'))).toBe('BAD_USER_INPUT');
      const paused = await moved(t.cw.xReviewer, request.id, 'NEEDS_MORE_INFO', { note: 'which of the two accounts named 1449?' });
      expect(paused.deadlineAt).toBeNull();
      expect(errorCode(await move(t.cw.xReviewer, request.id, 'SUBMITTED', { note: 'x' }))).toBe('INVALID_TRANSITION');
      await moved(t.cw.system, request.id, 'SUBMITTED', { note: 'the one created in 2025' });
      await moved(t.cw.xReviewer, request.id, 'UNDER_REVIEW');
      expect(errorCode(await move(t.cw.xReviewer, request.id, 'REJECTED'))).toBe('BAD_USER_INPUT');
      expect(errorCode(await move(t.cw.xReviewer, request.id, 'PRODUCED_FULL'))).toBe('BAD_USER_INPUT');
      const partial = { production: { payloadBase64: PAYLOAD, mediaType: 'application/json', categories: ['CONTENT'] } };
      expect(errorCode(await move(t.cw.xReviewer, request.id, 'PRODUCED_PARTIAL', { ...partial, note: 'no logs kept' }))).toBe('BAD_USER_INPUT');
      const full = { production: { payloadBase64: PAYLOAD, mediaType: 'application/json', categories: ['BASIC_SUBSCRIBER'] } };
      expect(errorCode(await move(t.cw.xReviewer, request.id, 'PRODUCED_FULL', full))).toBe('BAD_USER_INPUT');
      const done = await moved(t.cw.xReviewer, request.id, 'PRODUCED_PARTIAL', { ...full, note: 'login IPs are kept 90 days only' });
      expect(done.production).toMatchObject({ categories: ['BASIC_SUBSCRIBER'], sizeBytes: Buffer.from(PAYLOAD, 'base64').length });
      expect(done.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'NEEDS_MORE_INFO', 'SUBMITTED', 'UNDER_REVIEW', 'PRODUCED_PARTIAL']);
      expect(errorCode(await move(t.cw.supervisor, request.id, 'WITHDRAWN'))).toBe('INVALID_TRANSITION');
    });

    it('lets the platform reject with a reason and the agency withdraw', async () => {
      const rejected = await draft();
      await moved(t.cw.supervisor, rejected.id, 'SUBMITTED');
      expect((await moved(t.cw.xReviewer, rejected.id, 'REJECTED', { rejectionReason: 'WRONG_JURISDICTION', note: 'not our service in PK' })).status).toBe('REJECTED');
      const withdrawn = await draft();
      expect(errorCode(await move(t.cw.analyst, withdrawn.id, 'WITHDRAWN'))).toBe('FORBIDDEN');
      expect((await moved(t.cw.supervisor, withdrawn.id, 'WITHDRAWN')).status).toBe('WITHDRAWN');
    });
  });

  describe('the sealed payload', () => {
    it('is not in any database row, and is never stored in the clear', async () => {
      await produced();
      const tables: string[] = t.exchange.config.databaseUrl.startsWith('postgres')
        ? (await t.exchange.services.db.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`)).map((r: { name: string }) => r.name)
        : (await t.exchange.services.db.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((r: { name: string }) => r.name);
      expect(tables).toContain('disclosure_productions');
      for (const table of tables) {
        const rows = JSON.stringify(await t.exchange.services.db.query(`SELECT * FROM "${table}"`));
        expect(rows).not.toContain(MARKER);
        expect(rows).not.toContain(PAYLOAD);
      }
    });

    it('reaches no other role, partner or path; openDisclosure opens it for the right reader and the producer only, and records it', async () => {
      const id = await produced();
      const { reader, moiReader, auditor, intake } = tokens();
      const everyPath = `query($id: ID!) { disclosureRequests { totalCount nodes { ${DISCLOSURE_FIELDS} } } disclosureRequest(id: $id) { ${DISCLOSURE_FIELDS} } }`;
      const others = [t.cw.analyst, t.cw.supervisor, t.cw.system, reader, t.cw.moiAnalyst, moiReader, t.cw.xReviewer, t.cw.metaReviewer, auditor, intake];
      for (const token of others) {
        const text = JSON.stringify(await t.exchange.gql(token, everyPath, { id }));
        expect(text).not.toContain(MARKER);
        expect(text).not.toContain(PAYLOAD);
      }
      for (const [token, code] of [[t.cw.analyst, 'FORBIDDEN'], [t.cw.supervisor, 'FORBIDDEN'], [auditor, 'FORBIDDEN'], [moiReader, 'NOT_FOUND'], [t.cw.metaReviewer, 'NOT_FOUND']] as const) {
        const response = await t.exchange.gql(token, OPEN, { id, purpose: 'checking what we can see' });
        expect(errorCode(response)).toBe(code);
        expect(JSON.stringify(response)).not.toContain(PAYLOAD);
      }
      expect(errorCode(await t.exchange.gql(reader, OPEN, { id, purpose: 'too short' }))).toBe('BAD_USER_INPUT');
      const opened = (await t.cw.ok(reader, OPEN, { id, purpose: 'identify the operator for case FIA-CT-2026-118' })).openDisclosure;
      expect(Buffer.from(opened.payloadBase64, 'base64').toString()).toContain(MARKER);
      const mine = (await t.cw.ok(t.cw.xReviewer, OPEN, { id, purpose: 'check what we produced' })).openDisclosure;
      expect(mine.sha256).toBe(opened.sha256);
      const log = `query($id: ID!) { disclosureRequest(id: $id) { openings { sub partner { slug } purpose } } }`;
      // The person who opened it is shown to their own partner only.
      expect((await t.cw.ok(t.cw.supervisor, log, { id })).disclosureRequest.openings).toEqual([
        { sub: 'pta-reader', partner: { slug: 'pta' }, purpose: 'identify the operator for case FIA-CT-2026-118' },
        { sub: null, partner: { slug: 'x' }, purpose: 'check what we produced' },
      ]);
      expect((await t.cw.ok(t.cw.xReviewer, log, { id })).disclosureRequest.openings).toEqual([]);
    });

    it('hides the whole request from other agencies, other platforms and non-casework roles, in lists and counts', async () => {
      const id = await produced();
      const { moiReader, auditor } = tokens();
      for (const token of [t.cw.moiAnalyst, moiReader, t.cw.metaReviewer]) {
        expect(errorCode(await t.exchange.gql(token, `query($id: ID!) { disclosureRequest(id: $id) { id } }`, { id }))).toBe('NOT_FOUND');
        const list = (await t.cw.ok(token, `{ disclosureRequests { totalCount nodes { id } } }`)).disclosureRequests;
        expect(list).toEqual({ totalCount: 0, nodes: [] });
      }
      expect(errorCode(await t.exchange.gql(auditor, `{ disclosureRequests { totalCount } }`))).toBe('FORBIDDEN');
      const visible = (await t.cw.ok(t.cw.xReviewer, `{ disclosureRequests { totalCount nodes { id } } }`)).disclosureRequests;
      expect(visible.nodes.map((n: { id: string }) => n.id)).toContain(id);
      expect(visible.totalCount).toBe(visible.nodes.length);
    });

    it('keeps drafts from the platform', async () => {
      const request = await draft();
      expect(errorCode(await t.exchange.gql(t.cw.xReviewer, `query($id: ID!) { disclosureRequest(id: $id) { id } }`, { id: request.id }))).toBe('NOT_FOUND');
    });
  });

  describe('subscriptions', () => {
    it('delivers status changes and notice prompts to the two parties only, never the payload', async () => {
      const { reader, moiReader } = tokens();
      const query = `subscription { disclosureStatusChanged { kind disclosure { id status production { sha256 } } entry { toStatus } } }`;
      const [x, pta, meta, moi] = await Promise.all([t.cw.xReviewer, reader, t.cw.metaReviewer, moiReader].map((token) => t.exchange.subscribe(token, query)));
      const request = await draft(legalProcess({ userNotificationDelayedUntil: new Date(clock.now().getTime() + 10 * 86_400_000).toISOString() }));
      await moved(t.cw.supervisor, request.id, 'SUBMITTED');
      expect((await x.next()).disclosureStatusChanged).toMatchObject({ kind: 'STATUS_CHANGED', disclosure: { id: request.id, status: 'SUBMITTED' } });
      expect((await pta.next()).disclosureStatusChanged.entry).toEqual({ toStatus: 'SUBMITTED' });
      await moved(t.cw.xReviewer, request.id, 'UNDER_REVIEW');
      await moved(t.cw.xReviewer, request.id, 'PRODUCED_FULL', { production: { payloadBase64: PAYLOAD, mediaType: 'application/json', categories: ['BASIC_SUBSCRIBER', 'NON_CONTENT'] } });
      expect(errorCode(await t.exchange.gql(t.cw.xReviewer, NOTIFY, { input: { id: request.id, status: 'SENT' } }))).toBe('INVALID_TRANSITION');
      clock.advanceDays(11);
      expect((await t.exchange.services.disclosures.sweep()).notificationsDue).toBe(1);
      expect((await t.exchange.services.disclosures.sweep()).notificationsDue).toBe(0);
      expect(await outboxed(request.id)).toContainEqual(['DISCLOSURE_CHANGED', 'USER_NOTIFICATION_DUE']);
      const received = [(await x.next()), (await x.next()), (await x.next())].map((e) => e.disclosureStatusChanged.kind);
      expect(received).toEqual(['STATUS_CHANGED', 'STATUS_CHANGED', 'USER_NOTIFICATION_DUE']);
      expect((await t.cw.ok(t.cw.xReviewer, NOTIFY, { input: { id: request.id, status: 'SENT' } })).updateUserNotification.userNotification).toBe('SENT');
      expect(await meta.settle(300)).toEqual([]);
      expect(await moi.settle(0)).toEqual([]);
      expect(JSON.stringify([x.events, pta.events])).not.toContain(MARKER);
    });
  });

  describe('preservation holds', () => {
    const preservation = (handle: string) =>
      legalProcess({ type: 'PRESERVATION', legalBasis: { instrument: 'PECA 2016 s.28' }, authorisation: null, accounts: [{ handle }], categories: ['BASIC_SUBSCRIBER', 'NON_CONTENT', 'CONTENT'] });

    it('last 90 days, extend once at least 7 days ahead, warn once before expiry, then expire', async () => {
      const { moiReader } = tokens();
      const start = clock.now().getTime();
      const [a, b] = [await draft(preservation('hold_a')), await draft(preservation('hold_b'))];
      for (const hold of [a, b]) expect((await moved(t.cw.supervisor, hold.id, 'SUBMITTED')).preservation).toMatchObject({ status: 'ACTIVE', expiresAt: new Date(start + 90 * 86_400_000).toISOString() });
      const query = `subscription { preservationExpiring { expiresAt disclosure { id preservation { status } } } }`;
      const [x, pta, meta, moi] = await Promise.all([t.cw.xReviewer, t.cw.analyst, t.cw.metaReviewer, moiReader].map((token) => t.exchange.subscribe(token, query)));

      clock.advanceDays(80);
      expect(errorCode(await t.exchange.gql(t.cw.analyst, EXTEND, { id: a.id }))).toBe('FORBIDDEN');
      expect(errorCode(await t.exchange.gql(t.cw.xReviewer, EXTEND, { id: a.id }))).toBe('FORBIDDEN');
      const extended = (await t.cw.ok(t.cw.supervisor, EXTEND, { id: a.id })).extendPreservation.preservation;
      expect(extended).toMatchObject({ status: 'EXTENDED', expiresAt: new Date(start + 180 * 86_400_000).toISOString() });
      expect(errorCode(await t.exchange.gql(t.cw.supervisor, EXTEND, { id: a.id }))).toBe('INVALID_TRANSITION');
      expect((await t.exchange.services.disclosures.sweep()).expiring).toBe(0);

      clock.advanceDays(4);
      expect(errorCode(await t.exchange.gql(t.cw.supervisor, EXTEND, { id: b.id }))).toBe('INVALID_TRANSITION');
      expect(await t.exchange.services.disclosures.sweep()).toEqual({ expired: 0, expiring: 1, notificationsDue: 0 });
      expect((await t.exchange.services.disclosures.sweep()).expiring).toBe(0);
      expect((await outboxed(b.id)).filter(([topic]) => topic === 'PRESERVATION_EXPIRING')).toHaveLength(1);
      expect((await x.next()).preservationExpiring.disclosure.id).toBe(b.id);
      expect((await pta.next()).preservationExpiring.disclosure.id).toBe(b.id);

      clock.advanceDays(7);
      expect((await t.exchange.services.disclosures.sweep()).expired).toBe(1);
      const status = async (id: string) => (await t.cw.ok(t.cw.analyst, `query($id: ID!) { disclosureRequest(id: $id) { preservation { status } } }`, { id })).disclosureRequest.preservation.status;
      expect([await status(a.id), await status(b.id)]).toEqual(['EXTENDED', 'EXPIRED']);

      clock.advanceDays(83);
      expect((await t.exchange.services.disclosures.sweep()).expiring).toBe(1);
      expect((await x.next()).preservationExpiring.disclosure.id).toBe(a.id);
      clock.advanceDays(7);
      await t.exchange.services.disclosures.sweep();
      expect(await status(a.id)).toBe('EXPIRED');
      expect(await meta.settle(300)).toEqual([]);
      expect(await moi.settle(0)).toEqual([]);
    });

    it('becomes CONVERTED when the legal process that follows it is submitted', async () => {
      const hold = await draft(preservation('hold_c'));
      await moved(t.cw.supervisor, hold.id, 'SUBMITTED');
      const process = await draft(legalProcess({ preservationRequestId: hold.id }));
      await moved(t.cw.supervisor, process.id, 'SUBMITTED');
      const converted = (await t.cw.ok(t.cw.xReviewer, `query($id: ID!) { disclosureRequest(id: $id) { preservation { status convertedToId } } }`, { id: hold.id })).disclosureRequest;
      expect(converted.preservation).toEqual({ status: 'CONVERTED', convertedToId: process.id });
      expect(errorCode(await t.exchange.gql(t.cw.moiAnalyst, CREATE, { input: legalProcess({ preservationRequestId: hold.id }) }))).toBe('NOT_FOUND');
    });
  });

  describe('evidence with chain of custody', () => {
    const VERIFY = `query($id: ID!) { verifyEvidence(id: $id) { intact storedSha256 computedSha256 detail evidence { id } } }`;
    const bytes = Buffer.from('screenshot of the recruitment post, captured 2026-11-20');

    async function flagged(classification: string) {
      const account = await t.cw.account({ evidence: [{ url: 'https://archive.example/p/1', contentBase64: bytes.toString('base64'), mediaType: 'image/png', classification, capturedAt: '2026-11-20T10:00:00Z' }] });
      const data = await t.cw.ok(t.cw.analyst, `query($id: ID!) { account(id: $id) { evidence { id sha256 capturedAt capturedBy { slug } } } }`, { id: account });
      return { account, item: data.account.evidence[0] };
    }

    it('stores the SHA-256, capture time and capturer, and verifies the bytes', async () => {
      const { item } = await flagged('RESTRICTED');
      expect(item).toMatchObject({ sha256: require('node:crypto').createHash('sha256').update(bytes).digest('hex'), capturedAt: '2026-11-20T10:00:00.000Z', capturedBy: { slug: 'pta' } });
      expect((await t.cw.ok(t.cw.supervisor, VERIFY, { id: item.id })).verifyEvidence).toMatchObject({ intact: true, computedSha256: item.sha256 });
      expect(errorCode(await t.exchange.gql(t.cw.xReviewer, VERIFY, { id: item.id }))).toBe('NOT_FOUND');
      expect(errorCode(await t.exchange.gql(tokens().auditor, VERIFY, { id: item.id }))).toBe('FORBIDDEN');
    });

    it('detects a tampered hash and tampered bytes', async () => {
      const first = (await flagged('RESTRICTED')).item;
      await t.exchange.services.db.query(`UPDATE evidence_items SET "sha256" = '${'0'.repeat(64)}' WHERE id = '${first.id}'`);
      expect((await t.cw.ok(t.cw.analyst, VERIFY, { id: first.id })).verifyEvidence).toMatchObject({ intact: false, storedSha256: '0'.repeat(64), computedSha256: first.sha256 });
      const second = (await flagged('RESTRICTED')).item;
      const [row] = await t.exchange.services.db.query(`SELECT "ciphertext" FROM evidence_items WHERE id = '${second.id}'`);
      const altered = Buffer.from(row.ciphertext, 'base64');
      altered[0] ^= 0xff;
      await t.exchange.services.db.query(`UPDATE evidence_items SET "ciphertext" = '${altered.toString('base64')}' WHERE id = '${second.id}'`);
      expect((await t.cw.ok(t.cw.analyst, VERIFY, { id: second.id })).verifyEvidence).toMatchObject({ intact: false, computedSha256: null });
    });

    it('logs every read of the bytes and every verification in the custody log, which only agencies see', async () => {
      const { account, item } = await flagged('SHAREABLE');
      const request = await t.cw.draft({ accountIds: [account] });
      await t.cw.move(t.cw.supervisor, request.id, 'SUBMITTED');
      const content = `query($id: ID!) { account(id: $id) { evidence { content custody { action sub partner { slug } } } } }`;
      expect((await t.cw.ok(t.cw.xReviewer, content, { id: account })).account.evidence[0]).toEqual({ content: bytes.toString('base64'), custody: [] });
      await t.cw.ok(t.cw.xReviewer, VERIFY, { id: item.id });
      const log = (await t.cw.ok(t.cw.analyst, `query($id: ID!) { account(id: $id) { evidence { custody { action sub partner { slug } } } } }`, { id: account })).account.evidence[0].custody;
      expect(log).toEqual([
        { action: 'READ_CONTENT', sub: null, partner: { slug: 'x' } },
        { action: 'VERIFIED', sub: null, partner: { slug: 'x' } },
      ]);
      await t.cw.ok(t.cw.supervisor, VERIFY, { id: item.id });
      const own = (await t.cw.ok(t.cw.analyst, `query($id: ID!) { account(id: $id) { evidence { custody { sub } } } }`, { id: account })).account.evidence[0].custody;
      expect(own[2]).toEqual({ sub: 'pta-supervisor' });
    });

    it('verifies a disclosure\'s authorisation document for both parties, and for no one else', async () => {
      const request = await draft();
      await moved(t.cw.supervisor, request.id, 'SUBMITTED');
      const { id, sha256 } = request.authorisation;
      expect(sha256).toBe(require('node:crypto').createHash('sha256').update(Buffer.from(AUTHORISATION, 'base64')).digest('hex'));
      for (const token of [t.cw.xReviewer, t.cw.supervisor, tokens().reader]) expect((await t.cw.ok(token, VERIFY, { id })).verifyEvidence.intact).toBe(true);
      for (const token of [t.cw.metaReviewer, t.cw.moiAnalyst, tokens().moiReader]) expect(errorCode(await t.exchange.gql(token, VERIFY, { id }))).toBe('NOT_FOUND');
    });

    it('refuses bytes that do not match the sent hash', async () => {
      const before = await count('accounts');
      const response = await t.exchange.gql(t.cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
        input: { platform: 'X', handle: 'hash_mismatch', evidence: [{ contentBase64: bytes.toString('base64'), sha256: 'a'.repeat(64), classification: 'RESTRICTED' }] },
      });
      expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sha256' });
      expect(await count('accounts')).toBe(before);
    });
  });
});

describe('master key rotation', () => {
  it('rewraps data keys (webhook secrets too) onto the new key without touching payloads, and the old key can then go', async () => {
    const k1 = generateMasterKey('k1');
    const k2 = generateMasterKey('k2');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pax-keys-')), 'pax.sqlite');
    const databaseEnv: Record<string, string> = process.env.PAX_TEST_DATABASE_URL ? {} : { DATABASE_URL: `sqlite:${file}` };
    const exchange = await startExchange({ ...databaseEnv, PAX_MASTER_KEYS: k1 });
    const analyst = exchange.token('pta', Role.AGENCY_ANALYST, 'a');
    const created = await exchange.gql(analyst, CREATE, { input: legalProcess() });
    const id = created.data.createDisclosureRequest.id;
    await exchange.gql(exchange.token('pta', Role.AGENCY_SUPERVISOR, 's'), UPDATE, { input: { id, status: 'SUBMITTED' } });
    const x = exchange.token('x', Role.PLATFORM_REVIEWER, 'x');
    await exchange.gql(x, UPDATE, { input: { id, status: 'UNDER_REVIEW' } });
    await exchange.gql(x, UPDATE, { input: { id, status: 'PRODUCED_FULL', production: { payloadBase64: PAYLOAD, mediaType: 'application/json', categories: ['BASIC_SUBSCRIBER', 'NON_CONTENT'] } } });
    const hook = await exchange.gql(exchange.token('pta', Role.AGENCY_SYSTEM, 'case-tracker'), `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id } } }`, {
      i: { url: 'http://127.0.0.1:9/pax', eventTypes: ['TAKEDOWN_STATUS_CHANGED'] },
    });
    const { secret, endpoint } = hook.data.createWebhookEndpoint;
    const sealed = async (db = exchange.services.db) => db.query(`SELECT "keyId", "ciphertext", "wrappedKey" FROM disclosure_productions UNION ALL SELECT "keyId", "ciphertext", "wrappedKey" FROM evidence_items WHERE "keyId" IS NOT NULL`);
    const before = await sealed();
    expect(before.map((r: { keyId: string }) => r.keyId)).toEqual(['k1', 'k1']);
    const env = { NODE_ENV: 'test', DATABASE_URL: exchange.config.databaseUrl, PAX_JWT_SECRET: TEST_SECRET, PAX_SEED_DEMO: 'false', LOG_LEVEL: 'silent' };

    const rotating = await openServices(loadConfig({ ...env, PAX_MASTER_KEYS: `${k2},${k1}`, PAX_MASTER_KEY_ID: 'k2' }));
    expect(await rewrapSealedKeys(rotating.db, rotating.config.keyring)).toBe(3);
    const after = await sealed(rotating.db);
    expect(after.map((r: { keyId: string }) => r.keyId)).toEqual(['k2', 'k2']);
    expect(after.map((r: { ciphertext: string }) => r.ciphertext)).toEqual(before.map((r: { ciphertext: string }) => r.ciphertext));
    expect(after[0].wrappedKey).not.toBe(before[0].wrappedKey);
    await closeServices(rotating);

    const rotated = await openServices(loadConfig({ ...env, PAX_MASTER_KEYS: k2 }));
    const reader = principalFromPartner(exchange.partners.pta, 'reader', [Role.AGENCY_DISCLOSURE_READER], Date.now() + 60_000);
    const opened = await rotated.disclosures.open(createContext(rotated, reader, 'rotation-test', false), id, 'after rotating the master key');
    expect(Buffer.from(opened.payloadBase64, 'base64').toString()).toContain(MARKER);
    const stored = await rotated.db.getRepository(WebhookEndpoint).findOneByOrFail({ id: endpoint.id });
    expect(stored.secret.keyId).toBe('k2');
    expect(openSecret(rotated.config.keyring, endpoint.id, stored.secret)).toBe(secret);
    await closeServices(rotated);
    await exchange.close();
  });
});
