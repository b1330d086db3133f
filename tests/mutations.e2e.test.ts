import { useCasework, CREATE, DESIGNATE, FLAG, UPDATE } from './helpers/casework';
import { errorCode } from './helpers/exchange';
import { TRANSITIONS } from '../src/modules/takedowns/state-machine';

describe('mutations: bad input, optimistic locking and idempotent retries', () => {
  const t = useCasework();

  const count = async (table: string) => Number((await t.exchange.services.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const designation = { authority: 'UN', reference: 'QDe.999', designatedOn: '2020-01-01' };

  it.each([
    ['no designations', { name: 'Org A', designations: [] }, 'BAD_USER_INPUT'],
    ['an empty name', { name: '', designations: [designation] }, 'BAD_USER_INPUT'],
    ['a date that is not a date', { name: 'Org B', designations: [{ ...designation, designatedOn: '2020-13-45' }] }, 'BAD_USER_INPUT'],
    ['a future designation', { name: 'Org C', designations: [{ ...designation, designatedOn: '2999-01-01' }] }, 'BAD_USER_INPUT'],
    ['an unknown authority', { name: 'Org D', designations: [{ ...designation, authority: 'MARS' }] }, 'BAD_USER_INPUT'],
  ])('designateOrganisation refuses %s', async (_name, input, code) => {
    const before = await count('organisations');
    expect(errorCode(await t.exchange.gql(t.cw.analyst, DESIGNATE, { input }))).toBe(code);
    expect(await count('organisations')).toBe(before);
  });

  it('designateOrganisation refuses a duplicate name or listing with CONFLICT and writes nothing', async () => {
    await t.cw.ok(t.cw.analyst, DESIGNATE, { input: { name: 'Unique Org', designations: [{ ...designation, reference: 'QDe.500' }] } });
    const before = [await count('organisations'), await count('designations')];
    expect(errorCode(await t.exchange.gql(t.cw.analyst, DESIGNATE, { input: { name: 'unique org', designations: [designation] } }))).toBe('CONFLICT');
    expect(errorCode(await t.exchange.gql(t.cw.analyst, DESIGNATE, { input: { name: 'Other', designations: [designation, { ...designation, reference: 'QDe.500' }] } }))).toBe('CONFLICT');
    expect([await count('organisations'), await count('designations')]).toEqual(before);
  });

  it.each([
    ['an empty handle', { platform: 'X', handle: '' }, 'BAD_USER_INPUT'],
    ['a url that is not http(s)', { platform: 'X', handle: 'h1', url: 'javascript:alert(1)' }, 'BAD_USER_INPUT'],
    ['evidence without a valid url', { platform: 'X', handle: 'h2', evidence: [{ url: 'nope', classification: 'SHAREABLE' }] }, 'BAD_USER_INPUT'],
    ['an unknown platform', { platform: 'MYSPACE', handle: 'h3' }, 'BAD_USER_INPUT'],
    ['a malformed organisation id', { platform: 'X', handle: 'h4', organisationIds: ['42'] }, 'BAD_USER_INPUT'],
    ['an unknown organisation', { platform: 'X', handle: 'h5', organisationIds: ['01900000-0000-7000-8000-000000000000'], evidence: [{ url: 'https://e.example/1', classification: 'SHAREABLE' }] }, 'NOT_FOUND'],
  ])('flagAccount refuses %s, and writes neither the account nor its evidence', async (_name, input, code) => {
    const before = [await count('accounts'), await count('evidence_items')];
    const response = await t.exchange.gql(t.cw.analyst, FLAG, { input });
    expect(errorCode(response)).toBe(code);
    expect(response.errors?.[0].extensions).not.toHaveProperty('stacktrace');
    expect([await count('accounts'), await count('evidence_items')]).toEqual(before);
  });

  it('flagAccount lists every invalid field in one BAD_USER_INPUT', async () => {
    const response = await t.exchange.gql(t.cw.analyst, FLAG, { input: { platform: 'X', handle: '', url: 'ftp://x', bio: 'b'.repeat(10_001) } });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    const fields = (response.errors?.[0].extensions?.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['bio', 'handle', 'url']);
  });

  it('flagging an account the agency already flagged is a CONFLICT naming the existing record', async () => {
    const first = await t.cw.ok(t.cw.analyst, FLAG, { input: { platform: 'TELEGRAM', handle: '@Dup_Handle' } });
    const again = await t.exchange.gql(t.cw.analyst, FLAG, { input: { platform: 'TELEGRAM', handle: 'dup_handle' } });
    expect(errorCode(again)).toBe('CONFLICT');
    expect(again.errors?.[0].extensions?.existingId).toBe(first.flagAccount.id);
  });

  it('createTakedownRequest refuses bad input and writes nothing', async () => {
    const x = await t.cw.account({ platform: 'X' });
    const fb = await t.cw.account({ platform: 'FACEBOOK' });
    const covert = await t.cw.account({ platform: 'X', distribution: 'ORIGINATOR_ONLY' });
    const base = { kind: 'REFERRAL', legalBasis: { instrument: 'PECA 2016', section: 's.37' }, reasons: ['r'] };
    const cases: [string, Record<string, unknown>, string][] = [
      ['no accounts', { ...base, accountIds: [] }, 'BAD_USER_INPUT'],
      ['accounts on two platforms', { ...base, accountIds: [x, fb] }, 'BAD_USER_INPUT'],
      ['an unknown account', { ...base, accountIds: [x, '01900000-0000-7000-8000-000000000001'] }, 'NOT_FOUND'],
      ['no reasons', { ...base, accountIds: [x], reasons: [] }, 'BAD_USER_INPUT'],
      ['no legal instrument', { ...base, accountIds: [x], legalBasis: { instrument: '' } }, 'BAD_USER_INPUT'],
      ['a covert account shared with all agencies', { ...base, accountIds: [covert], distribution: 'ALL_AGENCIES' }, 'BAD_USER_INPUT'],
      ['an unknown organisation', { ...base, accountIds: [x], organisationIds: ['01900000-0000-7000-8000-000000000002'] }, 'NOT_FOUND'],
      ['a platform nobody operates', { ...base, accountIds: [await t.cw.account({ platform: 'YOUTUBE' })] }, 'BAD_USER_INPUT'],
    ];
    const before = [await count('takedown_requests'), await count('takedown_status_history'), await count('takedown_request_accounts')];
    for (const [name, input, code] of cases) {
      expect({ name, code: errorCode(await t.exchange.gql(t.cw.analyst, CREATE, { input })) }).toEqual({ name, code });
    }
    expect([await count('takedown_requests'), await count('takedown_status_history'), await count('takedown_request_accounts')]).toEqual(before);
  });

  it('updateTakedownStatus refuses an unknown id, a malformed id and an unknown status', async () => {
    expect(errorCode(await t.exchange.gql(t.cw.supervisor, UPDATE, { input: { id: '01900000-0000-7000-8000-000000000003', status: 'SUBMITTED' } }))).toBe('NOT_FOUND');
    expect(errorCode(await t.exchange.gql(t.cw.supervisor, UPDATE, { input: { id: 'drop table', status: 'SUBMITTED' } }))).toBe('NOT_FOUND');
    expect(errorCode(await t.exchange.gql(t.cw.supervisor, UPDATE, { input: { id: 'x', status: 'DELETED' } }))).toBe('BAD_USER_INPUT');
  });

  it('a stale expectedVersion is a CONFLICT that changes nothing', async () => {
    const submitted = await t.cw.requestAt('SUBMITTED');
    await t.cw.move(t.cw.xReviewer, submitted.id, 'ACKNOWLEDGED', { expectedVersion: 1 });
    const stale = await t.exchange.gql(t.cw.xReviewer, UPDATE, { input: { id: submitted.id, status: 'ACTIONED', action: 'ACCOUNT_SUSPENDED', expectedVersion: 1 } });
    expect(errorCode(stale)).toBe('CONFLICT');
    expect(stale.errors?.[0].extensions?.currentVersion).toBe(2);
    const now = await t.cw.ok(t.cw.xReviewer, `query($id: ID!) { takedownRequest(id: $id) { status version history { sequence } } }`, { id: submitted.id });
    expect(now.takedownRequest).toEqual({ status: 'ACKNOWLEDGED', version: 2, history: [{ sequence: 0 }, { sequence: 1 }, { sequence: 2 }] });
  });

  it('concurrent conflicting answers: exactly one wins, the rest get CONFLICT or INVALID_TRANSITION', async () => {
    const submitted = await t.cw.requestAt('SUBMITTED');
    const attempts = [
      { status: 'ACTIONED', action: 'ACCOUNT_SUSPENDED' },
      { status: 'REJECTED', reasonCode: 'NO_VIOLATION' },
      { status: 'ACKNOWLEDGED' },
      { status: 'INFO_REQUESTED', reasonCode: 'MANIFEST_ERROR' },
    ].map((input) => t.exchange.gql(t.cw.xReviewer, UPDATE, { input: { id: submitted.id, expectedVersion: 1, ...input } }));
    const results = await Promise.all(attempts);
    expect(results.filter((r) => !r.errors).length).toBe(1);
    for (const r of results.filter((r) => r.errors)) expect(['CONFLICT', 'INVALID_TRANSITION']).toContain(errorCode(r));
    const now = await t.cw.ok(t.cw.xReviewer, `query($id: ID!) { takedownRequest(id: $id) { version history { sequence } } }`, { id: submitted.id });
    expect(now.takedownRequest).toEqual({ version: 2, history: [{ sequence: 0 }, { sequence: 1 }, { sequence: 2 }] });
  });

  it('a storm of parallel transitions on one request leaves a gapless history of legal moves', async () => {
    const request = await t.cw.requestAt('SUBMITTED');
    const moves: [string, Record<string, unknown>][] = [
      [t.cw.xReviewer, { status: 'ACKNOWLEDGED' }],
      [t.cw.xReviewer, { status: 'ACTIONED', action: 'CONTENT_REMOVED' }],
      [t.cw.xReviewer, { status: 'REJECTED', reasonCode: 'NO_VIOLATION' }],
      [t.cw.xReviewer, { status: 'INFO_REQUESTED', reasonCode: 'MANIFEST_ERROR' }],
      [t.cw.xReviewer, { status: 'REINSTATED' }],
      [t.cw.supervisor, { status: 'ESCALATED' }],
      [t.cw.supervisor, { status: 'SUBMITTED', note: 'clarified' }],
      [t.cw.supervisor, { status: 'CLOSED' }],
    ];
    const storm = Array.from({ length: 48 }, (_, i) => moves[i % moves.length]);
    const results = await Promise.all(
      storm.map(([token, input]) => t.exchange.gql(token, UPDATE, { input: { id: request.id, ...input } })),
    );
    const codes = results.map((r) => (r.errors ? errorCode(r) : 'OK'));
    expect(codes.filter((c) => !['OK', 'CONFLICT', 'INVALID_TRANSITION'].includes(c as string))).toEqual([]);
    const final = (await t.cw.ok(t.cw.supervisor, `query($id: ID!) { takedownRequest(id: $id) { status version history { sequence fromStatus toStatus } } }`, { id: request.id })).takedownRequest;
    expect(final.version).toBe(1 + codes.filter((c) => c === 'OK').length);
    expect(final.history.map((h: { sequence: number }) => h.sequence)).toEqual(Array.from({ length: final.version + 1 }, (_, i) => i));
    for (let i = 1; i < final.history.length; i++) {
      const entry = final.history[i];
      expect(entry.fromStatus).toBe(final.history[i - 1].toStatus);
      expect(TRANSITIONS.some((edge) => edge.to === entry.toStatus && edge.from.includes(entry.fromStatus))).toBe(true);
    }
    expect(final.status).toBe(final.history.at(-1).toStatus);
  });

  it('a retried createTakedownRequest with the same idempotencyKey returns the first request, once', async () => {
    const account = await t.cw.account();
    const input = { accountIds: [account], kind: 'ORDER', legalBasis: { instrument: 'ATA 1997', section: 's.11W' }, reasons: ['r'], idempotencyKey: 'agency-ticket-77' };
    const before = await count('takedown_requests');
    const first = await t.cw.ok(t.cw.system, CREATE, { input });
    const retry = await t.cw.ok(t.cw.system, CREATE, { input });
    const concurrent = await Promise.all([1, 2, 3].map(() => t.cw.ok(t.cw.system, CREATE, { input })));
    expect(retry.createTakedownRequest.id).toBe(first.createTakedownRequest.id);
    for (const c of concurrent) expect(c.createTakedownRequest.id).toBe(first.createTakedownRequest.id);
    expect(await count('takedown_requests')).toBe(before + 1);
    const reused = await t.exchange.gql(t.cw.system, CREATE, { input: { ...input, reasons: ['other'] } });
    expect(errorCode(reused)).toBe('CONFLICT');
    const otherPartner = await t.cw.ok(t.cw.moiSupervisor, CREATE, { input: { ...input, accountIds: [await t.cw.account({ token: t.cw.moiAnalyst })] } });
    expect(otherPartner.createTakedownRequest.id).not.toBe(first.createTakedownRequest.id);
  });

  it('a retried updateTakedownStatus with the same idempotencyKey does not move the request twice', async () => {
    const draft = await t.cw.draft();
    const input = { id: draft.id, status: 'SUBMITTED', idempotencyKey: 'submit-1' };
    const first = await t.cw.ok(t.cw.system, UPDATE, { input });
    const retry = await t.cw.ok(t.cw.system, UPDATE, { input });
    expect(first.updateTakedownStatus.version).toBe(1);
    expect(retry.updateTakedownStatus).toMatchObject({ id: draft.id, status: 'SUBMITTED', version: 1 });
    expect(retry.updateTakedownStatus.history).toHaveLength(2);
    const withoutKey = await t.exchange.gql(t.cw.system, UPDATE, { input: { id: draft.id, status: 'SUBMITTED' } });
    expect(errorCode(withoutKey)).toBe('INVALID_TRANSITION');
  });
});
