import { Role } from '../../src/auth/roles';
import { CREATE, FLAG, STATUS_CHANGED, UPDATE } from '../helpers/casework';
import { graphqlWsClient, openSubscription, postGraphQL } from '../helpers/exchange';
import { createDatabase, dropDatabase } from '../helpers/postgres';
import { clusterToken as token, Instance, RedisServer, registerPartners, startInstance, startRedis } from './processes';

/**
 * Two `pax serve` processes over one PostgreSQL database and one Redis: what an operator runs
 * behind a load balancer. Subscribe on one, mutate on the other.
 */
describe('two instances over PostgreSQL and Redis', () => {
  let databaseUrl: string;
  let redis: RedisServer;
  let a: Instance;
  let b: Instance;
  const analyst = token('pta', Role.AGENCY_ANALYST, 'analyst');
  const supervisor = token('pta', Role.AGENCY_SUPERVISOR, 'supervisor');
  const xReviewer = token('x', Role.PLATFORM_REVIEWER);
  const metaReviewer = token('meta', Role.PLATFORM_REVIEWER);
  const ok = async (url: string, bearer: string, query: string, variables: Record<string, unknown>) => {
    const response = await postGraphQL(url, bearer, query, variables);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const subscribeOn = (instance: Instance, bearer: string) =>
    openSubscription(graphqlWsClient(instance.url.replace('http', 'ws'), { authorization: `Bearer ${bearer}` }), STATUS_CHANGED);
  const takedownOn = async (instance: Instance) => {
    const account = await ok(instance.url, analyst, FLAG, { input: { platform: 'X', handle: `h${Date.now()}${Math.random()}`, internalNotes: 'SECRET-note' } });
    const draft = await ok(instance.url, analyst, CREATE, {
      input: { accountIds: [account.flagAccount.id], kind: 'ORDER', legalBasis: { instrument: 'PECA 2016' }, reasons: ['r'], internalNotes: 'SECRET-request' },
    });
    return draft.createTakedownRequest.id as string;
  };

  beforeAll(async () => {
    databaseUrl = await createDatabase('pax_cluster');
    redis = await startRedis();
    await registerPartners(databaseUrl);
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url };
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await dropDatabase(databaseUrl);
  });

  it('delivers a change made on B to subscribers on A, once each, redacted, and only to those allowed', async () => {
    const agencyFeed = await subscribeOn(a, supervisor);
    const xFeed = await subscribeOn(a, xReviewer);
    const metaFeed = await subscribeOn(a, metaReviewer);
    const xOnB = await subscribeOn(b, xReviewer);

    const id = await takedownOn(b);
    expect((await agencyFeed.next()).takedownStatusChanged.entry.toStatus).toBe('DRAFT');
    await ok(b.url, supervisor, UPDATE, { input: { id, status: 'SUBMITTED' } });

    const agencySaw = (await agencyFeed.next()).takedownStatusChanged;
    expect(agencySaw.request).toMatchObject({ id, status: 'SUBMITTED', internalNotes: 'SECRET-request' });
    const xSaw = (await xFeed.next()).takedownStatusChanged;
    expect(xSaw.request).toMatchObject({ id, status: 'SUBMITTED', internalNotes: null, distribution: null });
    expect(JSON.stringify(xSaw)).not.toContain('SECRET');
    expect((await xOnB.next()).takedownStatusChanged.request.id).toBe(id);

    expect(await agencyFeed.settle(500)).toEqual([]);
    expect(await xFeed.settle(0)).toEqual([]);
    expect(await xOnB.settle(0)).toEqual([]);
    expect(await metaFeed.settle(0)).toEqual([]);
    for (const feed of [agencyFeed, xFeed, metaFeed, xOnB]) await feed.close();
  });

  it('reports a Redis outage on /readyz and in its logs, and recovers when Redis is back', async () => {
    const ready = async (instance: Instance) => (await fetch(instance.url.replace('/graphql', '/readyz'))).status;
    expect(await ready(a)).toBe(200);
    await redis.stop();
    await waitFor(async () => (await ready(a)) === 503);
    const body = await (await fetch(a.url.replace('/graphql', '/readyz'))).json();
    expect(body).toMatchObject({ status: 'unavailable', database: 'up', redis: 'down' });
    expect(a.output.join('\n')).toMatch(/Redis is unreachable/);

    await redis.restart();
    await waitFor(async () => (await ready(a)) === 200 && (await ready(b)) === 200, 20_000);
    expect(a.output.join('\n')).toMatch(/Redis is back/);
    const feed = await subscribeOn(a, supervisor);
    const id = await takedownOn(b);
    expect((await feed.next()).takedownStatusChanged.request.id).toBe(id);
    await feed.close();
  }, 60_000);

  it('shuts down gracefully on SIGTERM: WebSockets close with 1001 and the process exits 0', async () => {
    const c = await startInstance({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url });
    const client = graphqlWsClient(c.url.replace('http', 'ws'), { authorization: `Bearer ${supervisor}` });
    const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
    await openSubscription(client, STATUS_CHANGED);
    const exitCode = await c.stop('SIGTERM');
    expect(await closed).toBe(1001);
    expect(exitCode).toBe(0);
    expect(c.output.join('\n')).toMatch(/shutting down/);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
