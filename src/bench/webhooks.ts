import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Presets, SingleBar } from 'cli-progress';
import { principalFromPartner } from '../auth/principal';
import { Role } from '../auth/roles';
import { Classification, Distribution, PartnerKind, Platform } from '../common/enums';
import { newId } from '../common/ids';
import { inTransaction } from '../db/transaction';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEventType } from '../modules/webhooks/webhook.entity';
import { recordWebhookEvent } from '../modules/webhooks/outbox';
import { StatusHistoryEntry, TakedownRequest } from '../modules/takedowns/takedown.entity';
import { TakedownKind, TakedownPriority } from '../modules/takedowns/takedown.enums';
import { closeServices, createContext, openServices, Services } from '../services';
import { buildPaxSchema } from '../schema';
import { benchConfig, createPostgresDatabase, dropPostgresDatabase } from './support';

type Say = (line?: string) => void;
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A receiver that answers 204 at once, as a partner's queue would. */
async function receiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function requests(services: Services, count: number): Promise<string[]> {
  const pta = (await services.partners.findActiveBySlug('pta'))!;
  const analyst = createContext(services, principalFromPartner(pta, 'analyst', [Role.AGENCY_ANALYST], Number.MAX_SAFE_INTEGER), 'bench', false);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const account = await services.accounts.flag(analyst, { platform: Platform.X, handle: `wh${i}_${Date.now()}`, distribution: Distribution.ALL_AGENCIES });
    const draft = await services.takedowns.create(analyst, {
      accountIds: [account.id], kind: TakedownKind.REFERRAL, priority: TakedownPriority.STANDARD, legalBasis: { instrument: 'PECA 2016' }, reasons: ['bench'],
    });
    ids.push(draft.id);
  }
  return ids;
}

/**
 * The write path of a transition, as the takedown service runs it (lock, versioned update, history
 * row), with and without the outbox insert, in alternating rounds: milliseconds per transaction.
 */
async function writeLatency(services: Services, ids: string[], withOutbox: boolean): Promise<number> {
  const started = process.hrtime.bigint();
  for (const id of ids) {
    await inTransaction(services.db, async (em) => {
      const request = await em.findOneByOrFail(TakedownRequest, { id });
      const version = request.version + 1;
      await em.update(TakedownRequest, { id, version: request.version }, { version, updatedAt: new Date() });
      await em.insert(StatusHistoryEntry, {
        id: newId(), takedownRequestId: id, sequence: version, fromStatus: request.status, toStatus: request.status, reasonCode: null, action: null,
        note: null, noteClassification: Classification.RESTRICTED, actorPartnerId: request.originatorPartnerId, actorSub: 'bench', at: new Date(),
      });
      if (withOutbox) await recordWebhookEvent(em, 'TAKEDOWN_STATUS_CHANGED', { requestId: id, entryId: newId(), platform: request.platform, status: request.status }, { objectId: id, objectVersion: version, platform: request.platform });
    });
  }
  return Number(process.hrtime.bigint() - started) / 1e6 / ids.length;
}

/** Plain signed-size POSTs at the worker's concurrency: what the receiver and loopback allow. */
async function barePosts(url: string, count: number, concurrency: number): Promise<number> {
  const body = JSON.stringify({ padding: 'x'.repeat(1500) });
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < count) await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } }).then((r) => r.arrayBuffer());
  }));
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function deliveriesPerSecond(services: Services, url: string, events: number): Promise<number> {
  const pta = (await services.partners.findActiveBySlug('pta'))!;
  const system = createContext(services, principalFromPartner(pta, 'bench-system', [Role.AGENCY_SYSTEM], Number.MAX_SAFE_INTEGER), 'bench', false);
  await services.webhooks.create(system, { url, eventTypes: [WebhookEventType.TAKEDOWN_STATUS_CHANGED] });
  const ids = await requests(services, events);
  const bar = new SingleBar({ format: 'webhooks {bar} {value}/{total} deliveries', stream: process.stderr }, Presets.shades_classic);
  bar.start(ids.length, 0);
  const started = process.hrtime.bigint();
  let delivered = 0;
  while (delivered < ids.length) {
    await services.webhookDispatcher.tick();
    delivered = await services.db.getRepository(WebhookDelivery).countBy({ status: WebhookDeliveryStatus.DELIVERED });
    bar.update(delivered);
  }
  bar.stop();
  return delivered / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** `npm run bench -- --only webhooks`: delivery throughput, and what the outbox adds to a write. */
export async function runWebhooks(options: { dir: string; postgres: string | null; events: number; rounds: number; say: Say }): Promise<void> {
  const { say } = options;
  say(`\n## 5. Webhooks: deliveries per second to a local receiver (${options.events} events, batches of 50), and the outbox on the write path`);
  say('| engine | PAX deliveries/s | bare POSTs/s (same receiver, 50 at a time) | PAX/bare | transition ms without outbox | with outbox | with/without |');
  say('|---|---|---|---|---|---|---|');
  const target = await receiver();
  const setups: [string, string][] = [['SQLite', `sqlite:${options.dir}/webhooks.sqlite`]];
  const database = options.postgres ? await createPostgresDatabase(options.postgres, 'pax_bench_webhooks') : null;
  if (database) setups.push(['PostgreSQL', database]);
  try {
    for (const [engine, url] of setups) {
      const services = await openServices(benchConfig(url, { PAX_WEBHOOK_WORKER: 'false' }));
      await services.partners.add({ slug: 'pta', kind: PartnerKind.AGENCY });
      await services.partners.add({ slug: 'x', kind: PartnerKind.PLATFORM, platforms: [Platform.X] });
      services.webhookDispatcher.serve(await buildPaxSchema(services.events));
      const rate = await deliveriesPerSecond(services, target.url, options.events);
      const bare = await barePosts(target.url, options.events, 50);
      const ids = await requests(services, 200);
      const without: number[] = [];
      const withOutbox: number[] = [];
      for (let round = 0; round < options.rounds; round++) {
        without.push(await writeLatency(services, ids, false));
        withOutbox.push(await writeLatency(services, ids, true));
      }
      const [a, b] = [median(without), median(withOutbox)];
      say(`| ${engine} | ${fmt(rate, 0)} | ${fmt(bare, 0)} | ${fmt(rate / bare, 2)} | ${fmt(a, 3)} | ${fmt(b, 3)} | ${fmt(b / a, 2)} |`);
      await closeServices(services);
    }
  } finally {
    await target.close();
    if (database && options.postgres) await dropPostgresDatabase(options.postgres, database);
  }
  say(`Write latency: median of ${options.rounds} alternating rounds of 200 transitions each, one at a time.`);
}
