import { STATUS_CHANGED, useCasework } from './helpers/casework';

describe('observability', () => {
  const METRICS_TOKEN = 'scrape-token-0123456789';
  const t = useCasework({ PAX_METRICS_TOKEN: METRICS_TOKEN });
  const metrics = async () => (await fetch(t.exchange.url.replace('/graphql', '/metrics'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();

  it('counts operations by name and outcome, and times them', async () => {
    await t.cw.ok(t.cw.xReviewer, 'query PlatformQueue { takedownRequests { totalCount } }');
    await t.exchange.gql(t.cw.xReviewer, 'query Broken { takedownRequest(id: "nope") { id } }');
    const text = await metrics();
    expect(text).toMatch(/pax_graphql_requests_total\{operation="PlatformQueue",type="query",outcome="ok"\} 1/);
    expect(text).toMatch(/pax_graphql_requests_total\{operation="Broken",type="query",outcome="error"\} 1/);
    expect(text).toMatch(/pax_graphql_request_duration_seconds_count\{operation="PlatformQueue",type="query"\} 1/);
    expect(text).toMatch(/pax_db_pool_connections\{state="total"\} \d+/);
  });

  it('tracks open subscriptions', async () => {
    const gauge = async () => Number(/pax_subscriptions_active (\d+)/.exec(await metrics())?.[1]);
    const before = await gauge();
    const feed = await t.exchange.subscribe(t.cw.supervisor, STATUS_CHANGED);
    expect(await gauge()).toBe(before + 1);
    await feed.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(await gauge()).toBe(before);
  });

  it('echoes or assigns a request id', async () => {
    const response = await fetch(t.exchange.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-123', authorization: `Bearer ${t.cw.analyst}` },
      body: JSON.stringify({ query: '{ me { sub } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    const assigned = await fetch(t.exchange.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { sub } }"}' });
    expect(assigned.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
