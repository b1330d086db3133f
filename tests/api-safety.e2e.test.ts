import { generateMasterKey } from '../src/modules/disclosures/sealing';
import { useCasework } from './helpers/casework';
import { errorCode, startExchange, TestExchange } from './helpers/exchange';

describe('baseline API safety', () => {
  const t = useCasework();

  const post = (body: unknown, token = t.cw.analyst) =>
    fetch(t.exchange.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  it('/healthz and /readyz answer', async () => {
    expect(await (await fetch(t.exchange.url.replace('/graphql', '/healthz'))).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(t.exchange.url.replace('/graphql', '/readyz'))).json()).toEqual({ status: 'ready', database: 'up' });
  });

  it('refuses a query deeper than the limit', async () => {
    const deep = `{ takedownRequests { nodes { accounts { takedownRequests { accounts { takedownRequests { accounts { takedownRequests { accounts { takedownRequests { accounts { id } } } } } } } } } } } }`;
    const response = await t.exchange.gql(t.cw.analyst, deep);
    expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0].message).toMatch(/depth/i);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: me { sub }`).join(' ');
    expect(errorCode(await t.exchange.gql(t.cw.analyst, `{ ${aliases} }`))).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses batched requests', async () => {
    const response = await post([{ query: '{ me { sub } }' }, { query: '{ me { sub } }' }]);
    expect(response.status).toBe(400);
  });

  it('caps page size at 100 and pages with opaque cursors', async () => {
    expect(errorCode(await t.exchange.gql(t.cw.analyst, '{ accounts(first: 101) { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.exchange.gql(t.cw.analyst, '{ accounts(first: -1) { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.exchange.gql(t.cw.analyst, '{ accounts(after: "bogus") { totalCount } }'))).toBe('BAD_USER_INPUT');
    for (let i = 0; i < 5; i++) await t.cw.account();
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const data: any = await t.cw.ok(t.cw.analyst, `query($after: String) { accounts(first: 2, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`, { after });
      total = data.accounts.totalCount;
      seen.push(...data.accounts.edges.map((e: { node: { id: string } }) => e.node.id));
      after = data.accounts.pageInfo.hasNextPage ? data.accounts.pageInfo.endCursor : null;
    } while (after);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect(total).toBeGreaterThanOrEqual(5);
  });

  it('never sends a stack trace, and masks unexpected errors', async () => {
    const response = await t.exchange.gql(t.cw.analyst, '{ organisation(id: "nope") { id } }');
    expect(JSON.stringify(response)).not.toMatch(/stacktrace|at .*\.ts:/);
    expect(errorCode(response)).toBe('NOT_FOUND');
  });

  it('serves introspection in development', async () => {
    const response = await t.exchange.gql(t.cw.analyst, '{ __schema { queryType { name } } }');
    expect(response.data?.__schema.queryType.name).toBe('Query');
  });
});

describe('production mode', () => {
  let exchange: TestExchange;
  beforeAll(async () => {
    exchange = await startExchange({ NODE_ENV: 'production', PAX_MASTER_KEYS: generateMasterKey('prod') });
  });
  afterAll(() => exchange.close());

  it('turns introspection off', async () => {
    const token = exchange.token('pta', 'AGENCY_ANALYST' as never);
    const response = await exchange.gql(token, '{ __schema { queryType { name } } }');
    expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.data).toBeUndefined();
  });

  it('serves no landing page that names the server', async () => {
    const page = await fetch(exchange.url, { headers: { accept: 'text/html' } });
    const body = await page.text();
    expect(body).not.toMatch(/<html|landing|serverVersion|@apollo\/server/i);
    expect(JSON.parse(body).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('answers a malformed body with JSON, as in development', async () => {
    const response = await fetch(exchange.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });
});
