import { Webhook } from 'standardwebhooks';
import { Role } from '../src/auth/roles';
import { WebhookEvent } from '../src/modules/webhooks/webhook.entity';
import { Casework, useCasework } from './helpers/casework';
import { Receiver, until } from './helpers/receiver';

const FAST = { PAX_WEBHOOK_POLL_MS: '50', PAX_WEBHOOK_RETRY_BASE_MS: '100', PAX_WEBHOOK_RETRY_MAX_DELAY_MS: '400', PAX_WEBHOOK_RETRY_WINDOW_MS: '120000' };

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url status eventTypes filter { platforms statuses } } } }`;
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus) { webhookDeliveries(endpointId: $id, status: $status) {
  id eventId eventType objectId objectVersion status attempts lastStatusCode lastError nextAttemptAt lastAttemptAt deliveredAt } }`;

async function register(cw: Casework, token: string, url: string, eventTypes = ['TAKEDOWN_STATUS_CHANGED'], filter?: object) {
  return (await cw.ok(token, CREATE, { input: { url, eventTypes, filter } })).createWebhookEndpoint as { secret: string; endpoint: { id: string; status: string } };
}

/**
 * The versions received for one request, each once. Visibility is checked when an event is sent,
 * so a platform whose first delivery comes after submission also receives the draft's creation
 * (version 0), as the request's `history` shows it; tests therefore look for the versions they made.
 */
function versions(receiver: Receiver, requestId: string): number[] {
  return [...new Set(receiver.about(requestId).map((p) => p.object.version))].sort();
}
const received = (receiver: Receiver, requestId: string, version: number) => receiver.about(requestId).filter((p) => p.object.version === version);

describe('webhooks', () => {
  const t = useCasework(FAST);
  const receivers: Receiver[] = [];
  const receiver = async () => {
    const r = await new Receiver().up();
    receivers.push(r);
    return r;
  };
  afterAll(() => Promise.all(receivers.map((r) => r.down().catch(() => undefined))));
  const xSystem = () => t.exchange.token('x', Role.PLATFORM_SYSTEM, 'x-enforcement-queue');
  const metaSystem = () => t.exchange.token('meta', Role.PLATFORM_SYSTEM, 'meta-enforcement-queue');
  const ptaSystem = () => t.exchange.token('pta', Role.AGENCY_SYSTEM, 'pta-case-tracker');

  it('only SYSTEM tokens register; another partner\'s endpoint looks missing; the secret is shown once', async () => {
    const { cw, exchange } = t;
    const r = await receiver();
    const refused = await exchange.gql(cw.xReviewer, CREATE, { input: { url: r.url, eventTypes: ['TAKEDOWN_STATUS_CHANGED'] } });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const { secret, endpoint } = await register(cw, xSystem(), r.url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint.status).toBe('ACTIVE');
    const listed = await cw.ok(xSystem(), '{ webhookEndpoints { id url } }');
    expect(listed.webhookEndpoints.map((e: { id: string }) => e.id)).toContain(endpoint.id);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    expect((await cw.ok(metaSystem(), '{ webhookEndpoints { id } }')).webhookEndpoints).toEqual([]);
    for (const mutation of ['pauseWebhookEndpoint(id: $id) { id }', 'rotateWebhookSecret(id: $id) { secret }', 'deleteWebhookEndpoint(id: $id)']) {
      const other = await exchange.gql(metaSystem(), `mutation($id: ID!) { ${mutation} }`, { id: endpoint.id });
      expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    const missing = await exchange.gql(metaSystem(), DELIVERIES, { id: endpoint.id });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await cw.ok(xSystem(), 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: endpoint.id })).toEqual({ deleteWebhookEndpoint: endpoint.id });
  });

  it('signs with Standard Webhooks and sends the redacted event the subscription gives that partner', async () => {
    const { cw } = t;
    const [platformSide, agencySide] = [await receiver(), await receiver()];
    const x = await register(cw, xSystem(), platformSide.url);
    const pta = await register(cw, ptaSystem(), agencySide.url);
    const request = await cw.draft({ internalNotes: 'source is a covert informant' });
    await cw.move(cw.supervisor, request.id, 'SUBMITTED', { expectedVersion: 0 });
    await until('both deliveries', () => received(platformSide, request.id, 1).length === 1 && versions(agencySide, request.id).length === 2);

    const delivered = platformSide.received.find((r) => r.payload.object.id === request.id && r.payload.object.version === 1)!;
    const verified = new Webhook(x.secret).verify(delivered.body, delivered.headers as Record<string, string>) as any;
    expect(verified.id).toBe(delivered.headers['webhook-id']);
    expect(verified).toMatchObject({ type: 'TAKEDOWN_STATUS_CHANGED', object: { id: request.id, version: 1 } });
    expect(() => new Webhook(x.secret).verify(delivered.body.replace('SUBMITTED', 'ACTIONED'), delivered.headers as Record<string, string>)).toThrow();
    expect(() => new Webhook(pta.secret).verify(delivered.body, delivered.headers as Record<string, string>)).toThrow();

    // The platform sees what its subscription would: no internal notes, no distribution, no drafter.
    const seen = verified.data.takedownStatusChanged;
    expect(seen.request).toMatchObject({ id: request.id, status: 'SUBMITTED', version: 1, internalNotes: null, distribution: null });
    expect(seen.entry).toMatchObject({ fromStatus: 'DRAFT', toStatus: 'SUBMITTED', actor: { partner: { slug: 'pta' }, sub: null } });
    expect(delivered.body).not.toContain('covert informant');
    // The agency that made it sees its own notes, and the draft event that the platform never saw.
    const agencyView = agencySide.about(request.id).find((p) => p.object.version === 1);
    expect(agencyView.data.takedownStatusChanged.request.internalNotes).toBe('source is a covert informant');
    expect(agencyView.data.takedownStatusChanged.entry.actor.sub).toBe('pta-supervisor');
    expect(agencySide.about(request.id).map((p) => p.object.version).sort()).toEqual([0, 1]);
    expect(delivered.headers['webhook-id']).toBe(delivered.payload.id);
  });

  it("never sends a platform another platform's events", async () => {
    const { cw } = t;
    const [metaSide, xSide] = [await receiver(), await receiver()];
    await register(cw, metaSystem(), metaSide.url, ['TAKEDOWN_STATUS_CHANGED', 'TAKEDOWN_OVERDUE', 'MIRROR_ALERT_RAISED']);
    await register(cw, xSystem(), xSide.url);
    const onX = await cw.requestAt('ACKNOWLEDGED', 'X');
    const onFacebook = await cw.requestAt('ACKNOWLEDGED', 'FACEBOOK');
    await until('both platforms', () => received(xSide, onX.id, 2).length > 0 && received(metaSide, onFacebook.id, 2).length > 0);
    await t.exchange.services.webhookDispatcher.tick();
    expect(metaSide.about(onX.id)).toEqual([]);
    expect(metaSide.received.every((r) => r.payload.data.takedownStatusChanged.request.platform === 'FACEBOOK')).toBe(true);
    expect(xSide.about(onFacebook.id)).toEqual([]);
  });

  it('a receiver that is down gets every event once it is back: no gaps in versions, one webhook-id per event', async () => {
    const { cw } = t;
    const r = await receiver();
    const { endpoint } = await register(cw, xSystem(), r.url);
    await r.down();
    const request = await cw.requestAt('ACTIONED', 'X');
    await cw.move(cw.xReviewer, request.id, 'REINSTATED', { expectedVersion: request.version });
    await until('failed attempts while down', async () => {
      const list = (await cw.ok(xSystem(), DELIVERIES, { id: endpoint.id })).webhookDeliveries;
      return list.length >= 3 && list.every((d: any) => d.attempts >= 2 && d.status === 'PENDING' && d.lastStatusCode === null && d.lastError);
    });
    expect(r.received).toEqual([]);
    await r.up();
    const deliveries = async () => (await cw.ok(xSystem(), DELIVERIES, { id: endpoint.id })).webhookDeliveries;
    await until('every delivery made', async () => (await deliveries()).every((d: any) => d.status === 'DELIVERED'));
    const list = await deliveries();
    expect(list.every((d: any) => d.lastStatusCode === 204 && d.deliveredAt && d.attempts >= 2)).toBe(true);
    expect(versions(r, request.id)).toEqual(list.map((d: any) => d.objectVersion).sort());
    expect(versions(r, request.id)).toEqual(expect.arrayContaining([1, 2, 3]));
    // One webhook-id per event: a receiver drops repeats by it.
    const ids = r.received.map((x) => x.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(list.map((d: any) => d.eventId)));
    const metrics = await t.exchange.services.metrics.registry.metrics();
    expect(metrics).toMatch(/pax_webhook_deliveries_total\{event_type="TAKEDOWN_STATUS_CHANGED",outcome="retry"\} [1-9]/);
    expect(metrics).toMatch(/pax_webhook_deliveries_total\{event_type="TAKEDOWN_STATUS_CHANGED",outcome="delivered"\} [1-9]/);
  });

  it("honours Retry-After, and follows no redirect", async () => {
    const { cw } = t;
    const [r, elsewhere] = [await receiver(), await receiver()];
    const { endpoint } = await register(cw, xSystem(), r.url);
    r.answer = (_req, res) => res.writeHead(503, { 'retry-after': '30' }).end();
    const request = await cw.requestAt('SUBMITTED', 'X');
    const submitted = async () => (await cw.ok(xSystem(), DELIVERIES, { id: endpoint.id })).webhookDeliveries.find((d: any) => d.objectVersion === 1);
    await until('the first attempt', async () => (await submitted())?.attempts === 1);
    const waited = await submitted();
    expect(waited.lastStatusCode).toBe(503);
    expect(new Date(waited.nextAttemptAt).getTime() - new Date(waited.lastAttemptAt).getTime()).toBeGreaterThanOrEqual(30_000);
    await t.exchange.services.webhookDispatcher.tick();
    expect(received(r, request.id, 1)).toHaveLength(1);

    const { endpoint: redirected } = await register(cw, xSystem(), elsewhere.url);
    let movedHits = 0;
    elsewhere.answer = (req, res) => {
      if (req.url !== '/pax-hook') movedHits++;
      res.writeHead(302, { location: `${elsewhere.url}/moved` }).end();
    };
    await cw.move(cw.xReviewer, request.id, 'ACKNOWLEDGED', { expectedVersion: 1 });
    const last = async () => (await cw.ok(xSystem(), DELIVERIES, { id: redirected.id })).webhookDeliveries.find((d: any) => d.objectVersion === 2);
    await until('the redirect answer', async () => (await last())?.attempts >= 1);
    expect(await last()).toMatchObject({ status: 'PENDING', lastStatusCode: 302, lastError: 'HTTP 302 (redirects are not followed)' });
    expect(elsewhere.received.length).toBeGreaterThan(0);
    expect(elsewhere.received.every((x) => x.headers['webhook-id'])).toBe(true);
    expect(movedHits).toBe(0);
    for (const id of [endpoint.id, redirected.id]) await cw.ok(xSystem(), 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id });
  });

  it('a paused endpoint queues; resumed, it receives what it missed', async () => {
    const { cw } = t;
    const r = await receiver();
    const { endpoint } = await register(cw, xSystem(), r.url);
    expect((await cw.ok(xSystem(), 'mutation($id: ID!) { pauseWebhookEndpoint(id: $id) { status } }', { id: endpoint.id })).pauseWebhookEndpoint.status).toBe('PAUSED');
    const request = await cw.requestAt('SUBMITTED', 'X');
    await t.exchange.services.webhookDispatcher.tick();
    await t.exchange.services.webhookDispatcher.tick();
    expect(r.received).toEqual([]);
    await cw.ok(xSystem(), 'mutation($id: ID!) { resumeWebhookEndpoint(id: $id) { status } }', { id: endpoint.id });
    await until('the queued event', () => received(r, request.id, 1).length === 1);
  });

  it('rotation: the new secret signs, and the old one too for the overlap', async () => {
    const { cw } = t;
    const r = await receiver();
    const { endpoint, secret: old } = await register(cw, xSystem(), r.url);
    const rotated = (await cw.ok(xSystem(), 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { previousSecretUntil } } }', { id: endpoint.id })).rotateWebhookSecret;
    expect(rotated.secret).not.toBe(old);
    expect(new Date(rotated.endpoint.previousSecretUntil).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    const request = await cw.requestAt('SUBMITTED', 'X');
    await until('a delivery', () => received(r, request.id, 1).length === 1);
    const [delivered] = received(r, request.id, 1).map((p) => r.received.find((x) => x.payload === p)!);
    expect(String(delivered.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [old, rotated.secret]) expect(() => new Webhook(secret).verify(delivered.body, delivered.headers as Record<string, string>)).not.toThrow();
  });

  it('writes the outbox row with the change, and nothing for a refused change', async () => {
    const { cw, exchange } = t;
    const events = () => exchange.services.db.getRepository(WebhookEvent).count();
    const request = await cw.requestAt('SUBMITTED', 'X');
    const before = await events();
    const refused = await exchange.gql(cw.xReviewer, `mutation($input: UpdateTakedownStatusInput!) { updateTakedownStatus(input: $input) { id } }`, { input: { id: request.id, status: 'CLOSED', expectedVersion: 1 } });
    expect(refused.errors?.[0].extensions?.code).toBeDefined();
    expect(await events()).toBe(before);
    await cw.move(cw.xReviewer, request.id, 'ACKNOWLEDGED', { expectedVersion: 1 });
    const rows = await exchange.services.db.getRepository(WebhookEvent).findBy({ objectId: request.id });
    expect(rows.map((e) => e.objectVersion).sort()).toEqual([0, 1, 2]);
  });

  it.each([
    ['http://10.0.0.5/hook', 'private address over http'],
    ['https://10.0.0.5/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'link-local (cloud metadata)'],
    ['https://100.64.1.1/', 'carrier-grade NAT'],
    ['https://[fd00::1]/', 'unique-local'],
    ['https://[fe80::1]/', 'link-local IPv6'],
    ['https://224.0.0.1/', 'multicast'],
    ['https://0.0.0.0/', 'unspecified'],
    ['http://partner.example/hook', 'plain http to a public host'],
    ['https://user:pw@partner.example/hook', 'credentials in the URL'],
    ['ftp://partner.example/', 'another scheme'],
  ])('refuses to register %s (%s)', async (url) => {
    const response = await t.exchange.gql(xSystem(), CREATE, { input: { url, eventTypes: ['TAKEDOWN_STATUS_CHANGED'] } });
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('webhooks to an endpoint that keeps failing', () => {
  const t = useCasework({ ...FAST, PAX_WEBHOOK_RETRY_WINDOW_MS: '1500' });
  const r = new Receiver();
  beforeAll(() => r.up());
  afterAll(() => r.down());

  it('marks the endpoint failing once retries run out; the partner lists the failed deliveries and redelivers them', async () => {
    const { cw } = t;
    const system = t.exchange.token('x', Role.PLATFORM_SYSTEM, 'x-enforcement-queue');
    r.answer = (_req, res) => res.writeHead(500).end('database is down');
    const { endpoint } = await register(cw, system, r.url);
    const request = await cw.requestAt('SUBMITTED', 'X');
    await until('the endpoint to fail', async () => (await cw.ok(system, '{ webhookEndpoints { status failingSince } }')).webhookEndpoints[0].status === 'FAILING');
    const tries = r.received.length;
    expect(received(r, request.id, 1).length).toBeGreaterThanOrEqual(2);
    await cw.move(cw.xReviewer, request.id, 'ACKNOWLEDGED', { expectedVersion: 1 });
    const failed = async () => (await cw.ok(system, DELIVERIES, { id: endpoint.id, status: 'FAILED' })).webhookDeliveries;
    await until('the new event kept as failed', async () => (await failed()).some((d: any) => d.objectVersion === 2));
    expect((await failed()).find((d: any) => d.objectVersion === 1)).toMatchObject({ lastStatusCode: 500, lastError: 'HTTP 500' });
    expect((await failed()).find((d: any) => d.objectVersion === 2)).toMatchObject({ attempts: 0, lastStatusCode: null });
    expect(r.received).toHaveLength(tries);
    const failedCount = (await failed()).length;
    const metrics = await t.exchange.services.metrics.registry.metrics();
    expect(metrics).toMatch(/pax_webhook_deliveries_total\{event_type="TAKEDOWN_STATUS_CHANGED",outcome="failed"\} [1-9]/);

    r.answer = (_req, res) => res.writeHead(200).end();
    r.received.length = 0;
    const redelivered = await cw.ok(system, 'mutation($input: RedeliverWebhooksInput!) { redeliverWebhooks(input: $input) }', { input: { endpointId: endpoint.id } });
    expect(redelivered.redeliverWebhooks).toBe(failedCount);
    await until('both versions', () => received(r, request.id, 1).length === 1 && received(r, request.id, 2).length === 1);
    await t.exchange.services.webhookDispatcher.tick();
    expect(r.received).toHaveLength(failedCount);
    expect((await cw.ok(system, '{ webhookEndpoints { status } }')).webhookEndpoints[0].status).toBe('ACTIVE');
    expect(await failed()).toEqual([]);
  });
});
