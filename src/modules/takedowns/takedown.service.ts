import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { scopeTakedownRequests } from '../../access/policy';
import { DeliveryCache } from '../../events/delivery-cache';
import { Principal } from '../../auth/principal';
import { Classification, Distribution } from '../../common/enums';
import { assertExpectedVersion, badInput, conflict, forbidden, invalidTransition, notFound } from '../../common/errors';
import { Connection, PageArgs, paginate } from '../../common/connection';
import { isId, newId } from '../../common/ids';
import { inTransaction } from '../../db/transaction';
import { lockForUpdate } from '../../db/dialect';
import { Clock } from '../../common/clock';
import { EventBus, TakedownOverdueEvent, TakedownReviewFlaggedEvent, TakedownStatusChangedEvent } from '../../events/event-bus';
import { AccountService } from '../accounts/account.service';
import { AccountOrganisation } from '../accounts/account.entity';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { Organisation } from '../organisations/organisation.entity';
import { PartnerDirectory } from '../partners/partner.service';
import { recordWebhookEvent } from '../webhooks/outbox';
import { recordSignalChanges } from '../signals/signal-log';
import { SlaPolicy } from './sla';
import { planTransition } from './state-machine';
import {
  CLOCK_RUNNING,
  StatusHistoryEntry,
  TakedownRequest,
  TakedownRequestAccount,
  TakedownRequestOrganisation,
} from './takedown.entity';
import { TakedownStatus } from './takedown.enums';
import { ReviewFlag } from './review-flag.entity';
import {
  AcknowledgeReviewFlagInput,
  CreateTakedownRequestInput,
  TakedownRequestFilter,
  TakedownStatusChangedFilter,
  TakedownOverdueNotice,
  TakedownReviewFlagged,
  TakedownStatusEvent,
  UpdateTakedownStatusInput,
} from './takedown.types';

export class TakedownService {
  private readonly deliveries = new DeliveryCache<TakedownStatusEvent | null>();

  constructor(
    private readonly db: DataSource,
    private readonly events: EventBus,
    private readonly sla: SlaPolicy,
    private readonly partners: PartnerDirectory,
    private readonly accounts: AccountService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
  ) {}

  private scoped(principal: Principal, em: EntityManager = this.db.manager) {
    return scopeTakedownRequests(em.createQueryBuilder(TakedownRequest, 'r'), 'r', principal);
  }

  async list(ctx: PaxContext, filter: TakedownRequestFilter = {}, page: PageArgs = {}): Promise<Connection<TakedownRequest>> {
    const query = this.scoped(principalOf(ctx));
    if (filter.statuses?.length) query.andWhere('r.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.platform) query.andWhere('r.platform = :platform', { platform: filter.platform });
    if (filter.kind) query.andWhere('r.kind = :kind', { kind: filter.kind });
    if (filter.priority) query.andWhere('r.priority = :priority', { priority: filter.priority });
    if (filter.overdue !== undefined && filter.overdue !== null) {
      const overdue = 'r.status IN (:...running) AND r.deadlineAt IS NOT NULL AND r.deadlineAt < :now';
      query.andWhere(filter.overdue ? `(${overdue})` : `NOT (${overdue})`, { running: CLOCK_RUNNING, now: this.clock.now() });
    }
    for (const [key, link, column] of [
      [filter.accountId, TakedownRequestAccount, 'accountId'],
      [filter.organisationId, TakedownRequestOrganisation, 'organisationId'],
    ] as const) {
      if (!key) continue;
      const linked = query.subQuery().select('l.takedownRequestId').from(link, 'l').where(`l.${column} = :${column}`, { [column]: key });
      query.andWhere(`r.id IN ${linked.getQuery()}`, linked.getParameters());
    }
    return paginate(query, 'r', page);
  }

  async get(ctx: PaxContext, id: string): Promise<TakedownRequest> {
    const request = await this.find(principalOf(ctx), id);
    if (!request) throw notFound('TakedownRequest', id);
    return request;
  }

  private async find(principal: Principal, id: string, em?: EntityManager, lock = false): Promise<TakedownRequest | null> {
    if (!isId(id)) return null;
    const query = this.scoped(principal, em).andWhere('r.id = :id', { id });
    return (lock && em ? lockForUpdate(this.db, query) : query).getOne();
  }

  async create(ctx: PaxContext, input: CreateTakedownRequestInput): Promise<TakedownRequest> {
    const principal = principalOf(ctx);
    const accounts = await this.accounts.getMany(ctx, [...new Set(input.accountIds)]);
    const platforms = new Set(accounts.map((a) => a.platform));
    if (platforms.size > 1) throw badInput(`all accounts of a request must be on one platform, not ${[...platforms].join(' and ')}`);
    const platform = accounts[0].platform;
    const addressee = await this.partners.operatorOf(platform);
    if (!addressee) throw badInput(`no active partner operates ${platform} in PAX; register one with pax partner add`);
    const covert = accounts.some((a) => a.distribution === Distribution.ORIGINATOR_ONLY);
    const distribution = input.distribution ?? (covert ? Distribution.ORIGINATOR_ONLY : Distribution.ALL_AGENCIES);
    if (covert && distribution === Distribution.ALL_AGENCIES) {
      throw badInput('a request naming an ORIGINATOR_ONLY account must itself be ORIGINATOR_ONLY', { field: 'distribution' });
    }

    const { id, events } = await this.idempotency.run(principal, 'createTakedownRequest', input, async (em) => {
      let organisationIds = [...new Set(input.organisationIds ?? [])];
      if (input.organisationIds === undefined || input.organisationIds === null) {
        const links = await em.findBy(AccountOrganisation, { accountId: In(accounts.map((a) => a.id)) });
        organisationIds = [...new Set(links.map((l) => l.organisationId))];
      } else {
        const found = await em.findBy(Organisation, { id: In(organisationIds) });
        const missing = organisationIds.find((o) => !found.some((f) => f.id === o));
        if (missing) throw notFound('Organisation', missing);
      }
      const now = this.clock.now();
      const request = em.create(TakedownRequest, {
        id: newId(),
        status: TakedownStatus.DRAFT,
        kind: input.kind,
        priority: input.priority,
        platform,
        addressedPartnerId: addressee.id,
        originatorPartnerId: principal.partnerId,
        legalInstrument: input.legalBasis.instrument.trim(),
        legalSection: input.legalBasis.section?.trim() ?? null,
        reasons: input.reasons.map((r) => r.trim()),
        distribution,
        internalNotes: input.internalNotes ?? null,
        version: 0,
        deadlineAt: null,
        pausedRemainingMs: null,
        deadlineWarning50For: null,
        deadlineWarning90For: null,
        overdueNoticeFor: null,
        submittedAt: null,
        draftedBySub: principal.sub,
        createdAt: now,
        updatedAt: now,
      });
      await em.insert(TakedownRequest, request);
      for (const account of accounts) await em.insert(TakedownRequestAccount, { takedownRequestId: request.id, accountId: account.id });
      for (const organisationId of organisationIds) {
        await em.insert(TakedownRequestOrganisation, { takedownRequestId: request.id, organisationId });
      }
      const entry = await this.appendHistory(em, request, principal, {
        fromStatus: null,
        note: null,
        noteClassification: Classification.RESTRICTED,
      });
      return { id: request.id, events: [await this.announce(em, request, entry)] };
    });
    this.publish(events);
    return this.get(ctx, id);
  }

  async updateStatus(ctx: PaxContext, input: UpdateTakedownStatusInput): Promise<TakedownRequest> {
    const principal = principalOf(ctx);
    const { id, events } = await this.idempotency.run(principal, 'updateTakedownStatus', input, async (em) => {
      const request = await this.find(principal, input.id, em, true);
      if (!request) throw notFound('TakedownRequest', input.id);
      assertExpectedVersion(request.version, input.expectedVersion);
      const plan = planTransition(request, principal, input, this.clock.now(), this.sla);
      const fromStatus = request.status;
      const updated = await em
        .createQueryBuilder()
        .update(TakedownRequest)
        .set({ ...plan.changes, version: request.version + 1 })
        .where('id = :id AND version = :version', { id: request.id, version: request.version })
        .execute();
      if (updated.affected !== 1) throw conflict('the request changed while this update ran; read it again');
      Object.assign(request, plan.changes, { version: request.version + 1 });
      const entry = await this.appendHistory(em, request, principal, {
        fromStatus,
        reasonCode: input.reasonCode ?? null,
        action: input.action ?? null,
        note: plan.note,
        noteClassification: plan.noteClassification,
      });
      // After the history entry: the feed reads removal from the history.
      if (request.status === TakedownStatus.ACTIONED || request.status === TakedownStatus.REINSTATED) {
        await recordSignalChanges(em, (await em.findBy(TakedownRequestAccount, { takedownRequestId: request.id })).map((l) => l.accountId));
      }
      return { id: request.id, events: [await this.announce(em, request, entry)] };
    });
    this.publish(events);
    return this.get(ctx, id);
  }

  /**
   * Only the agency that sent the request answers for it; another agency that may read the request
   * is refused, and a caller who may not read it is told the flag does not exist.
   */
  async acknowledgeReviewFlag(ctx: PaxContext, input: AcknowledgeReviewFlagInput): Promise<TakedownRequest> {
    const principal = principalOf(ctx);
    const note = input.note.trim();
    if (!note) throw badInput('note must say why the request stands or what the agency does instead', { field: 'note' });
    const requestId = await inTransaction(this.db, async (em) => {
      const flag = isId(input.id) ? await em.findOneBy(ReviewFlag, { id: input.id }) : null;
      const request = flag && (await this.find(principal, flag.takedownRequestId, em, true));
      if (!flag || !request) throw notFound('ReviewFlag', input.id);
      if (request.originatorPartnerId !== principal.partnerId) throw forbidden('only the agency that sent the request may acknowledge its review flags');
      const settled = await em
        .createQueryBuilder()
        .update(ReviewFlag)
        .set({ acknowledgedAt: this.clock.now(), acknowledgedBySub: principal.sub, acknowledgementNote: note })
        .where({ id: flag.id, acknowledgedAt: IsNull() })
        .execute();
      if (settled.affected !== 1) throw invalidTransition(`review flag ${flag.id} is already acknowledged`);
      return request.id;
    });
    return this.get(ctx, requestId);
  }

  private async appendHistory(
    em: EntityManager,
    request: TakedownRequest,
    principal: Principal,
    details: Pick<StatusHistoryEntry, 'fromStatus' | 'note' | 'noteClassification'> & Partial<StatusHistoryEntry>,
  ): Promise<StatusHistoryEntry> {
    const entry = em.create(StatusHistoryEntry, {
      reasonCode: null,
      action: null,
      ...details,
      id: newId(),
      takedownRequestId: request.id,
      sequence: request.version,
      toStatus: request.status,
      actorPartnerId: principal.partnerId,
      actorSub: principal.sub,
      at: request.updatedAt,
    });
    await em.insert(StatusHistoryEntry, entry);
    return entry;
  }

  /** The change's event: written to the webhook outbox in its transaction, published after commit. */
  private async announce(em: EntityManager, request: TakedownRequest, entry: StatusHistoryEntry): Promise<TakedownStatusChangedEvent> {
    const event = { requestId: request.id, entryId: entry.id, platform: request.platform, status: request.status };
    await recordWebhookEvent(em, 'TAKEDOWN_STATUS_CHANGED', event, { objectId: request.id, objectVersion: request.version, platform: request.platform });
    return event;
  }

  private publish(events: TakedownStatusChangedEvent[]) {
    for (const event of events) this.events.publish('TAKEDOWN_STATUS_CHANGED', event);
  }

  /**
   * What a subscriber receives for one event: the request and entry as it may see them at this
   * moment, or null when it may not see them.
   */
  async deliver(principal: Principal, event: TakedownStatusChangedEvent, filter: TakedownStatusChangedFilter = {}): Promise<TakedownStatusEvent | null> {
    if (filter.requestId && filter.requestId !== event.requestId) return null;
    if (filter.platform && filter.platform !== event.platform) return null;
    if (filter.statuses?.length && !filter.statuses.includes(event.status)) return null;
    return this.deliveries.read(event.entryId, principal, () => this.readDelivery(principal, event));
  }

  private async readDelivery(principal: Principal, event: TakedownStatusChangedEvent): Promise<TakedownStatusEvent | null> {
    const request = await this.find(principal, event.requestId);
    const entry = request ? await this.db.getRepository(StatusHistoryEntry).findOneBy({ id: event.entryId }) : null;
    return request && entry ? { request, entry } : null;
  }

  /** A review flag as `principal` may see it now: only on a request it may see. */
  async deliverReviewFlag(principal: Principal, event: TakedownReviewFlaggedEvent): Promise<TakedownReviewFlagged | null> {
    const request = await this.find(principal, event.requestId);
    const flag = request && (await this.db.getRepository(ReviewFlag).findOneBy({ id: event.flagId, takedownRequestId: request.id }));
    return request && flag ? { request, flag } : null;
  }

  /** An escalation notice as a subscriber may see the request now, or null. */
  async deliverOverdue(principal: Principal, event: TakedownOverdueEvent): Promise<TakedownOverdueNotice | null> {
    const request = await this.find(principal, event.requestId);
    return request ? { request, level: event.level, deadlineAt: new Date(event.deadlineAt) } : null;
  }
}
