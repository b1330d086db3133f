import type { Logger } from 'pino';
import { GraphQLSchema } from 'graphql';
import { Webhook } from 'standardwebhooks';
import { DataSource, EntityManager, In } from 'typeorm';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { PartnerKind } from '../../common/enums';
import { newId } from '../../common/ids';
import { claimUnlocked } from '../../db/dialect';
import { inTransaction } from '../../db/transaction';
import { PaxMetrics } from '../../observability/metrics';
import { WebhookSettings } from '../../config';
import { Keyring } from '../disclosures/sealing';
import { PartnerDirectory } from '../partners/partner.service';
import { PartnerView } from '../partners/partner.types';
import { TakedownStatus } from '../takedowns/takedown.enums';
import { RenderContext, renderEvent, systemPrincipal } from './payload';
import { nextAttemptAt } from './retry';
import { post, SendOutcome } from './transport';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEndpointStatus, WebhookEvent } from './webhook.entity';
import { openSecret } from './secrets';

/** Deliveries per INSERT: 16 columns each, well under SQLite's 32,766 parameters. */
const DELIVERIES_PER_INSERT = 500;

/** The standard envelope: the event, the object and its version after the change, then the data. */
export interface WebhookPayload {
  id: string;
  type: string;
  timestamp: string;
  object: { id: string; version: number };
  data: Record<string, unknown>;
}

/**
 * The delivery worker. Each tick fans new outbox events out to the endpoints that want them, then
 * claims due deliveries and posts them. A claim is a lease written in a short transaction (rows
 * another instance holds are skipped), so no transaction stays open during HTTP; a worker killed
 * mid-delivery leaves a lease that expires, and another instance delivers the event again.
 */
export class WebhookDispatcher {
  private timer?: NodeJS.Timeout;
  private schema?: GraphQLSchema;
  private running?: Promise<void>;
  private readonly leaseMs: number;

  constructor(
    private readonly db: DataSource,
    private readonly keyring: Keyring,
    private readonly partners: PartnerDirectory,
    private readonly metrics: PaxMetrics,
    private readonly log: Logger,
    private readonly settings: WebhookSettings,
    private readonly contextFor: (principal: Principal) => RenderContext,
    private readonly clock: Clock,
  ) {
    this.leaseMs = settings.transport.totalTimeoutMs * 2 + 10_000;
  }

  /**
   * Payloads are rendered through the server's schema, so the worker starts with `pax serve`
   * (unless PAX_WEBHOOK_WORKER=false; `tick()` then sends on demand).
   */
  serve(schema: GraphQLSchema): void {
    this.schema = schema;
    if (!this.settings.worker || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.settings.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; overlapping ticks wait for the one running. */
  tick(): Promise<void> {
    if (!this.schema) return Promise.resolve();
    this.running ??= this.pass(this.schema)
      .catch((err) => this.log.warn({ err }, 'webhook delivery pass failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(schema: GraphQLSchema): Promise<void> {
    while ((await this.fanOut()) === this.settings.batchSize);
    for (;;) {
      const claimed = await this.claim();
      await Promise.all(claimed.map((delivery) => this.attempt(delivery, schema)));
      if (claimed.length < this.settings.batchSize || !this.timer) return;
    }
  }

  /** Turns outbox events into one delivery per interested endpoint, each event once. */
  async fanOut(): Promise<number> {
    return inTransaction(this.db, async (em) => {
      const query = em.createQueryBuilder(WebhookEvent, 'e').where('e.fannedOut = :no', { no: false }).orderBy('e.createdAt').addOrderBy('e.id').limit(this.settings.batchSize);
      const events = await claimUnlocked(this.db, query).getMany();
      if (!events.length) return 0;
      const endpoints = await em.find(WebhookEndpoint);
      const owners = new Map((await this.partners.findByIds([...new Set(endpoints.map((e) => e.partnerId))])).map((p) => [p.id, p]));
      const now = this.clock.now();
      const deliveries = events.flatMap((event) =>
        endpoints
          .filter((e) => wants(e, owners.get(e.partnerId), event))
          .map((endpoint) => ({
            id: newId(),
            eventId: event.id,
            endpointId: endpoint.id,
            eventType: event.topic,
            objectId: event.objectId,
            objectVersion: event.objectVersion,
            // A failing endpoint keeps new events as failed deliveries, ready for redelivery.
            status: endpoint.status === WebhookEndpointStatus.FAILING ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.PENDING,
            attempts: 0,
            nextAttemptAt: now,
            retryingSince: now,
            leaseUntil: null,
            lastAttemptAt: null,
            lastStatusCode: null,
            lastError: null,
            deliveredAt: null,
            createdAt: now,
          })),
      );
      for (let start = 0; start < deliveries.length; start += DELIVERIES_PER_INSERT) {
        await em.insert(WebhookDelivery, deliveries.slice(start, start + DELIVERIES_PER_INSERT));
      }
      await em.update(WebhookEvent, { id: In(events.map((e) => e.id)) }, { fannedOut: true });
      return events.length;
    });
  }

  private async claim(): Promise<WebhookDelivery[]> {
    return inTransaction(this.db, async (em) => {
      const now = this.clock.now();
      const active = em.createQueryBuilder().subQuery().select('ep.id').from(WebhookEndpoint, 'ep').where('ep.status = :active').getQuery();
      const query = em
        .createQueryBuilder(WebhookDelivery, 'd')
        .where(`d.status = :pending AND d.nextAttemptAt <= :now AND (d.leaseUntil IS NULL OR d.leaseUntil < :now) AND d.endpointId IN ${active}`, {
          pending: WebhookDeliveryStatus.PENDING,
          active: WebhookEndpointStatus.ACTIVE,
          now,
        })
        .orderBy('d.nextAttemptAt')
        .addOrderBy('d.id')
        .limit(this.settings.batchSize);
      const due = await claimUnlocked(this.db, query).getMany();
      if (due.length) await em.update(WebhookDelivery, { id: In(due.map((d) => d.id)) }, { leaseUntil: new Date(now.getTime() + this.leaseMs) });
      return due;
    });
  }

  private async attempt(delivery: WebhookDelivery, schema: GraphQLSchema): Promise<void> {
    const [endpoint, event] = await Promise.all([
      this.db.getRepository(WebhookEndpoint).findOneBy({ id: delivery.endpointId }),
      this.db.getRepository(WebhookEvent).findOneBy({ id: delivery.eventId }),
    ]);
    const owner = endpoint && (await this.partners.findByIds([endpoint.partnerId]))[0];
    const partner = owner && (await this.partners.findActiveBySlug(owner.slug));
    if (!endpoint || !event || !partner) return this.drop(delivery);
    const started = process.hrtime.bigint();
    let outcome: SendOutcome;
    try {
      const data = await renderEvent(this.contextFor(systemPrincipal(partner, endpoint)), schema, delivery.eventType, event.body);
      // The partner may not see this object (now): nothing is sent, and no trace is kept for it.
      if (!data) return this.drop(delivery);
      const payload: WebhookPayload = { id: event.id, type: event.topic, timestamp: event.createdAt.toISOString(), object: { id: event.objectId, version: event.objectVersion }, data };
      const body = JSON.stringify(payload);
      outcome = await post(new URL(endpoint.url), body, this.sign(endpoint, event.id, body), this.settings.transport);
    } catch (err) {
      this.log.warn({ err, deliveryId: delivery.id }, 'could not prepare a webhook delivery');
      outcome = { statusCode: null, retryAfterMs: null, error: 'PAX could not prepare the delivery; it will retry' };
    }
    this.metrics.webhookAttemptDuration.observe({ event_type: delivery.eventType }, Number(process.hrtime.bigint() - started) / 1e9);
    await this.record(delivery, endpoint, outcome);
  }

  /** Standard Webhooks headers; during a secret rotation's overlap, two signatures. */
  private sign(endpoint: WebhookEndpoint, eventId: string, body: string): Record<string, string> {
    const sentAt = this.clock.now();
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > sentAt) secrets.push(endpoint.previousSecret);
    const signature = secrets.map((sealed) => new Webhook(openSecret(this.keyring, endpoint.id, sealed)).sign(eventId, sentAt, body)).join(' ');
    return {
      'webhook-id': eventId,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signature,
      'user-agent': 'PAX-Webhooks/1',
    };
  }

  private async drop(delivery: WebhookDelivery): Promise<void> {
    await this.db.getRepository(WebhookDelivery).delete({ id: delivery.id });
    this.metrics.webhookDeliveries.inc({ event_type: delivery.eventType, outcome: 'not_visible' });
  }

  private async record(delivery: WebhookDelivery, endpoint: WebhookEndpoint, outcome: SendOutcome): Promise<void> {
    const now = this.clock.now();
    const attempt = { attempts: delivery.attempts + 1, lastAttemptAt: now, lastStatusCode: outcome.statusCode, leaseUntil: null };
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const error = ok ? null : (outcome.error ?? `HTTP ${outcome.statusCode}${outcome.statusCode! >= 300 && outcome.statusCode! < 400 ? ' (redirects are not followed)' : ''}`);
    const next = ok ? null : nextAttemptAt(this.settings.retry, delivery.retryingSince, attempt.attempts, now, outcome.retryAfterMs);
    await inTransaction(this.db, async (em) => {
      if (ok) return void (await em.update(WebhookDelivery, { id: delivery.id }, { ...attempt, status: WebhookDeliveryStatus.DELIVERED, deliveredAt: now, lastError: null }));
      if (next) return void (await em.update(WebhookDelivery, { id: delivery.id }, { ...attempt, nextAttemptAt: next, lastError: error }));
      await em.update(WebhookDelivery, { id: delivery.id }, { ...attempt, status: WebhookDeliveryStatus.FAILED, lastError: error });
      await markFailing(em, endpoint.id, now);
    });
    const result = ok ? 'delivered' : next ? 'retry' : 'failed';
    this.metrics.webhookDeliveries.inc({ event_type: delivery.eventType, outcome: result });
    if (result === 'failed') this.log.warn({ endpointId: endpoint.id, deliveryId: delivery.id, error }, 'webhook endpoint is failing: retries ran out');
  }
}

/** The endpoint stops receiving; what it still had queued waits as failed, for redelivery. */
async function markFailing(em: EntityManager, endpointId: string, now: Date): Promise<void> {
  await em.update(WebhookEndpoint, { id: endpointId, status: WebhookEndpointStatus.ACTIVE }, { status: WebhookEndpointStatus.FAILING, failingSince: now, updatedAt: now });
  await em.update(WebhookDelivery, { endpointId, status: WebhookDeliveryStatus.PENDING }, { status: WebhookDeliveryStatus.FAILED, leaseUntil: null });
}

/**
 * Whether an endpoint wants an event: its types and filter, and for a platform partner only its
 * own platforms. Visibility is still checked, per event, when the delivery is made.
 */
function wants(endpoint: WebhookEndpoint, owner: PartnerView | undefined, event: WebhookEvent): boolean {
  if (!owner || !endpoint.eventTypes.includes(event.topic)) return false;
  if (owner.kind === PartnerKind.PLATFORM && event.platform && !owner.platforms.includes(event.platform)) return false;
  const { platforms, statuses } = endpoint.filter ?? {};
  if (platforms?.length && (!event.platform || !platforms.includes(event.platform))) return false;
  if (statuses?.length && event.topic === 'TAKEDOWN_STATUS_CHANGED' && !statuses.includes(event.body.status as TakedownStatus)) return false;
  return true;
}
