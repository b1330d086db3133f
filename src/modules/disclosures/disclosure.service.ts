import { DataSource, EntityManager } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { mayOpenProduction, scopeDisclosures } from '../../access/policy';
import { DeliveryCache } from '../../events/delivery-cache';
import { hasAnyRole, Principal } from '../../auth/principal';
import { AGENCY_DECIDERS, PLATFORM_CASEWORK } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { PartnerKind } from '../../common/enums';
import { assertExpectedVersion, badInput, conflict, forbidden, invalidTransition, notFound } from '../../common/errors';
import { Connection, PageArgs, paginate } from '../../common/connection';
import { isId, newId } from '../../common/ids';
import { lockForUpdate } from '../../db/dialect';
import { inTransaction } from '../../db/transaction';
import { recordWebhookEvent } from '../webhooks/outbox';
import { DisclosureChangedEvent, EventBus, PreservationExpiringEvent } from '../../events/event-bus';
import { EvidenceService, sha256Hex } from '../evidence/evidence.service';
import { PartnerDirectory } from '../partners/partner.service';
import { SlaPolicy, slaHours } from '../takedowns/sla';
import { TakedownKind, TakedownPriority } from '../takedowns/takedown.enums';
import { TakedownService } from '../takedowns/takedown.service';
import { DISCLOSURE_CLOCK_RUNNING, DisclosureHistoryEntry, DisclosureOpening, DisclosureProduction, DisclosureRequest } from './disclosure.entity';
import { DisclosureStatus as S, DisclosureType, PreservationStatus, UserNotificationStatus } from './disclosure.enums';
import { planDisclosureTransition } from './disclosure-state-machine';
import {
  CreateDisclosureRequestInput,
  DisclosureEventKind,
  DisclosureRequestFilter,
  DisclosureStatusEvent,
  OpenedDisclosure,
  PreservationHold,
  UpdateDisclosureStatusInput,
  UpdateUserNotificationInput,
} from './disclosure.types';
import { assertCovered, InstrumentRule } from './instruments';
import { Keyring } from './sealing';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PRESERVATION_DAYS = 90;
/** An extension must be asked for at least this long before expiry; the expiry notice goes out then. */
const EXTENSION_NOTICE_DAYS = 7;
const ACTIVE_HOLD = [PreservationStatus.ACTIVE, PreservationStatus.EXTENDED];

export interface DisclosureSettings {
  sla: SlaPolicy;
  instruments: InstrumentRule[];
  maxBytes: number;
}

/** The row a production's sealed bytes are bound to. */
const bindingOf = (production: Pick<DisclosureProduction, 'id' | 'disclosureRequestId'>) => `disclosure:${production.disclosureRequestId}:${production.id}`;

export class DisclosureService {
  private readonly deliveries = new DeliveryCache<DisclosureRequest | null>();

  constructor(
    private readonly db: DataSource,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly keyring: Keyring,
    private readonly settings: DisclosureSettings,
    private readonly partners: PartnerDirectory,
    private readonly takedowns: TakedownService,
    private readonly evidence: EvidenceService,
  ) {}

  private scoped(principal: Principal, em: EntityManager = this.db.manager) {
    return scopeDisclosures(em.createQueryBuilder(DisclosureRequest, 'd'), 'd', principal);
  }

  list(ctx: PaxContext, filter: DisclosureRequestFilter = {}, page: PageArgs = {}): Promise<Connection<DisclosureRequest>> {
    const query = this.scoped(principalOf(ctx));
    if (filter.statuses?.length) query.andWhere('d.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.type) query.andWhere('d.type = :type', { type: filter.type });
    if (filter.platform) query.andWhere('d.platform = :platform', { platform: filter.platform });
    return paginate(query, 'd', page);
  }

  async get(ctx: PaxContext, id: string): Promise<DisclosureRequest> {
    const request = await this.find(principalOf(ctx), id);
    if (!request) throw notFound('DisclosureRequest', id);
    return request;
  }

  private async find(principal: Principal, id: string, em?: EntityManager, lock = false): Promise<DisclosureRequest | null> {
    if (!isId(id)) return null;
    const query = this.scoped(principal, em).andWhere('d.id = :id', { id });
    return (lock && em ? lockForUpdate(this.db, query) : query).getOne();
  }

  async create(ctx: PaxContext, input: CreateDisclosureRequestInput): Promise<DisclosureRequest> {
    const principal = principalOf(ctx);
    const categories = [...new Set(input.categories)];
    assertCovered(this.settings.instruments, input.legalBasis.instrument, input.type, categories);
    if (input.dataFrom.getTime() > input.dataTo.getTime()) throw badInput('dataFrom must not be after dataTo', { field: 'dataFrom' });
    if (input.accounts.some((a) => !a.handle && !a.url && !a.platformAccountId)) {
      throw badInput('each account needs a handle, url or platformAccountId', { field: 'accounts' });
    }
    this.checkEmergency(input, categories);
    if (input.type === DisclosureType.LEGAL_PROCESS && !input.authorisation) {
      throw badInput('LEGAL_PROCESS needs the authorisation document (order, warrant or MLAT request)', { field: 'authorisation' });
    }
    const authorisation = input.authorisation ? this.evidence.decode(input.authorisation) : null;
    const addressee = await this.partners.operatorOf(input.platform);
    if (!addressee) throw badInput(`no active partner operates ${input.platform} in PAX`, { field: 'platform' });
    if (input.takedownRequestId) await this.takedowns.get(ctx, input.takedownRequestId);
    if (input.preservationRequestId) {
      const preservation = await this.get(ctx, input.preservationRequestId);
      if (preservation.type !== DisclosureType.PRESERVATION || preservation.platform !== input.platform) {
        throw badInput('preservationRequestId must name a PRESERVATION request to the same platform', { field: 'preservationRequestId' });
      }
    }
    const now = this.clock.now();
    if (input.userNotificationDelayedUntil && input.userNotificationDelayedUntil.getTime() <= now.getTime()) {
      throw badInput('userNotificationDelayedUntil must be in the future', { field: 'userNotificationDelayedUntil' });
    }
    const id = await inTransaction(this.db, async (em) => {
      const request = em.create(DisclosureRequest, {
        id: newId(),
        type: input.type,
        status: S.DRAFT,
        platform: input.platform,
        addressedPartnerId: addressee.id,
        originatorPartnerId: principal.partnerId,
        accounts: input.accounts.map((a) => ({ handle: a.handle ?? null, url: a.url ?? null, platformAccountId: a.platformAccountId ?? null })),
        categories,
        dataFrom: input.dataFrom,
        dataTo: input.dataTo,
        legalInstrument: input.legalBasis.instrument.trim(),
        legalSection: input.legalBasis.section?.trim() ?? null,
        emergency: input.emergency ?? null,
        takedownRequestId: input.takedownRequestId ?? null,
        caseReference: input.caseReference ?? null,
        preservationRequestId: input.preservationRequestId ?? null,
        version: 0,
        deadlineAt: null,
        pausedRemainingMs: null,
        submittedAt: null,
        draftedBySub: principal.sub,
        rejectionReason: null,
        userNotification: input.userNotificationDelayedUntil ? UserNotificationStatus.DELAYED_UNTIL : UserNotificationStatus.PENDING,
        userNotificationDelayedUntil: input.userNotificationDelayedUntil ?? null,
        userNotificationPromptedAt: null,
        preservationStatus: null,
        preservationExpiresAt: null,
        preservationExtendedAt: null,
        preservationNoticeFor: null,
        preservationConvertedToId: null,
        createdAt: now,
        updatedAt: now,
      });
      await em.insert(DisclosureRequest, request);
      if (input.authorisation) await this.evidence.capture(em, principal, { disclosureRequestId: request.id }, input.authorisation, authorisation);
      await this.appendHistory(em, request, principal, null, null);
      return request.id;
    });
    return this.get(ctx, id);
  }

  private checkEmergency(input: CreateDisclosureRequestInput, categories: string[]): void {
    if (input.type !== DisclosureType.EMERGENCY) {
      if (input.emergency) throw badInput('emergency details apply to EMERGENCY requests only', { field: 'emergency' });
      return;
    }
    if (!input.emergency) throw badInput('EMERGENCY needs emergency: the person at risk, the danger and why each category is needed', { field: 'emergency' });
    const justified = new Set(input.emergency.justifications.map((j) => j.category));
    const missing = categories.filter((c) => !justified.has(c as never));
    if (missing.length) throw badInput(`EMERGENCY needs a justification for ${missing.join(', ')}`, { field: 'emergency.justifications' });
  }

  async updateStatus(ctx: PaxContext, input: UpdateDisclosureStatusInput): Promise<DisclosureRequest> {
    const principal = principalOf(ctx);
    const payload = input.production ? this.decodeProduction(input) : null;
    const { id, entryId } = await inTransaction(this.db, async (em) => {
      const request = await this.lockVisible(em, principal, input.id, input.expectedVersion);
      const { note } = planDisclosureTransition(request, principal, { status: input.status, rejectionReason: input.rejectionReason, note: input.note, producing: !!payload });
      const now = this.clock.now();
      const from = request.status;
      const changes: Partial<DisclosureRequest> = { status: input.status, updatedAt: now, rejectionReason: input.rejectionReason ?? null };
      if (from === S.DRAFT && input.status === S.SUBMITTED) {
        const priority = request.type === DisclosureType.EMERGENCY ? TakedownPriority.EMERGENCY : TakedownPriority.STANDARD;
        changes.submittedAt = now;
        changes.deadlineAt = new Date(now.getTime() + slaHours(this.settings.sla, request.legalInstrument, priority, TakedownKind.ORDER) * HOUR);
        if (request.type === DisclosureType.PRESERVATION) {
          changes.preservationStatus = PreservationStatus.ACTIVE;
          changes.preservationExpiresAt = new Date(now.getTime() + PRESERVATION_DAYS * DAY);
        }
        if (request.preservationRequestId) await this.convertHold(em, request);
      } else if (input.status === S.NEEDS_MORE_INFO) {
        changes.pausedRemainingMs = Math.max(0, (request.deadlineAt?.getTime() ?? now.getTime()) - now.getTime());
        changes.deadlineAt = null;
      } else if (from === S.NEEDS_MORE_INFO) {
        changes.deadlineAt = new Date(now.getTime() + (request.pausedRemainingMs ?? 0));
        changes.pausedRemainingMs = null;
      } else if (!DISCLOSURE_CLOCK_RUNNING.includes(input.status)) {
        changes.deadlineAt = null;
      }
      // A hold ends when the platform has nothing to keep or the agency gives up on it.
      const released = [S.NO_DATA, S.REJECTED, S.WITHDRAWN].includes(input.status);
      if (released && request.preservationStatus && ACTIVE_HOLD.includes(request.preservationStatus)) {
        changes.preservationStatus = PreservationStatus.EXPIRED;
        changes.preservationExpiresAt = now;
      }
      const updated = await em
        .createQueryBuilder()
        .update(DisclosureRequest)
        .set({ ...changes, version: request.version + 1 })
        .where('id = :id AND version = :version', { id: request.id, version: request.version })
        .execute();
      if (updated.affected !== 1) throw conflict('the request changed while this update ran; read it again');
      Object.assign(request, changes, { version: request.version + 1 });
      if (payload && input.production) await this.seal(em, request, principal, payload, input.production.mediaType, input.production.categories, input.status);
      const entry = await this.appendHistory(em, request, principal, from, note);
      await recordWebhookEvent(em, 'DISCLOSURE_CHANGED', { disclosureId: request.id, entryId: entry.id, kind: DisclosureEventKind.STATUS_CHANGED }, { objectId: request.id, objectVersion: request.version });
      return { id: request.id, entryId: entry.id };
    });
    this.publish({ disclosureId: id, entryId, kind: DisclosureEventKind.STATUS_CHANGED });
    return this.get(ctx, id);
  }

  private decodeProduction(input: UpdateDisclosureStatusInput): Buffer {
    const bytes = Buffer.from(input.production!.payloadBase64, 'base64');
    if (bytes.length === 0) throw badInput('the produced payload is empty', { field: 'production.payloadBase64' });
    if (bytes.length > this.settings.maxBytes) {
      throw badInput(`the produced payload is ${bytes.length} bytes; the limit is ${this.settings.maxBytes} (PAX_DISCLOSURE_MAX_BYTES)`, { field: 'production.payloadBase64' });
    }
    return bytes;
  }

  private async seal(em: EntityManager, request: DisclosureRequest, principal: Principal, bytes: Buffer, mediaType: string, categories: DisclosureRequest['categories'], status: S) {
    const produced = [...new Set(categories)];
    const extra = produced.filter((c) => !request.categories.includes(c));
    if (extra.length) throw badInput(`the production includes ${extra.join(', ')}, which the request did not ask for and its instrument may not cover`, { field: 'production.categories' });
    if (status === S.PRODUCED_FULL && produced.length !== request.categories.length) {
      throw badInput('PRODUCED_FULL must include every category asked for; use PRODUCED_PARTIAL and say why in the note', { field: 'production.categories' });
    }
    const production = em.create(DisclosureProduction, {
      id: newId(),
      disclosureRequestId: request.id,
      producedByPartnerId: principal.partnerId,
      producedBySub: principal.sub,
      producedAt: request.updatedAt,
      categories: produced,
      mediaType,
      sizeBytes: bytes.length,
      sha256: sha256Hex(bytes),
    });
    Object.assign(production, this.keyring.seal(bytes, bindingOf(production)));
    await em.insert(DisclosureProduction, production);
  }

  private async convertHold(em: EntityManager, request: DisclosureRequest): Promise<void> {
    await em
      .createQueryBuilder()
      .update(DisclosureRequest)
      .set({ preservationStatus: PreservationStatus.CONVERTED, preservationConvertedToId: request.id })
      .where('id = :id AND originatorPartnerId = :agency AND preservationStatus IN (:...active)', {
        id: request.preservationRequestId,
        agency: request.originatorPartnerId,
        active: ACTIVE_HOLD,
      })
      .execute();
  }

  private async lockVisible(em: EntityManager, principal: Principal, id: string, expectedVersion?: number | null): Promise<DisclosureRequest> {
    const request = await this.find(principal, id, em, true);
    if (!request) throw notFound('DisclosureRequest', id);
    assertExpectedVersion(request.version, expectedVersion);
    return request;
  }

  /** ACTIVE → EXTENDED by a further 90 days: once, and at least 7 days before expiry. */
  async extendPreservation(ctx: PaxContext, id: string, expectedVersion?: number | null): Promise<DisclosureRequest> {
    const principal = principalOf(ctx);
    await inTransaction(this.db, async (em) => {
      const request = await this.lockVisible(em, principal, id, expectedVersion);
      if (principal.partnerKind !== PartnerKind.AGENCY || principal.partnerId !== request.originatorPartnerId || !hasAnyRole(principal, AGENCY_DECIDERS)) {
        throw forbidden('only a supervisor or system of the requesting agency may extend a preservation');
      }
      const now = this.clock.now();
      if (request.preservationStatus === PreservationStatus.EXTENDED) throw invalidTransition('this preservation was extended once already; send legal process instead');
      if (request.preservationStatus !== PreservationStatus.ACTIVE || !request.preservationExpiresAt) {
        throw invalidTransition(`only an ACTIVE preservation can be extended, not ${request.preservationStatus ?? 'a request without one'}`);
      }
      const latest = request.preservationExpiresAt.getTime() - EXTENSION_NOTICE_DAYS * DAY;
      if (now.getTime() > latest) {
        throw invalidTransition(`an extension must be asked for at least ${EXTENSION_NOTICE_DAYS} days before expiry (by ${new Date(latest).toISOString()})`);
      }
      await em.update(DisclosureRequest, { id: request.id }, {
        preservationStatus: PreservationStatus.EXTENDED,
        preservationExtendedAt: now,
        preservationExpiresAt: new Date(request.preservationExpiresAt.getTime() + PRESERVATION_DAYS * DAY),
        updatedAt: now,
      });
    });
    return this.get(ctx, id);
  }

  /**
   * Agencies delay notice under a non-disclosure order, or waive it in an emergency; the platform
   * reports SENT, which a running delay forbids.
   */
  async updateUserNotification(ctx: PaxContext, input: UpdateUserNotificationInput): Promise<DisclosureRequest> {
    const principal = principalOf(ctx);
    await inTransaction(this.db, async (em) => {
      const request = await this.lockVisible(em, principal, input.id);
      const now = this.clock.now();
      const changes: Partial<DisclosureRequest> = { userNotification: input.status, userNotificationDelayedUntil: null, updatedAt: now };
      if (principal.partnerKind === PartnerKind.PLATFORM) {
        if (!hasAnyRole(principal, PLATFORM_CASEWORK)) throw forbidden('only the addressed platform may report notice to the user');
        if (input.status !== UserNotificationStatus.SENT) throw invalidTransition('a platform can only report SENT');
        const until = request.userNotificationDelayedUntil;
        if (request.userNotification === UserNotificationStatus.DELAYED_UNTIL && until && until.getTime() > now.getTime()) {
          throw invalidTransition(`a non-disclosure order forbids notice until ${until.toISOString()}`);
        }
      } else {
        if (!hasAnyRole(principal, AGENCY_DECIDERS)) throw forbidden('user notification needs AGENCY_SUPERVISOR or AGENCY_SYSTEM');
        if (input.status === UserNotificationStatus.SENT) throw invalidTransition('only the platform reports SENT');
        if (input.status === UserNotificationStatus.WAIVED_EMERGENCY && request.type !== DisclosureType.EMERGENCY) {
          throw invalidTransition('notice can be waived for EMERGENCY requests only');
        }
        if (input.status === UserNotificationStatus.DELAYED_UNTIL) {
          if (!input.delayedUntil || input.delayedUntil.getTime() <= now.getTime()) throw badInput('DELAYED_UNTIL needs a future delayedUntil', { field: 'delayedUntil' });
          changes.userNotificationDelayedUntil = input.delayedUntil;
          changes.userNotificationPromptedAt = null;
        }
      }
      if (input.status !== UserNotificationStatus.DELAYED_UNTIL && input.delayedUntil) throw badInput('delayedUntil applies to DELAYED_UNTIL only', { field: 'delayedUntil' });
      await em.update(DisclosureRequest, { id: request.id }, changes);
    });
    return this.get(ctx, input.id);
  }

  /** Opens a sealed production for its requesting agency's disclosure reader, or its producer. Recorded. */
  async open(ctx: PaxContext, id: string, purpose: string): Promise<OpenedDisclosure> {
    const principal = principalOf(ctx);
    if (purpose.trim().length < 10) throw badInput('say why you open this disclosure (at least 10 characters)', { field: 'purpose' });
    return inTransaction(this.db, async (em) => {
      const request = await this.find(principal, id, em);
      const production = request ? await em.findOneBy(DisclosureProduction, { disclosureRequestId: request.id }) : null;
      if (!request || !production || !mayOpenProduction(principal, request, production.producedByPartnerId)) throw notFound('DisclosureProduction', id);
      const openedAt = this.clock.now();
      const payload = this.keyring.open(production, bindingOf(production));
      await em.insert(DisclosureOpening, {
        id: newId(),
        disclosureRequestId: request.id,
        partnerId: principal.partnerId,
        sub: principal.sub,
        purpose: purpose.trim(),
        at: openedAt,
        requestId: ctx.requestId,
      });
      return { disclosureRequestId: request.id, mediaType: production.mediaType, payloadBase64: payload.toString('base64'), sha256: production.sha256, producedAt: production.producedAt, openedAt };
    });
  }

  /**
   * The scheduled sweep: expires holds past their date, sends each "expiring soon" notice once,
   * and prompts platforms whose non-disclosure delay has ended. Every notice is claimed by a
   * conditional UPDATE first, so with several instances each goes out exactly once.
   */
  async sweep(): Promise<{ expired: number; expiring: number; notificationsDue: number }> {
    const now = this.clock.now();
    const repository = this.db.getRepository(DisclosureRequest);
    const expired = await inTransaction(this.db, (em) =>
      em
        .createQueryBuilder()
        .update(DisclosureRequest)
        .set({ preservationStatus: PreservationStatus.EXPIRED })
        .where('preservationStatus IN (:...active) AND preservationExpiresAt <= :now', { active: ACTIVE_HOLD, now })
        .execute(),
    );
    const soon = new Date(now.getTime() + EXTENSION_NOTICE_DAYS * DAY);
    const expiring = await repository
      .createQueryBuilder('d')
      .where('d.preservationStatus IN (:...active) AND d.preservationExpiresAt <= :soon', { active: ACTIVE_HOLD, soon })
      .andWhere('(d.preservationNoticeFor IS NULL OR d.preservationNoticeFor <> d.preservationExpiresAt)')
      .getMany();
    let noticed = 0;
    for (const hold of expiring) {
      const event = { disclosureId: hold.id, expiresAt: hold.preservationExpiresAt!.toISOString() };
      const claimed = await this.claim(hold.id, 'preservationNoticeFor', hold.preservationNoticeFor, hold.preservationExpiresAt!, (em) =>
        recordWebhookEvent(em, 'PRESERVATION_EXPIRING', event, { objectId: hold.id, objectVersion: hold.version }),
      );
      if (!claimed) continue;
      noticed++;
      this.events.publish('PRESERVATION_EXPIRING', event);
    }
    const due = await repository
      .createQueryBuilder('d')
      .where('d.userNotification = :delayed AND d.userNotificationDelayedUntil <= :now AND d.userNotificationPromptedAt IS NULL', { delayed: UserNotificationStatus.DELAYED_UNTIL, now })
      .getMany();
    let prompted = 0;
    for (const request of due) {
      const event = { disclosureId: request.id, entryId: null, kind: DisclosureEventKind.USER_NOTIFICATION_DUE };
      const claimed = await this.claim(request.id, 'userNotificationPromptedAt', null, now, (em) =>
        recordWebhookEvent(em, 'DISCLOSURE_CHANGED', event, { objectId: request.id, objectVersion: request.version }),
      );
      if (!claimed) continue;
      prompted++;
      this.publish(event);
    }
    return { expired: expired.affected ?? 0, expiring: noticed, notificationsDue: prompted };
  }

  /** Claims a notice once across instances; `withClaim` (the webhook outbox row) commits with the claim. */
  private claim(id: string, column: 'preservationNoticeFor' | 'userNotificationPromptedAt', seen: Date | null, value: Date, withClaim: (em: EntityManager) => Promise<void>): Promise<boolean> {
    return inTransaction(this.db, async (em) => {
      const query = em.createQueryBuilder().update(DisclosureRequest).set({ [column]: value }).where('id = :id', { id });
      const result = await (seen ? query.andWhere(`${column} = :seen`, { seen }) : query.andWhere(`${column} IS NULL`)).execute();
      if (result.affected !== 1) return false;
      await withClaim(em);
      return true;
    });
  }

  preservationOf(request: DisclosureRequest): PreservationHold | null {
    if (!request.preservationStatus || !request.preservationExpiresAt) return null;
    return {
      status: request.preservationStatus,
      expiresAt: request.preservationExpiresAt,
      extendedAt: request.preservationExtendedAt,
      convertedToId: request.preservationConvertedToId,
    };
  }

  private async appendHistory(em: EntityManager, request: DisclosureRequest, principal: Principal, fromStatus: S | null, note: string | null) {
    const entry = em.create(DisclosureHistoryEntry, {
      id: newId(),
      disclosureRequestId: request.id,
      sequence: request.version,
      fromStatus,
      toStatus: request.status,
      actorPartnerId: principal.partnerId,
      actorSub: principal.sub,
      at: request.updatedAt,
      note,
    });
    await em.insert(DisclosureHistoryEntry, entry);
    return entry;
  }

  private publish(event: DisclosureChangedEvent) {
    this.events.publish('DISCLOSURE_CHANGED', event);
  }

  async deliverChange(principal: Principal, event: DisclosureChangedEvent, disclosureId?: string | null): Promise<DisclosureStatusEvent | null> {
    if (disclosureId && disclosureId !== event.disclosureId) return null;
    const disclosure = await this.deliveries.read(`${event.kind}|${event.entryId ?? event.disclosureId}`, principal, () => this.find(principal, event.disclosureId));
    if (!disclosure) return null;
    const entry = event.entryId ? await this.db.getRepository(DisclosureHistoryEntry).findOneBy({ id: event.entryId }) : null;
    return { disclosure, kind: event.kind as DisclosureEventKind, entry };
  }

  async deliverExpiring(principal: Principal, event: PreservationExpiringEvent) {
    const disclosure = await this.deliveries.read(`expiring|${event.disclosureId}|${event.expiresAt}`, principal, () => this.find(principal, event.disclosureId));
    return disclosure ? { disclosure, expiresAt: new Date(event.expiresAt) } : null;
  }
}
