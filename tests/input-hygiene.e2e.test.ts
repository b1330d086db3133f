import { Role } from '../src/auth/roles';
import { PartnerKind } from '../src/common/enums';
import { CREATE, DESIGNATE, FLAG, useCasework } from './helpers/casework';

const HIDDEN: [string, string][] = [
  ['NUL', '\u0000'],
  ['ESC', '\u001b'],
  ['CR/LF', '\r\n'],
  ['DEL', '\u007f'],
  ['C1 CSI', '\u009b'],
  ['RLO', '\u202e'],
  ['RLM', '\u200f'],
  ['LRI', '\u2066'],
];
/** Free text that a hostile account could well contain, and that must come back exactly as sent. */
const EVIDENCE_TEXT = 'بیعت \u202eevil.exe\u202c <b>bold</b> "quoted" \u0007 \u001b[31mred\u001b[0m\r\nline two \u2066isolated\u2069 \u200f';

describe('input hygiene: identifiers refused or trimmed, free text verbatim, screening open', () => {
  const t = useCasework();
  const count = async (table: string) => Number((await t.exchange.services.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  /** One identifier of each kind, with the mutation that carries it and the field path it reports. */
  const cases: { name: string; field: string; token: () => string; query: string; input: (value: string) => Promise<object> | object; table: string }[] = [
    { name: 'flagAccount handle', field: 'handle', token: () => t.cw.analyst, query: FLAG, table: 'accounts', input: (handle) => ({ platform: 'X', handle }) },
    { name: 'flagAccount platformAccountId', field: 'platformAccountId', token: () => t.cw.analyst, query: FLAG, table: 'accounts', input: (platformAccountId) => ({ platform: 'X', handle: 'fine_handle', platformAccountId }) },
    { name: 'flagAccount url', field: 'url', token: () => t.cw.analyst, query: FLAG, table: 'accounts', input: (v) => ({ platform: 'X', handle: 'fine_handle', url: `https://x.com/a${v}b` }) },
    { name: 'evidence url', field: 'evidence.0.url', token: () => t.cw.analyst, query: FLAG, table: 'accounts', input: (v) => ({ platform: 'X', handle: 'fine_handle', evidence: [{ url: `https://archive.example/a${v}b` }] }) },
    {
      name: 'designation reference', field: 'designations.0.reference', token: () => t.cw.analyst, query: DESIGNATE, table: 'organisations',
      input: (reference) => ({ name: 'Some Organisation', designations: [{ authority: 'UN', reference, designatedOn: '2011-07-29' }] }),
    },
    ...(['instrument', 'section'] as const).map((part) => ({
      name: `legal ${part}`, field: `legalBasis.${part}`, token: () => t.cw.analyst, query: CREATE, table: 'takedown_requests',
      input: async (v: string) => ({ accountIds: [await t.cw.account()], kind: 'REFERRAL', reasons: ['r'], legalBasis: { instrument: 'PECA 2016', section: 's.37', [part]: v } }),
    })),
    {
      name: 'idempotency key', field: 'idempotencyKey', token: () => t.cw.analyst, query: CREATE, table: 'takedown_requests',
      input: async (idempotencyKey) => ({ accountIds: [await t.cw.account()], kind: 'REFERRAL', reasons: ['r'], legalBasis: { instrument: 'PECA 2016' }, idempotencyKey }),
    },
    ...(['caseReference', 'accounts.0.handle'] as const).map((field) => ({
      name: `disclosure ${field}`, field, token: () => t.cw.analyst, table: 'disclosure_requests',
      query: `mutation($input: CreateDisclosureRequestInput!) { createDisclosureRequest(input: $input) { id } }`,
      input: (v: string) => ({
        type: 'PRESERVATION', platform: 'X', categories: ['BASIC_SUBSCRIBER'], dataFrom: '2026-01-01T00:00:00Z', dataTo: '2026-10-01T00:00:00Z',
        legalBasis: { instrument: 'PECA 2016 s.28' }, caseReference: field === 'caseReference' ? v : 'FIA-1', accounts: [{ handle: field === 'caseReference' ? 'ttp_media' : v }],
      }),
    })),
    {
      name: 'complaint url', field: 'url', token: () => t.exchange.token('pta', Role.AGENCY_INTAKE), table: 'complaints',
      query: `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { id } }`,
      input: (v) => ({ url: `https://x.com/umar${v}media`, description: 'recruitment video posted today' }),
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s: refuses control and bidi characters, naming the field, and writes nothing', async (_name, c) => {
    for (const [label, char] of HIDDEN) {
      const before = await count(c.table);
      const response = await t.exchange.gql(c.token(), c.query, { input: await c.input(`a${char}b`) });
      expect({ label, error: response.errors?.[0].extensions }).toMatchObject({ label, error: { code: 'BAD_USER_INPUT', field: c.field } });
      expect(response.errors?.[0].message).toMatch(/control or bidi characters \(found U\+[0-9A-F]{4}\)/);
      expect(await count(c.table)).toBe(before);
    }
  });

  it('trims identifiers before the length check and refuses ones that are blank', async () => {
    for (const c of cases.filter((k) => !k.name.includes('url'))) {
      const blank = await t.exchange.gql(c.token(), c.query, { input: await c.input('   ') });
      expect({ name: c.name, error: blank.errors?.[0].extensions }).toMatchObject({ name: c.name, error: { code: 'BAD_USER_INPUT', field: c.field } });
    }
    const handle = `  ${'h'.repeat(200)}  `;
    const flagged = await t.cw.ok(t.cw.analyst, FLAG, { input: { platform: 'X', handle } });
    expect(flagged.flagAccount.handle).toBe('h'.repeat(200));
    const accountId = await t.cw.account();
    const created = await t.cw.ok(t.cw.analyst, CREATE, {
      input: { accountIds: [accountId], kind: 'REFERRAL', reasons: ['r'], legalBasis: { instrument: '  PECA 2016 ', section: ' s.37 ' }, idempotencyKey: ' key-1 ' },
    });
    expect(created.createTakedownRequest.legalBasis).toEqual({ instrument: 'PECA 2016', section: 's.37' });
    const again = await t.cw.ok(t.cw.analyst, CREATE, {
      input: { accountIds: [accountId], kind: 'REFERRAL', reasons: ['r'], legalBasis: { instrument: 'PECA 2016', section: 's.37' }, idempotencyKey: 'key-1' },
    });
    expect(again.createTakedownRequest.id).toBe(created.createTakedownRequest.id);
  });

  it('an account filter with a hidden character is refused, not silently empty', async () => {
    const response = await t.exchange.gql(t.cw.analyst, `query($h: String) { accounts(filter: { handle: $h }) { totalCount } }`, { h: 'umar\u202e' });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'handle' });
  });

  it('keeps free text verbatim, control and bidi characters included, and returns it JSON-escaped', async () => {
    const flagged = await t.cw.ok(t.cw.analyst, FLAG, {
      input: { platform: 'X', handle: 'free_text_holder', displayName: EVIDENCE_TEXT, bio: EVIDENCE_TEXT, internalNotes: EVIDENCE_TEXT, evidence: [{ url: 'https://archive.example/1', description: EVIDENCE_TEXT }] },
    });
    const id = flagged.flagAccount.id;
    const response = await fetch(t.exchange.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.cw.analyst}` },
      body: JSON.stringify({ query: `query($id: ID!) { account(id: $id) { displayName bio internalNotes evidence { description } } }`, variables: { id } }),
    });
    const raw = await response.text();
    expect(raw.trimEnd()).not.toMatch(/[\u0000-\u001f]/);
    expect(JSON.parse(raw).data.account).toEqual({ displayName: EVIDENCE_TEXT, bio: EVIDENCE_TEXT, internalNotes: EVIDENCE_TEXT, evidence: [{ description: EVIDENCE_TEXT }] });
    const draft = await t.cw.ok(t.cw.analyst, CREATE, { input: { accountIds: [id], kind: 'REFERRAL', reasons: [EVIDENCE_TEXT], legalBasis: { instrument: 'PECA 2016' } } });
    expect(draft.createTakedownRequest.reasons).toEqual([EVIDENCE_TEXT]);
  });

  it('refuses NUL in free text too, on every engine, naming the field and writing nothing', async () => {
    const before = await count('accounts');
    const response = await t.exchange.gql(t.cw.analyst, FLAG, { input: { platform: 'X', handle: 'nul_holder', bio: 'before\u0000after' } });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'bio' });
    const literal = await t.exchange.gql(t.cw.analyst, `mutation { flagAccount(input: { platform: X, handle: "nul_holder", displayName: "a\\u0000b" }) { id } }`);
    expect(literal.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'displayName' });
    expect(await count('accounts')).toBe(before);
  });

  it('answers a variable nested a hundred thousand lists deep with a coercion error, not a 500', async () => {
    // Written by hand: JSON.stringify itself overflows the stack on such a value.
    const nested = `${'['.repeat(100_000)}"before\\u0000after"${']'.repeat(100_000)}`;
    const body = `{"query":${JSON.stringify(FLAG)},"variables":{"input":{"platform":"X","handle":"deep_holder","bio":${nested}}}}`;
    const response = await fetch(t.exchange.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.cw.analyst}` }, body });
    expect(response.status).toBeLessThan(500);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('screens decorated sign-ups instead of refusing them', async () => {
    const xSystem = t.exchange.token('x', Role.PLATFORM_SYSTEM, 'x-signup');
    const handle = 'umar\u202emedia\u200f_ttp\u200d';
    const data = await t.cw.ok(xSystem, `mutation($input: ScreenAccountInput!) { screenAccount(input: $input) { handle verdict } }`, {
      input: { platform: 'X', handle, displayName: EVIDENCE_TEXT, bio: EVIDENCE_TEXT },
    });
    expect(data.screenAccount.handle).toBe(handle);
  });

  it('pax partner add trims the slug and name and refuses hidden characters', async () => {
    const partners = t.exchange.services.partners;
    expect(await partners.add({ slug: '  fia  ', name: ' Federal Investigation Agency ', kind: PartnerKind.AGENCY })).toMatchObject({ slug: 'fia', name: 'Federal Investigation Agency' });
    await expect(partners.add({ slug: 'ctd', name: 'Counter\u202eTerrorism', kind: PartnerKind.AGENCY })).rejects.toThrow('--name must not contain control or bidi characters (found U+202E)');
    await expect(partners.add({ slug: '   ', kind: PartnerKind.AGENCY })).rejects.toThrow('--slug must not be empty or blank');
  });
});
