import { Writable } from 'node:stream';
import { auditServer } from 'graphql-http';
import { Role } from '../src/auth/roles';
import { useCasework } from './helpers/casework';
import { errorCode, graphqlWsClient, openSubscription, signRaw, startExchange, TestExchange } from './helpers/exchange';

const JWT_SHAPED = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/;

/** Collects a server's log lines as they are written. */
class LogSink extends Writable {
  readonly lines: string[] = [];
  _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

/** Runs one operation over graphql-ws and returns its single result. */
async function overWebSocket(exchange: TestExchange, token: string, query: string, variables?: Record<string, unknown>) {
  const feed = await openSubscription(exchange.wsClient({ authorization: `Bearer ${token}` }), query, variables);
  const result = await feed.next();
  await feed.close();
  return result;
}

const closeOf = (exchange: TestExchange, params: Record<string, unknown>) =>
  new Promise<{ code: number; reason: string }>((resolve) => {
    const client = exchange.wsClient(params);
    client.on('closed', (event) => resolve(event as { code: number; reason: string }));
    client.subscribe({ query: '{ me { sub } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
  });

describe('hardening: logs, errors, status codes, authentication, metrics', () => {
  const logs = new LogSink();
  let exchange: TestExchange;
  let analyst: string;
  beforeAll(async () => {
    exchange = await startExchange({ LOG_LEVEL: 'info' }, undefined, logs);
    analyst = exchange.token('pta', Role.AGENCY_ANALYST, 'pta-analyst');
  });
  afterAll(() => exchange.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(exchange.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('writes no bearer token and no submitted payload into the logs, over HTTP and the WebSocket', async () => {
    const secret = 'PAYLOAD-7f3a-informant-name';
    await post(JSON.stringify({ query: 'mutation($n: String) { designateOrganisation(input: { name: $n, aliases: [], designations: [], internalNotes: $n }) { id } }', variables: { n: secret } }), { authorization: `Bearer ${analyst}` });
    await fetch(`${exchange.url}?query=${encodeURIComponent(`{ organisations(filter: { search: "${secret}" }) { totalCount } }`)}`, { headers: { authorization: `Bearer ${analyst}`, 'apollo-require-preflight': 'true' } });
    await post(`{"query": "{ me { sub } }", "variables": "${secret}`, { authorization: `Bearer ${analyst}` });
    await post(JSON.stringify({ query: '{ me { sub } }' }), { authorization: `Bearer ${signRaw({ sub: 'x', partner: 'pta', roles: ['AGENCY_ANALYST'] }, { expiresIn: '1h' }, 'a-wrong-secret-a-wrong-secret-00')}` });
    await overWebSocket(exchange, analyst, '{ me { sub } }');
    await closeOf(exchange, { authorization: `Bearer ${analyst}x` });
    await exchange.server.refusals.flush();
    const text = logs.lines.join('\n');
    expect(logs.lines.length).toBeGreaterThan(4);
    expect(text).not.toMatch(JWT_SHAPED);
    expect(text).not.toContain(secret);
    for (const line of logs.lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('answers a malformed JSON body with JSON and a code, and logs one line without the body', async () => {
    const before = logs.lines.length;
    const response = await post('{"query": "{ me { sub } }", BODY-ECHO-CHECK', { authorization: `Bearer ${analyst}` });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    expect(body).not.toMatch(/<html|at .*\(|\/src\//);
    const added = logs.lines.slice(before).join('\n');
    expect(added).toContain('refused an unreadable HTTP request');
    expect(added).not.toContain('BODY-ECHO-CHECK');
    expect(added).not.toMatch(/\\n\s+at /);
  });

  it('answers unknown paths and oversized bodies with JSON', async () => {
    const missing = await fetch(exchange.url.replace('/graphql', '/nowhere'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
    const huge = await post(JSON.stringify({ query: '{ me { sub } }', variables: { x: 'a'.repeat(9 * 2 ** 20) } }), { authorization: `Bearer ${analyst}` });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('passes the GraphQL over HTTP server audit without a warning or an error', async () => {
    const results = await auditServer({ url: exchange.url });
    const problems = results.filter((r) => r.status === 'warn' || r.status === 'error').map((r) => `${r.id} ${r.name}`);
    expect(problems).toEqual([]);
    expect(results.filter((r) => r.status === 'ok').length).toBeGreaterThanOrEqual(58);
  });

  it('answers a parse error, a validation error and the token limit as request errors, never 500', async () => {
    const cases = ['{', '{ nosuchfield }', `{ ${Array.from({ length: 1100 }, () => 'me { sub }').join(' ')} }`];
    for (const query of cases) {
      for (const [accept, status] of [['application/graphql-response+json', 400], ['application/json', 200]] as const) {
        const response = await post(JSON.stringify({ query }), { authorization: `Bearer ${analyst}`, accept });
        expect(response.status).toBe(status);
        const body: any = await response.json();
        expect(body.data).toBeUndefined();
        expect(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']).toContain(body.errors[0].extensions.code);
      }
    }
  });

  it('answers a missing token and a bad token alike: 401, WWW-Authenticate and UNAUTHENTICATED', async () => {
    const missing = await post(JSON.stringify({ query: '{ me { sub } }' }));
    const bad = await post(JSON.stringify({ query: '{ me { sub } }' }), { authorization: 'Bearer not.a.token' });
    const malformed = await post(JSON.stringify({ query: '{ me { sub } }' }), { authorization: 'Basic dXNlcjpwdw==' });
    for (const response of [missing, bad, malformed]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="pax"/);
      const body: any = await response.json();
      expect(body.data ?? null).toBeNull();
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const introspection = await post(JSON.stringify({ query: '{ __typename }' }));
    expect(introspection.status).toBe(200);
    expect(((await introspection.json()) as any).data).toEqual({ __typename: 'Query' });
  });

  it('closes the WebSocket with 4403 for a missing token and a bad token alike', async () => {
    const missing = await closeOf(exchange, {});
    const bad = await closeOf(exchange, { authorization: 'Bearer not.a.token' });
    expect(missing.code).toBe(4403);
    expect(bad.code).toBe(4403);
    expect(missing.reason).toMatch(/^Unauthenticated/);
    expect(bad.reason).toMatch(/^Unauthenticated/);
  });

  it('does not serve /metrics on the API port unless a token is configured', async () => {
    expect((await fetch(exchange.url.replace('/graphql', '/metrics'))).status).toBe(404);
  });

  it('audits sensitive reads over the WebSocket as over HTTP', async () => {
    const flagged = await exchange.gql(analyst, `mutation($i: FlagAccountInput!) { flagAccount(input: $i) { id evidence { id } } }`, {
      i: { platform: 'X', handle: 'ws_audit_case', internalNotes: 'informant lives nearby', organisationIds: [], evidence: [{ contentBase64: Buffer.from('capture').toString('base64'), mediaType: 'text/plain', classification: 'RESTRICTED' }] },
    });
    const account = flagged.data.flagAccount;
    const result = await overWebSocket(exchange, analyst, 'query($id: ID!) { account(id: $id) { internalNotes evidence { content } } }', { id: account.id });
    expect(result.account.internalNotes).toBe('informant lives nearby');
    const supervisor = exchange.token('pta', Role.AGENCY_SUPERVISOR, 'pta-supervisor');
    const log = async (objectId: string) =>
      (await exchange.gql(supervisor, 'query($f: AuditLogFilter) { auditLog(filter: $f, first: 50) { nodes { action actor } } }', { f: { objectId } })).data.auditLog.nodes;
    expect(await log(account.id)).toContainEqual({ action: 'read internalNotes', actor: 'pta-analyst' });
    expect(await log(account.evidence[0].id)).toContainEqual({ action: 'read evidence content', actor: 'pta-analyst' });
  });

  it('keeps unauthenticated refusals from growing the audit chain: one tally entry for 600 bad tokens', async () => {
    await exchange.server.refusals.flush();
    const head = async () => (await exchange.services.audit.head()).seq;
    const before = await head();
    for (let i = 0; i < 60; i++) {
      await Promise.all(Array.from({ length: 10 }, () => post(JSON.stringify({ query: '{ me { sub } }' }), { authorization: 'Bearer forged.token.value' })));
    }
    expect(await head()).toBe(before);
    await exchange.server.refusals.flush();
    expect(await head()).toBe(before + 1);
    const auditor = exchange.token('ofcom', Role.AUDITOR, 'ofcom-auditor');
    const [entry] = (await exchange.gql(auditor, '{ auditLog(first: 1) { nodes { action objectType outcome } } }')).data.auditLog.nodes;
    expect(entry).toEqual({ action: 'authenticate http (600 refused)', objectType: 'RefusalTally', outcome: 'UNAUTHENTICATED' });
  });
});

describe('hardening: per-partner rate limits', () => {
  const t = useCasework({ PAX_RATE_LIMIT_PER_MINUTE: '6', PAX_SCREENING_PROFILES_PER_MINUTE: '10' });
  const profiles = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ platform: 'X', handle: `${prefix}_${i}` }));
  const SCREEN = 'mutation($i: ScreenAccountsInput!) { screenAccounts(input: $i) { handle verdict } }';

  it('refuses a partner over its budget with 429, RATE_LIMITED and Retry-After, and leaves other partners alone', async () => {
    const post = (token: string) =>
      fetch(t.exchange.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { sub } }' }) });
    for (let i = 0; i < 6; i++) expect((await post(t.cw.analyst)).status).toBe(200);
    const refused = await post(t.cw.supervisor);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body: any = await refused.json();
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(body.errors[0].message).toMatch(/PAX_RATE_LIMIT_PER_MINUTE/);
    expect((await post(t.cw.moiAnalyst)).status).toBe(200);
  });

  it('counts screened profiles, not calls, over HTTP and the WebSocket', async () => {
    const system = t.exchange.token('x', Role.PLATFORM_SYSTEM, 'x-signup');
    expect((await t.exchange.gql(system, SCREEN, { i: { accounts: profiles(8, 'first') } })).data.screenAccounts).toHaveLength(8);
    const over = await t.exchange.gql(system, SCREEN, { i: { accounts: profiles(3, 'second') } });
    expect(errorCode(over)).toBe('RATE_LIMITED');
    expect(over.errors?.[0].message).toMatch(/PAX_SCREENING_PROFILES_PER_MINUTE/);
    const overWs = await openSubscription(graphqlWsClient(t.exchange.wsUrl, { authorization: `Bearer ${system}` }), SCREEN, { i: { accounts: profiles(3, 'third') } });
    await overWs.settle(300);
    expect(JSON.stringify(overWs.errors)).toContain('RATE_LIMITED');
    await overWs.close();
  });
});

describe('hardening: metrics away from partners', () => {
  let exchange: TestExchange;
  beforeAll(async () => {
    exchange = await startExchange({ PAX_METRICS_PORT: '0', PAX_METRICS_HOST: '127.0.0.1' });
  });
  afterAll(() => exchange.close());

  it('serves /metrics on its own port, and not on the API port', async () => {
    expect(exchange.server.metricsPort).toBeGreaterThan(0);
    const scraped = await fetch(`http://127.0.0.1:${exchange.server.metricsPort}/metrics`);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('pax_graphql_requests_total');
    expect((await fetch(exchange.url.replace('/graphql', '/metrics'))).status).toBe(404);
  });
});

describe('hardening: a metrics token on the API port', () => {
  const t = useCasework({ PAX_METRICS_TOKEN: 'scrape-token-0123456789' });
  const scrape = (authorization?: string) => fetch(t.exchange.url.replace('/graphql', '/metrics'), { headers: authorization ? { authorization } : {} });

  it('answers 401 without the token or with another, and metrics with it', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('Bearer scrape-token-0123456788')).status).toBe(401);
    expect((await scrape(`Bearer ${t.cw.analyst}`)).status).toBe(401);
    const ok = await scrape('Bearer scrape-token-0123456789');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('pax_unauthenticated_refusals_total');
  });
});
