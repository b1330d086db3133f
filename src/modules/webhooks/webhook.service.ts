import { DataSource, EntityManager, In } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { ownWebhookEndpoints } from '../../access/policy';
import { badInput, conflict, notFound } from '../../common/errors';
import { isId, newId } from '../../common/ids';
import { Clock } from '../../common/clock';
import { inTransaction } from '../../db/transaction';
import { Keyring } from '../disclosures/sealing';
import { checkEndpointUrl, refusalOf, RefusedTarget } from './transport';
import { newSecret, sealSecret } from './secrets';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEndpointStatus } from './webhook.entity';
import { CreateWebhookEndpointInput, MAX_DELIVERY_PAGE, MAX_ENDPOINTS_PER_PARTNER, RedeliverWebhooksInput, WebhookEndpointWithSecret } from './webhook.types';
import net from 'node:net';

/** How long a rotated-out secret keeps signing beside the new one. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/**
 * Registration of a partner system's endpoints, and what became of its deliveries. Each partner
 * sees and changes only its own endpoints; another partner's look missing.
 */
export class WebhookService {
  constructor(
    private readonly db: DataSource,
    private readonly keyring: Keyring,
    private readonly clock: Clock,
    private readonly allowLoopback: boolean,
  ) {}

  list(ctx: PaxContext): Promise<WebhookEndpoint[]> {
    return this.db.getRepository(WebhookEndpoint).find({ where: ownWebhookEndpoints(principalOf(ctx)), order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async create(ctx: PaxContext, input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    const principal = principalOf(ctx);
    const url = this.checkedUrl(input.url);
    const secret = newSecret();
    const endpoint = await inTransaction(this.db, async (em) => {
      if ((await em.countBy(WebhookEndpoint, { partnerId: principal.partnerId })) >= MAX_ENDPOINTS_PER_PARTNER) {
        throw conflict(`a partner may register ${MAX_ENDPOINTS_PER_PARTNER} webhook endpoints; delete one first`);
      }
      const now = this.clock.now();
      const id = newId();
      const row = em.create(WebhookEndpoint, {
        id,
        partnerId: principal.partnerId,
        url,
        eventTypes: [...new Set(input.eventTypes)],
        filter: input.filter ? { platforms: input.filter.platforms ?? null, statuses: input.filter.statuses ?? null } : null,
        status: WebhookEndpointStatus.ACTIVE,
        secret: sealSecret(this.keyring, id, secret),
        previousSecret: null,
        previousSecretUntil: null,
        failingSince: null,
        createdBySub: principal.sub,
        createdAt: now,
        updatedAt: now,
      });
      await em.insert(WebhookEndpoint, row);
      return row;
    });
    return { endpoint, secret };
  }

  /** A new secret; the old one keeps signing beside it for a day, so receivers can switch without a gap. */
  async rotateSecret(ctx: PaxContext, id: string): Promise<WebhookEndpointWithSecret> {
    const secret = newSecret();
    const endpoint = await this.change(ctx, id, (endpoint, now) => ({
      secret: sealSecret(this.keyring, endpoint.id, secret),
      previousSecret: endpoint.secret,
      previousSecretUntil: new Date(now.getTime() + ROTATION_OVERLAP_MS),
    }));
    return { endpoint, secret };
  }

  pause(ctx: PaxContext, id: string): Promise<WebhookEndpoint> {
    return this.change(ctx, id, () => ({ status: WebhookEndpointStatus.PAUSED }));
  }

  /** Active again: queued deliveries go out; failed ones wait for `redeliverWebhooks`. */
  resume(ctx: PaxContext, id: string): Promise<WebhookEndpoint> {
    return this.change(ctx, id, () => ({ status: WebhookEndpointStatus.ACTIVE, failingSince: null }));
  }

  async delete(ctx: PaxContext, id: string): Promise<string> {
    await inTransaction(this.db, async (em) => {
      const endpoint = await this.own(ctx, id, em);
      await em.delete(WebhookDelivery, { endpointId: endpoint.id });
      await em.delete(WebhookEndpoint, { id: endpoint.id });
    });
    return id;
  }

  async deliveries(ctx: PaxContext, endpointId: string, status: WebhookDeliveryStatus | null | undefined, first: number | null | undefined): Promise<WebhookDelivery[]> {
    const endpoint = await this.own(ctx, endpointId);
    if (first !== null && first !== undefined && (first < 1 || first > MAX_DELIVERY_PAGE)) throw badInput(`first must be between 1 and ${MAX_DELIVERY_PAGE}`, { field: 'first' });
    return this.db.getRepository(WebhookDelivery).find({
      where: { endpointId: endpoint.id, ...(status ? { status } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: first ?? 50,
    });
  }

  /** Queues failed deliveries again with a fresh retry window, and makes a failing endpoint active. */
  async redeliver(ctx: PaxContext, input: RedeliverWebhooksInput): Promise<number> {
    return inTransaction(this.db, async (em) => {
      const endpoint = await this.own(ctx, input.endpointId, em);
      const now = this.clock.now();
      const where = { endpointId: endpoint.id, status: WebhookDeliveryStatus.FAILED, ...(input.deliveryIds ? { id: In(input.deliveryIds.filter(isId)) } : {}) };
      const requeued = await em.update(WebhookDelivery, where, { status: WebhookDeliveryStatus.PENDING, attempts: 0, nextAttemptAt: now, retryingSince: now, leaseUntil: null });
      if (endpoint.status === WebhookEndpointStatus.FAILING) await em.update(WebhookEndpoint, { id: endpoint.id }, { status: WebhookEndpointStatus.ACTIVE, failingSince: null, updatedAt: now });
      return requeued.affected ?? 0;
    });
  }

  private checkedUrl(raw: string): string {
    try {
      const url = checkEndpointUrl(raw.trim(), this.allowLoopback);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const refusal = net.isIP(host) ? refusalOf(host, this.allowLoopback) : null;
      if (refusal) throw new RefusedTarget(`webhooks cannot be delivered to ${refusal}`);
      return url.toString();
    } catch (error) {
      if (error instanceof RefusedTarget) throw badInput(error.message, { field: 'url' });
      throw error;
    }
  }

  /** The caller's own endpoint; anyone else's is NOT_FOUND, like a missing one. */
  private async own(ctx: PaxContext, id: string, em: EntityManager = this.db.manager): Promise<WebhookEndpoint> {
    const endpoint = isId(id) ? await em.findOneBy(WebhookEndpoint, { id, ...ownWebhookEndpoints(principalOf(ctx)) }) : null;
    if (!endpoint) throw notFound('WebhookEndpoint', id);
    return endpoint;
  }

  private async change(ctx: PaxContext, id: string, changes: (endpoint: WebhookEndpoint, now: Date) => Partial<WebhookEndpoint>): Promise<WebhookEndpoint> {
    return inTransaction(this.db, async (em) => {
      const endpoint = await this.own(ctx, id, em);
      const now = this.clock.now();
      Object.assign(endpoint, changes(endpoint, now), { updatedAt: now });
      await em.save(WebhookEndpoint, endpoint);
      return endpoint;
    });
  }
}
