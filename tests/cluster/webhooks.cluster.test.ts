import { loadConfig } from '../../src/config';
import { signDevToken } from '../../src/auth/jwt';
import { Role } from '../../src/auth/roles';
import { PartnerKind, Platform } from '../../src/common/enums';
import { closeServices, openServices } from '../../src/services';
import { CREATE, FLAG, UPDATE } from '../helpers/casework';
import { postGraphQL, TEST_SECRET } from '../helpers/exchange';
import { createDatabase, dropDatabase, withPostgres } from '../helpers/postgres';
import { Receiver, until } from '../helpers/receiver';
import { Instance, startInstance } from './processes';

/**
 * Webhooks across real `pax serve` processes over one PostgreSQL database: two workers share the
 * outbox, and a process killed with SIGKILL between commit and delivery loses nothing.
 */
describe('webhooks across pax serve processes', () => {
  let databaseUrl: string;
  const instances: Instance[] = [];
  const receiver = new Receiver();
  const jwt = loadConfig({ PAX_JWT_SECRET: TEST_SECRET, DATABASE_URL: 'sqlite::memory:' }).jwt;
  const token = (partner: string, role: Role, sub: string) => signDevToken(jwt, { partner, roles: [role], sub, ttl: '1h' });
  const analyst = token('pta', Role.AGENCY_ANALYST, 'analyst');
  const supervisor = token('pta', Role.AGENCY_SUPERVISOR, 'supervisor');
  const system = token('pta', Role.AGENCY_SYSTEM, 'case-tracker');
  const ok = async (instance: Instance, bearer: string, query: string, variables: Record<string, unknown>) => {
    const response = await postGraphQL(instance.url, bearer, query, variables);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const start = async (env: Record<string, string> = {}) => {
    const instance = await startInstance({ DATABASE_URL: databaseUrl, PAX_WEBHOOK_POLL_MS: '50', PAX_WEBHOOK_RETRY_BASE_MS: '100', PAX_WEBHOOK_RETRY_MAX_DELAY_MS: '500', ...env });
    instances.push(instance);
    return instance;
  };
  /** A draft and its submission: versions 0 and 1 of one request. */
  const change = async (instance: Instance) => {
    const account = await ok(instance, analyst, FLAG, { input: { platform: 'X', handle: `h${Date.now()}${Math.random()}` } });
    const draft = await ok(instance, analyst, CREATE, { input: { accountIds: [account.flagAccount.id], kind: 'ORDER', legalBasis: { instrument: 'PECA 2016' }, reasons: ['r'] } });
    const id = draft.createTakedownRequest.id as string;
    await ok(instance, supervisor, UPDATE, { input: { id, status: 'SUBMITTED', expectedVersion: 0 } });
    return id;
  };
  /** Every event in the outbox, as `objectId:version`. */
  const committed = () =>
    withPostgres(databaseUrl, async (c) => (await c.query('SELECT "objectId", "objectVersion" FROM webhook_events')).rows.map((r) => `${r.objectId}:${r.objectVersion}`).sort());
  const receivedKeys = () => [...new Set(receiver.received.map((r) => `${r.payload.object.id}:${r.payload.object.version}`))].sort();

  beforeAll(async () => {
    databaseUrl = await createDatabase('pax_webhooks');
    const services = await openServices(loadConfig({ DATABASE_URL: databaseUrl, PAX_JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', PAX_WEBHOOK_WORKER: 'false' }));
    await services.partners.add({ slug: 'pta', kind: PartnerKind.AGENCY });
    await services.partners.add({ slug: 'x', kind: PartnerKind.PLATFORM, platforms: [Platform.X] });
    await closeServices(services);
    await receiver.up();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop('SIGKILL')));
    await receiver.down();
    await dropDatabase(databaseUrl);
  });

  it('two instances deliver each event once between them', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    await ok(a, system, 'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }', { i: { url: receiver.url, eventTypes: ['TAKEDOWN_STATUS_CHANGED'] } });
    await Promise.all(Array.from({ length: 12 }, (_, i) => change(i % 2 ? a : b)));
    const events = await committed();
    expect(events).toHaveLength(24);
    await until('every event', () => receivedKeys().length === 24, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    expect(receivedKeys()).toEqual(events);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a process killed with SIGKILL between commit and delivery loses nothing', async () => {
    receiver.received.length = 0;
    // The receiver holds every request without answering: the doomed process's deliveries stay in flight.
    const held: (() => void)[] = [];
    receiver.answer = (_req, res) => held.push(() => res.writeHead(204).end());
    const doomed = await start({ PAX_WEBHOOK_TIMEOUT_MS: '1000' });
    const before = await committed();
    const ids = await Promise.all(Array.from({ length: 4 }, () => change(doomed)));
    await until('a delivery in flight', () => held.length > 0);
    // One more change, and the kill as soon as it has committed.
    ids.push(await change(doomed));
    await doomed.stop('SIGKILL');
    const lost = (await committed()).filter((key) => !before.includes(key));
    expect(lost).toHaveLength(10);
    held.forEach((release) => release());
    // Only what the next process sends counts: nothing the killed one sent was acknowledged.
    receiver.received.length = 0;

    receiver.answer = (_req, res) => res.writeHead(204).end();
    await start({ PAX_WEBHOOK_TIMEOUT_MS: '1000' });
    await until('every event after the restart', () => lost.every((key) => receivedKeys().includes(key)), 40_000);
    expect(ids.flatMap((id) => [`${id}:0`, `${id}:1`]).sort()).toEqual(lost.sort());
  });
});
