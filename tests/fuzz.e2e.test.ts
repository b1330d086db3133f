import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  isInputObjectType,
  isLeafType,
} from 'graphql';
import { Role } from '../src/auth/roles';
import { PAX_ERROR_CODES } from '../src/common/errors';
import { useCasework } from './helpers/casework';

/**
 * Property-based fuzzing of every mutation over real HTTP: random, hostile and half-valid inputs
 * must never produce a 500, an INTERNAL_SERVER_ERROR, a stack trace or a path, or an error outside
 * the contract's codes, and a refused mutation must leave every table (but the audit log) as it was.
 * PAX_FUZZ_RUNS raises the number of runs per mutation.
 */
const RUNS = Number(process.env.PAX_FUZZ_RUNS ?? 20);
jest.setTimeout(Math.max(60_000, RUNS * 2_000));
const SCHEMA = buildSchema(fs.readFileSync(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8'));
/** The audit log records refusals by design; every other table must stay as it was. */
const AUDIT_TABLES = new Set(['audit_log', 'audit_head']);
/** Where an accepted mutation may legitimately change rows in place, a refused one must not. */
const STATEFUL_COLUMNS: Record<string, string> = {
  takedown_requests: 'id, status, version',
  disclosure_requests: 'id, status, version',
  mirror_alerts: 'id, status, "candidateAccountId", "draftRequestId"',
  complaints: 'id, status',
  accounts: 'id, "mirrorOfAccountId"',
};

const HIDDEN = ['\u0000', '\u001b', '\r', '\n', '\t', '\u007f', '\u0085', '\u009b', '\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069'];
const LEAKS = [/\bat (?:\S+ )?\(?(?:\/|file:|node:)\S*:\d+:\d+/, /(?:^|["\s(])\/(?:work|home|usr|tmp|opt|root|var)\//, /node_modules/, /\.[jt]s:\d+/, /stacktrace/i];

const hugeString = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('a', 'é', 'ت', '𝕏', '\u202e', '\u0000 ', ' ', '<script>'))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));
const decorated = fc
  .tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...HIDDEN), fc.string({ maxLength: 12 }))
  .map(([a, c, b]) => `${a}${c}${b}`);
const plausibleText = fc.constantFrom(
  'PECA 2016', 'PECA 2016 s.28', 'PECA 2016 s.31', 's.37', 'umar_media_ttp', '@ttp_media', 'Propaganda for a proscribed organisation',
  'a clarification of the request', 'https://t.me/umar_backup', 'https://x.com/ttp_media', 'QDe.132', 'case-0001', 'FIA-CT-2026-118',
);
const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: plausibleText },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: decorated },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\u00a0') },
  { weight: 1, arbitrary: hugeString },
);
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.string({ maxLength: 8 }),
  fc.constant([[[['x']]]]),
);
/** Nesting far deeper than any input type goes: objects in objects, or lists in lists. */
const deeplyNested = fc.tuple(fc.integer({ min: 100, max: 3_000 }), fc.boolean()).map(([depth, lists]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = lists ? [value] : { input: value };
  return value;
});
const base64 = fc.oneof(fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')), fc.constantFrom('not base64!', '===='));
const hex64 = fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.constantFrom('xyz', '0'.repeat(63)));
const url = fc.oneof(fc.webUrl(), fc.constantFrom('https://t.me/umar_backup', 'https://x.com/ttp_media', 'javascript:alert(1)', 'ftp://a'), decorated.map((d) => `https://x.com/${d}`));

/** Shapes some fields must have to get past validation, so that the services behind are reached too. */
const FIELD_HINTS: Record<string, fc.Arbitrary<unknown>> = {
  url,
  links: fc.array(url, { maxLength: 4 }),
  avatarPdq: hex64,
  sha256: hex64,
  contentBase64: base64,
  payloadBase64: base64,
  avatarImage: base64,
  mediaType: fc.constantFrom('application/json', 'application/pdf', 'text/plain', 'nope'),
};

/** STIX bundles for proposeStixImport: mostly well-formed, with hostile names, types and structure. */
function stixBundle(fixture: Fixture): fc.Arbitrary<unknown> {
  const at = fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z', 'yesterday');
  const actor = fc.record({
    type: fc.constantFrom('threat-actor', 'intrusion-set', 'x-custom-thing'),
    spec_version: fc.constant('2.1'),
    id: fc.uuid({ version: 4 }).map((u) => `threat-actor--${u}`),
    created: at,
    modified: at,
    name: text,
    aliases: fc.array(text, { maxLength: 3 }),
    external_references: fc.array(fc.record({ source_name: fc.constantFrom('UN designation', 'UK designation', 'XX designation', 'mitre'), external_id: text, description: fc.constantFrom('Designated by UN on 2011-07-29', 'on 2999-01-01', 'listed 2020-02-30', '') }), { minLength: 1, maxLength: 2 }),
  });
  const account = fc.record({
    type: fc.constant('user-account'),
    spec_version: fc.constant('2.1'),
    id: fc.uuid({ version: 4 }).map((u) => `user-account--${u}`),
    account_type: fc.constantFrom('twitter', 'x', 'facebook', 'telegram', 'myspace', ''),
    account_login: text,
    display_name: text,
  });
  const object = fc.oneof({ weight: 4, arbitrary: actor }, { weight: 4, arbitrary: account }, { weight: fixture.hostile ? 1 : 0, arbitrary: wrongType });
  return fc.record({
    type: fc.constantFrom('bundle', 'bundle', 'bundle', 'report'),
    id: fc.oneof(fc.uuid({ version: 4 }).map((u) => `bundle--${u}`), text),
    objects: fc.oneof({ weight: 6, arbitrary: fc.array(object, { maxLength: 5 }) }, { weight: 1, arbitrary: wrongType }),
  });
}

interface Fixture {
  ids: string[];
  /** Well-typed runs reach the services with hostile content; hostile ones also break the types. */
  hostile: boolean;
}

function scalar(type: GraphQLScalarType, fixture: Fixture): fc.Arbitrary<unknown> {
  switch (type.name) {
    case 'ID':
      return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...fixture.ids) }, { weight: 2, arbitrary: fc.uuid() }, { weight: 2, arbitrary: text });
    case 'Int':
      return fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: -2, max: 12 }) },
        { weight: 1, arbitrary: fc.integer() },
        ...(fixture.hostile ? [{ weight: 1, arbitrary: fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1e300, 0.5, Number.MAX_SAFE_INTEGER) }] : []),
      );
    case 'Float':
      return fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(1e308, -1e308));
    case 'Boolean':
      return fc.boolean();
    case 'DateTimeISO':
      return fc.oneof(
        { weight: 6, arbitrary: fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString()) },
        { weight: fixture.hostile ? 1 : 0, arbitrary: fc.constantFrom('2026-13-45T25:61:00Z', 'yesterday', '', '+275760-09-13T00:00:00.001Z', '1970-01-01') },
      );
    case 'LocalDate':
      return fc.oneof(
        { weight: 6, arbitrary: fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
        { weight: fixture.hostile ? 1 : 0, arbitrary: fc.constantFrom('2026-02-30', '26-01-01', '') },
      );
    case 'String':
      return text;
    case 'JSONObject':
      return stixBundle(fixture);
    default:
      throw new Error(`the fuzzer has no generator for the scalar ${type.name}; add one`);
  }
}

/** A value for an input type: mostly well-formed, sometimes null, missing, of the wrong type, or deeply nested. */
function valueOf(type: GraphQLInputType, fixture: Fixture, field?: string): fc.Arbitrary<unknown> {
  const broken = fixture.hostile ? 1 : 0;
  if (type instanceof GraphQLNonNull) {
    return fc.oneof({ weight: 30, arbitrary: valueOfNullable(type.ofType, fixture, field) }, { weight: broken, arbitrary: fc.constant(null) }, { weight: broken, arbitrary: wrongType });
  }
  const present = valueOfNullable(type, fixture, field);
  return fc.oneof({ weight: 10, arbitrary: present }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: broken, arbitrary: wrongType });
}

function valueOfNullable(type: GraphQLInputType, fixture: Fixture, field?: string): fc.Arbitrary<unknown> {
  const hint = field ? FIELD_HINTS[field] : undefined;
  if (hint && !(type instanceof GraphQLList)) return fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: valueOf(type, fixture) });
  if (type instanceof GraphQLList) {
    const item = valueOf(type.ofType, fixture, field);
    return fc.oneof(
      { weight: 10, arbitrary: fc.array(item, { maxLength: 4 }) },
      { weight: 1, arbitrary: item },
      { weight: 1, arbitrary: fc.tuple(item, fc.integer({ min: 100, max: 1_100 })).map(([one, n]) => Array.from({ length: n }, () => one)) },
    );
  }
  if (type instanceof GraphQLEnumType) {
    return fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.value as string)) }, { weight: fixture.hostile ? 1 : 0, arbitrary: text });
  }
  if (type instanceof GraphQLScalarType) return scalar(type, fixture);
  if (isInputObjectType(type)) return inputObject(type, fixture);
  throw new Error(`the fuzzer cannot generate ${String(type)}`);
}

const objects = new Map<string, fc.Arbitrary<Record<string, unknown>>>();
function inputObject(type: GraphQLInputObjectType, fixture: Fixture): fc.Arbitrary<unknown> {
  const key = `${type.name}:${fixture.hostile}`;
  let fields = objects.get(key);
  if (!fields) {
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, f] of Object.entries(type.getFields())) record[name] = fc.constant(null).chain(() => valueOf(f.type, fixture, name));
    fields = fc.record(record).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    objects.set(key, fields);
  }
  if (!fixture.hostile) return fields;
  const extra = fc.tuple(fields, fc.constantFrom('__proto__', 'constructor', 'extra', 'id', 'status'), wrongType).map(([r, k, v]) => JSON.parse(JSON.stringify({ ...r, [k]: v })) as unknown);
  return fc.oneof({ weight: 20, arbitrary: fields }, { weight: 1, arbitrary: extra }, { weight: 1, arbitrary: deeplyNested });
}

describe('fuzzing every mutation', () => {
  // No background writer may move a table between the two snapshots of a refused call: the sweeps
  // are held off, and the webhook worker is off (its outbox rows are still written, and counted).
  const t = useCasework({ PAX_SWEEP_INTERVAL_SECONDS: '86400', PAX_COMPLAINTS_PER_MINUTE: '100000', PAX_WEBHOOK_WORKER: 'false' });
  const ids: string[] = [];
  let tokens: Record<string, string>;
  /** How each mutation answered, to show that the runs got past coercion into the services. */
  const outcomes: Record<string, Record<string, number>> = {};
  afterAll(() => {
    const lines = Object.entries(outcomes).map(([name, tally]) => `${name}: ${Object.entries(tally).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    process.stderr.write(`fuzz outcomes, ${RUNS} runs a mutation:\n  ${lines.join('\n  ')}\n`);
  });

  beforeAll(async () => {
    const { cw, exchange } = t;
    tokens = {
      analyst: cw.analyst,
      supervisor: cw.supervisor,
      system: cw.system,
      moiAnalyst: cw.moiAnalyst,
      moiSupervisor: cw.moiSupervisor,
      xReviewer: cw.xReviewer,
      metaReviewer: cw.metaReviewer,
      xSystem: exchange.token('x', Role.PLATFORM_SYSTEM, 'x-signup'),
      reader: exchange.token('pta', Role.AGENCY_DISCLOSURE_READER, 'pta-reader'),
      intake: exchange.token('pta', Role.AGENCY_INTAKE, 'pta-intake'),
      auditor: exchange.token('ofcom', Role.AUDITOR, 'ofcom-auditor'),
    };
    const organisation = await cw.organisation();
    const removed = await cw.ok(cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
      input: { platform: 'X', handle: 'umar_media_ttp', displayName: 'Umar Media', bio: 'Backup: t.me/umar_backup', links: ['https://t.me/umar_backup'], organisationIds: [organisation] },
    });
    const actioned = await cw.draft({ accountIds: [removed.flagAccount.id] });
    await cw.move(cw.supervisor, actioned.id, 'SUBMITTED');
    await cw.move(cw.xReviewer, actioned.id, 'ACTIONED', { action: 'ACCOUNT_TERMINATED' });
    for (let i = 0; i < 100 && !exchange.services.mirrors.index.has(removed.flagAccount.id); i++) await new Promise((r) => setTimeout(r, 20));
    const screened = await cw.ok(tokens.xSystem, `mutation($input: ScreenAccountInput!) { screenAccount(input: $input) { alert { id } } }`, {
      input: { platform: 'X', handle: 'umar_rnedia_ttp2', bio: 'New home: t.me/umar_backup', links: ['https://t.me/umar_backup'] },
    });
    const requests = await Promise.all(['DRAFT', 'SUBMITTED', 'ACKNOWLEDGED', 'REJECTED'].map((s) => cw.requestAt(s)));
    const DISCLOSE = `mutation($input: CreateDisclosureRequestInput!) { createDisclosureRequest(input: $input) { id } }`;
    const disclosure = (type: string, instrument: string, categories: string[]) => ({
      type, platform: 'X', accounts: [{ handle: 'ttp_media' }], categories, dataFrom: '2026-01-01T00:00:00Z', dataTo: '2026-10-01T00:00:00Z',
      legalBasis: { instrument }, caseReference: 'FIA-CT-2026-118',
    });
    const preservation = (await cw.ok(cw.analyst, DISCLOSE, { input: disclosure('PRESERVATION', 'PECA 2016 s.28', ['BASIC_SUBSCRIBER']) })).createDisclosureRequest.id;
    const authorisation = { contentBase64: Buffer.from('warrant 42/2026').toString('base64'), mediaType: 'application/pdf', classification: 'SHAREABLE' };
    const legal = (await cw.ok(cw.analyst, DISCLOSE, { input: { ...disclosure('LEGAL_PROCESS', 'PECA 2016 s.31', ['BASIC_SUBSCRIBER']), authorisation } })).createDisclosureRequest.id;
    const UPDATE_DISCLOSURE = `mutation($input: UpdateDisclosureStatusInput!) { updateDisclosureStatus(input: $input) { id } }`;
    await cw.ok(cw.supervisor, UPDATE_DISCLOSURE, { input: { id: preservation, status: 'SUBMITTED' } });
    await cw.ok(cw.supervisor, UPDATE_DISCLOSURE, { input: { id: legal, status: 'SUBMITTED' } });
    await cw.ok(cw.xReviewer, UPDATE_DISCLOSURE, { input: { id: legal, status: 'UNDER_REVIEW' } });
    const complaint = (await cw.ok(tokens.intake, `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { id } }`, {
      input: { url: 'https://x.com/umar_media_ttp3', description: 'recruitment video posted today' },
    })).submitComplaint.id;
    const endpoint = (await cw.ok(tokens.system, `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`, {
      input: { url: 'http://127.0.0.1:9/pax', eventTypes: ['TAKEDOWN_STATUS_CHANGED'] },
    })).createWebhookEndpoint.endpoint.id;
    const proposal = (await cw.ok(cw.analyst, `mutation($input: ProposeStixImportInput!) { proposeStixImport(input: $input) { id } }`, {
      input: { bundle: { type: 'bundle', id: 'bundle--6e9f3a3c-7a3c-4d0a-9b1e-2f8f0c1b2a3d', objects: [{ type: 'user-account', spec_version: '2.1', id: 'user-account--9d2c1b4a-3e5f-4a6b-8c7d-0e1f2a3b4c5d', account_type: 'twitter', account_login: 'fuzz_import' }] } },
    })).proposeStixImport.id;
    ids.push(proposal, organisation, removed.flagAccount.id, actioned.id, screened.screenAccount.alert.id, preservation, legal, complaint, endpoint, ...requests.map((r) => r.id), ...requests.map((r) => r.accounts[0].id));
  });

  /** Who each mutation is for; a new mutation without an entry fails the suite. */
  const CALLERS: Record<string, string[]> = {
    createDisclosureRequest: ['analyst', 'supervisor'],
    createTakedownRequest: ['analyst', 'system'],
    createWebhookEndpoint: ['system', 'xSystem'],
    deleteWebhookEndpoint: ['system', 'xSystem'],
    pauseWebhookEndpoint: ['system', 'analyst'],
    redeliverWebhooks: ['system', 'xSystem'],
    resumeWebhookEndpoint: ['system'],
    rotateWebhookSecret: ['system', 'xReviewer'],
    designateOrganisation: ['analyst'],
    decideStixImport: ['analyst', 'moiSupervisor'],
    proposeStixImport: ['analyst', 'xReviewer'],
    extendPreservation: ['supervisor'],
    flagAccount: ['analyst', 'moiAnalyst'],
    importDesignations: ['system', 'supervisor'],
    acknowledgeReviewFlag: ['supervisor', 'moiAnalyst'],
    openDisclosure: ['reader', 'xReviewer'],
    reviewMirrorAlert: ['analyst', 'moiSupervisor'],
    recordPlatformMirrorDecision: ['xReviewer', 'metaReviewer'],
    screenAccount: ['xSystem', 'xReviewer'],
    screenAccounts: ['xSystem'],
    submitComplaint: ['intake'],
    triageComplaint: ['analyst'],
    updateDisclosureStatus: ['supervisor', 'xReviewer'],
    updateTakedownStatus: ['supervisor', 'xReviewer', 'system'],
    updateUserNotification: ['supervisor', 'xReviewer'],
  };
  const mutations = Object.values(SCHEMA.getMutationType()!.getFields());

  it('has a generator for every mutation in the schema', () => {
    expect(mutations.map((m) => m.name).filter((name) => !CALLERS[name])).toEqual([]);
  });

  async function tableState(): Promise<Record<string, unknown>> {
    const db = t.exchange.services.db;
    const tables = db.entityMetadatas.map((m) => m.tableName).filter((name) => !AUDIT_TABLES.has(name));
    const state: Record<string, unknown> = {};
    for (const table of tables) state[table] = Number((await db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    // Counts miss a refused change made in place, such as a status moved before the refusal.
    for (const [table, columns] of Object.entries(STATEFUL_COLUMNS)) state[`${table} rows`] = JSON.stringify(await db.query(`SELECT ${columns} FROM ${table} ORDER BY id`));
    return state;
  }

  for (const mutation of mutations) {
    it(`${mutation.name}: no 500, no internal error, no leak, contract codes only, and nothing half-written`, async () => {
      const callers = CALLERS[mutation.name];
      expect(callers).toBeDefined();
      const args = mutation.args.map((a, i) => ({ name: a.name, variable: `a${i}`, type: a.type }));
      const selection = isLeafType(getNamedType(mutation.type)) ? '' : ' { __typename }';
      const query = `mutation Fuzz(${args.map((a) => `$${a.variable}: ${String(a.type)}`).join(', ')}) { ${mutation.name}(${args.map((a) => `${a.name}: $${a.variable}`).join(', ')})${selection} }`;
      const variablesOf = (hostile: boolean) => fc.record(Object.fromEntries(args.map((a) => [a.variable, valueOf(a.type, { ids, hostile })])));
      const variables = fc.oneof({ weight: 3, arbitrary: variablesOf(false) }, { weight: 1, arbitrary: variablesOf(true) });
      const caller = fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...callers) },
        { weight: 2, arbitrary: fc.constantFrom(...Object.keys(tokens)) },
        { weight: 1, arbitrary: fc.constantFrom('none', 'garbage') },
      );
      const outcome = await fc.check(
        fc.asyncProperty(caller, variables, async (who, vars) => {
          const body = JSON.stringify({ query, variables: vars });
          // A list of a thousand 100k strings says nothing more than one, and takes seconds to send.
          fc.pre(Buffer.byteLength(body) < 4_000_000);
          const before = await tableState();
          const token = who === 'none' ? null : who === 'garbage' ? 'not.a.token' : tokens[who];
          const response = await fetch(t.exchange.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body,
          });
          const answer = await response.text();
          if (response.status >= 500) throw new Error(`HTTP ${response.status}: ${answer.slice(0, 500)}`);
          for (const leak of LEAKS) if (leak.test(answer)) throw new Error(`the answer leaks ${leak}: ${answer.slice(0, 500)}`);
          const json = JSON.parse(answer) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
          const first = json.errors?.[0];
          const outcome = !first ? 'OK' : first.message.startsWith('Variable "$') ? 'not coerced' : String(first.extensions?.code);
          const tally = (outcomes[mutation.name] ??= {});
          tally[outcome] = (tally[outcome] ?? 0) + 1;
          for (const error of json.errors ?? []) {
            const code = error.extensions?.code;
            if (!code || !PAX_ERROR_CODES.has(code)) throw new Error(`an error outside the contract: ${JSON.stringify(error).slice(0, 500)}`);
          }
          if (json.errors?.length) {
            const after = await tableState();
            for (const table of Object.keys(before)) {
              if (before[table] !== after[table]) throw new Error(`refused with ${json.errors[0].extensions?.code}, yet ${table} changed`);
            }
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      // fast-check's own report prints the whole counterexample, which can be megabytes.
      if (outcome.failed) {
        const example = JSON.stringify(outcome.counterexample, (_k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length} chars)` : v));
        throw new Error(`${String(outcome.errorInstance)}\nseed ${outcome.seed}, path ${outcome.counterexamplePath}\ncounterexample: ${example.slice(0, 3000)}`);
      }
    });
  }
});
