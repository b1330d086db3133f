import type { Logger } from 'pino';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DataSource, In, IsNull } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { Clock } from '../../common/clock';
import { scopeMirrorAlerts, scopeReviewableMirrorAlerts } from '../../access/policy';
import { Principal } from '../../auth/principal';
import { Distribution, Platform } from '../../common/enums';
import { badInput, forbidden, invalidTransition, notFound } from '../../common/errors';
import { Connection, PageArgs, paginate } from '../../common/connection';
import { isId, newId } from '../../common/ids';
import { inTransaction } from '../../db/transaction';
import { recordWebhookEvents } from '../webhooks/outbox';
import { EventBus, MirrorAlertRaisedEvent, TakedownStatusChangedEvent } from '../../events/event-bus';
import { Account, AccountOrganisation } from '../accounts/account.entity';
import { readRemovedAccounts } from './removed-accounts';
import { SignalService } from '../signals/signal.service';
import type { IndexChanges } from './engine/index-thread';
import { handleKey } from '../accounts/account.service';
import { hashAvatarImages } from '../accounts/avatar-upload';
import { Organisation } from '../organisations/organisation.entity';
import { StatusHistoryEntry, TakedownRequest, TakedownRequestAccount, TakedownRequestOrganisation } from '../takedowns/takedown.entity';
import { TakedownStatus } from '../takedowns/takedown.enums';
import { TakedownService } from '../takedowns/takedown.service';
import { MirrorMatch, RemovedAccount, ScreeningSubject, ScreenOptions } from './engine/mirror-index';
import { screeningAvatar } from './engine/avatar-variants';
import { PDQ_MIN_QUALITY } from './engine/pdq';
import { MirrorVerdict, POSSIBLE_THRESHOLD } from './engine/model';
import { TaskPool, WorkerLimits } from '../../workers/task-pool';
import { InlineMirrorIndex, MirrorIndexHandle, MirrorIndexWorker } from './mirror-index-worker';
import { CandidateSnapshot, MirrorAlert, MirrorAlertSource, MirrorAlertStatus, RemovedAccountSnapshot } from './mirror-alert.entity';
import { MirrorAlertFilter, MirrorMatchView, RecordPlatformMirrorDecisionInput, ReviewMirrorAlertInput, ScreenAccountInput, ScreeningResult } from './mirror.types';

const ALERTS_PER_TRANSACTION = 100;
const BUILD_BATCH = 5000;

/**
 * Mirror detection as a service: keeps the mirror index in step with the database, screens
 * sign-ups for platforms and flagged accounts for agencies, and runs the alert review workflow. The
 * index lives in its own thread (see MirrorIndexWorker); this side only reads the database and
 * posts changes and screenings to it.
 */
export class MirrorService {
  index!: MirrorIndexHandle;
  /** Settles when the index holds every removed account; screenings wait for it. */
  private ready!: Promise<void>;
  /**
   * Index changes, one after another: each reads the database and then posts, so a change read
   * later is never overtaken by one read earlier (a rebuild batch and a reinstatement, say).
   */
  private changes: Promise<unknown> = Promise.resolve();
  private following?: AsyncIterator<TakedownStatusChangedEvent>;
  private followed?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly db: DataSource,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly takedowns: TakedownService,
    private readonly workers: TaskPool,
    private readonly limits: WorkerLimits,
    private readonly clock: Clock,
    private readonly signals: SignalService,
  ) {}

  /** Builds the index from every removed account; then follows ACTIONED and REINSTATED changes. */
  async start(): Promise<void> {
    this.open();
    await this.ready;
    this.followed = this.follow();
  }

  private open(): void {
    this.index = this.limits.threads > 0 ? new MirrorIndexWorker(this.limits.screeningQueue, (error) => this.rebuild(error)) : new InlineMirrorIndex();
    this.ready = this.build();
  }

  /** A dead index thread is replaced and refilled from the database; screenings wait meanwhile. */
  private rebuild(error: Error): void {
    if (this.stopping) return;
    this.log.error({ err: error }, 'the mirror index thread failed; rebuilding the index in a new thread');
    this.open();
    this.ready.catch((err) => this.log.error({ err }, 'rebuilding the mirror index failed; screenings fail until PAX restarts'));
  }

  /**
   * Loads the index from the signal feed's change log, where every removed account is stored with
   * its keys computed: nothing is normalised or hashed at start. Changes the log receives meanwhile
   * are caught up on afterwards, from the database like any later change.
   */
  private async build(): Promise<void> {
    const started = Date.now();
    // The index this build fills: if its thread dies, `rebuild` opens another and builds it again,
    // and a page of this build read meanwhile must go to the dead one, not to the new one.
    const index = this.index;
    const cursor = await this.signals.head();
    let indexed = 0;
    let reserve: number | undefined = await this.signals.entriesAtMost();
    // One page in flight while the next is read: the index thread indexes as this thread reads the
    // database, where reading and indexing took turns. The thread applies messages in the order they
    // are posted, and nothing else changes the index before it is ready, so pages skip the queue.
    let inFlight: Promise<number> | null = null;
    for await (const page of this.signals.entriesAt(cursor, BUILD_BATCH)) {
      const posted = index.apply({ add: [], remove: [], reserve, signals: page.map((row) => ({ id: row.accountId, payload: row.payload })) });
      // Awaited on the next page; a failure of the page before it ends the build first.
      posted.catch(() => undefined);
      reserve = undefined;
      if (inFlight) indexed = await inFlight;
      inFlight = posted;
      this.log.info({ indexed }, 'loading the mirror index from the signal feed');
    }
    if (inFlight) indexed = await inFlight;
    // Ends the bulk load: the index builds the tables it deferred.
    await this.post({ add: [], remove: [] });
    const changed = await this.signals.accountsChangedAfter(cursor);
    if (changed.length) indexed = await this.refreshAccounts(changed);
    this.log.info({ indexed, cursor, ms: Date.now() - started }, 'mirror index ready');
  }

  /** Every instance hears every status change through the bus, so all indexes stay in step. */
  private async follow() {
    this.following = this.events.subscribe('TAKEDOWN_STATUS_CHANGED')[Symbol.asyncIterator]();
    for (let next = await this.following.next(); !next.done; next = await this.following.next()) {
      const event: TakedownStatusChangedEvent = next.value;
      if (event.status === TakedownStatus.ACTIONED || event.status === TakedownStatus.REINSTATED) {
        await this.refresh([event.requestId]).catch((err) => this.log.error({ err }, 'mirror index update failed'));
      }
    }
  }

  /** Stops following, after any index update in flight, then ends the index thread. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.following?.return?.();
    await this.followed;
    await this.changes;
    await this.index?.close();
  }

  /** Re-reads the accounts of these requests and indexes those that stand removed; resolves with the index size. */
  private refresh(requestIds: string[]): Promise<number> {
    return this.enqueue(async () => {
      const links = requestIds.length ? await this.db.getRepository(TakedownRequestAccount).findBy({ takedownRequestId: In(requestIds) }) : [];
      return this.applyAccounts([...new Set(links.map((l) => l.accountId))]);
    });
  }

  private refreshAccounts(accountIds: string[]): Promise<number> {
    return this.enqueue(() => this.applyAccounts(accountIds));
  }

  private post(changes: IndexChanges): Promise<number> {
    return this.enqueue(() => this.index.apply(changes));
  }

  private async applyAccounts(accountIds: string[]): Promise<number> {
    const removed = await this.removedAccounts(accountIds);
    return this.index.apply({ add: removed.flatMap((r) => (r.account ? [r.account] : [])), remove: removed.filter((r) => !r.account).map((r) => r.id) });
  }

  private enqueue(work: () => Promise<number>): Promise<number> {
    const done = this.changes.then(work);
    this.changes = done.catch(() => undefined);
    return done;
  }

  /** The ids among these that stand removed now, read from the database rather than the index. */
  async removed(accountIds: string[]): Promise<Set<string>> {
    return new Set((await this.removedAccounts(accountIds)).filter((r) => r.account).map((r) => r.id));
  }

  private removedAccounts(accountIds: string[]): Promise<{ id: string; account: RemovedAccount | null }[]> {
    return readRemovedAccounts(this.db.manager, accountIds);
  }

  /**
   * Screens sign-ups for a platform; a match of POSSIBLE_MIRROR or more raises an alert. Every
   * profile is hashed and screened before the first alert is written, so a refusal (a bad avatar, a
   * full queue) leaves nothing behind.
   */
  async screen(ctx: PaxContext, inputs: ScreenAccountInput[]): Promise<ScreeningResult[]> {
    const principal = principalOf(ctx);
    const foreign = inputs.find((i) => !principal.platforms.includes(i.platform));
    if (foreign) throw badInput(`you screen sign-ups on your own platforms (${principal.platforms.join(', ')}), not ${foreign.platform}`);
    const { subjects, plainHashes } = await this.subjectsOf(inputs);
    const screened = await this.screenSubjects(subjects, { limit: 5, minProbability: 0.2 });
    const snapshots = await this.snapshots(screened.flat().map((m) => m.account));
    const alarming = inputs.flatMap((input, i) => {
      const best = screened[i][0];
      return best && best.probability >= POSSIBLE_THRESHOLD ? [{ index: i, candidateAccountId: null, candidate: snapshotOf(input, plainHashes[i]), match: best }] : [];
    });
    const raised = await this.raise(principal, MirrorAlertSource.SCREENING, alarming);
    const alertOf = new Map(alarming.map(({ index }, n) => [index, raised[n]]));
    let viewed = 0;
    return inputs.map((input, i) => ({
      handle: input.handle,
      verdict: screened[i][0]?.verdict ?? MirrorVerdict.NO_MATCH,
      probability: screened[i][0]?.probability ?? 0,
      matches: screened[i].map((m) => viewOf(m, snapshots[viewed++])),
      alert: alertOf.get(i) ?? null,
    }));
  }

  /** Screens an account an agency has just flagged. */
  async screenFlagged(ctx: PaxContext, account: Account): Promise<void> {
    const organisationIds = (await this.db.getRepository(AccountOrganisation).findBy({ accountId: account.id })).map((l) => l.organisationId);
    const subject: ScreeningSubject = {
      platform: account.platform,
      handle: account.handle,
      displayName: account.displayName,
      bio: account.bio,
      links: account.links ?? [],
      // Hashed from an image, the plain hash carries its quality and the forms were filtered already.
      avatarPdq: [...(account.avatarPdq && (account.avatarQuality ?? 100) >= PDQ_MIN_QUALITY ? [account.avatarPdq] : []), ...(account.avatarVariants ?? [])],
      organisationIds,
    };
    const [matches] = await this.screenSubjects([subject], { limit: 2 });
    const best = matches.find((m) => m.account.id !== account.id);
    if (best && best.probability >= POSSIBLE_THRESHOLD) {
      await this.raise(principalOf(ctx), MirrorAlertSource.FLAGGED, [{ candidateAccountId: account.id, candidate: snapshotOf({ ...account, links: account.links ?? [] }, account.avatarPdq && (account.avatarQuality ?? 100) >= PDQ_MIN_QUALITY ? account.avatarPdq : null), match: best }]);
    }
  }

  /** Never from a half-built index: a screening waits for the build (or the rebuild after a crash). */
  private async screenSubjects(subjects: ScreeningSubject[], options: ScreenOptions): Promise<MirrorMatch[][]> {
    await this.ready;
    return this.index.screen(subjects, { ...options, now: this.clock.now().getTime() });
  }

  /** The subjects to screen; uploaded avatars are hashed in the worker pool, all in one task. */
  /**
   * The subjects to screen, and each one's plain PDQ for its alert: only a Meta-compatible hash of
   * quality 50 or more, never one of PAX's forms, which must not reach a stored account or HMA.
   */
  private async subjectsOf(inputs: ScreenAccountInput[]): Promise<{ subjects: ScreeningSubject[]; plainHashes: (string | null)[] }> {
    const hashes = await hashAvatarImages(this.workers, inputs);
    const subjects = inputs.map((input, i) => {
      const avatar = hashes[i] ? screeningAvatar(hashes[i]!) : { avatarPdq: input.avatarPdq ? [input.avatarPdq.toLowerCase()] : [], avatarQuality: null };
      return { platform: input.platform, handle: input.handle, displayName: input.displayName, bio: input.bio, links: input.links ?? [], ...avatar };
    });
    const plainHashes = inputs.map((input, i) => {
      const hashed = hashes[i];
      if (hashed) return hashed.quality >= PDQ_MIN_QUALITY ? hashed.hex : null;
      return input.avatarPdq?.toLowerCase() ?? null;
    });
    return { subjects, plainHashes };
  }

  /**
   * Raises an alert for each best match, a hundred per transaction, yielding to the event loop
   * between transactions: on SQLite every statement runs on it, and a thousand one-row
   * transactions in a row held every other request.
   */
  private async raise(principal: Principal, source: MirrorAlertSource, matches: { candidateAccountId: string | null; candidate: CandidateSnapshot; match: MirrorMatch }[]): Promise<MirrorAlert[]> {
    const snapshots = await this.snapshots(matches.map((m) => m.match.account));
    const alerts = matches.map(({ candidateAccountId, candidate, match }, i) =>
      this.db.getRepository(MirrorAlert).create({
        id: newId(),
        source,
        platform: candidate.platform,
        candidateAccountId,
        candidate,
        matchedAccountId: match.account.id,
        matched: snapshots[i],
        probability: match.probability,
        verdict: match.verdict,
        signals: match.signals.map((s) => s.text),
        status: MirrorAlertStatus.PENDING_REVIEW,
        raisedByPartnerId: principal.partnerId,
        reviewedBySub: null,
        reviewNote: null,
        reviewedAt: null,
        draftRequestId: null,
        createdAt: new Date(),
      }),
    );
    for (let start = 0; start < alerts.length; start += ALERTS_PER_TRANSACTION) {
      const batch = alerts.slice(start, start + ALERTS_PER_TRANSACTION);
      await inTransaction(this.db, async (em) => {
        await em.insert(MirrorAlert, batch);
        await recordWebhookEvents(em, 'MIRROR_ALERT_RAISED', batch.map((alert) => ({ body: { alertId: alert.id, platform: alert.platform }, subject: { objectId: alert.id, objectVersion: 0, platform: alert.platform } })));
      });
      for (const alert of batch) this.events.publish('MIRROR_ALERT_RAISED', { alertId: alert.id, platform: alert.platform } satisfies MirrorAlertRaisedEvent);
      await nextTurn();
    }
    return alerts;
  }

  private async snapshots(accounts: RemovedAccount[]): Promise<RemovedAccountSnapshot[]> {
    const organisationIds = [...new Set(accounts.flatMap((a) => a.organisationIds ?? []))];
    const organisations = organisationIds.length ? await this.db.getRepository(Organisation).findBy({ id: In(organisationIds) }) : [];
    return accounts.map((a) => ({
      platform: a.platform as Platform,
      handle: a.handle,
      displayName: a.displayName ?? null,
      organisations: organisations.filter((o) => a.organisationIds?.includes(o.id)).map((o) => o.name),
      removedAt: a.removedAt.toISOString(),
    }));
  }

  private scoped(principal: Principal) {
    return scopeMirrorAlerts(this.db.getRepository(MirrorAlert).createQueryBuilder('m'), 'm', principal);
  }

  async list(ctx: PaxContext, filter: MirrorAlertFilter = {}, page: PageArgs = {}): Promise<Connection<MirrorAlert>> {
    const query = this.scoped(principalOf(ctx));
    if (filter.statuses?.length) query.andWhere('m.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.platform) query.andWhere('m.platform = :platform', { platform: filter.platform });
    return paginate(query, 'm', page);
  }

  async find(principal: Principal, id: string): Promise<MirrorAlert | null> {
    return isId(id) ? this.scoped(principal).andWhere('m.id = :id', { id }).getOne() : null;
  }

  async get(ctx: PaxContext, id: string): Promise<MirrorAlert> {
    const alert = await this.find(principalOf(ctx), id);
    if (!alert) throw notFound('MirrorAlert', id);
    return alert;
  }

  /**
   * An agency's decision. Confirming links the candidate to the removed account (recording a
   * screened sign-up as a flagged account first) and can draft a takedown request pre-filled from
   * the request that removed the original, for a supervisor to submit.
   */
  async review(ctx: PaxContext, input: ReviewMirrorAlertInput): Promise<MirrorAlert> {
    const principal = principalOf(ctx);
    if (input.createTakedownDraft && input.decision !== 'CONFIRMED') throw badInput('createTakedownDraft goes with CONFIRMED');
    const alert = await this.get(ctx, input.id);
    const reviewable = await scopeReviewableMirrorAlerts(this.db.getRepository(MirrorAlert).createQueryBuilder('m'), 'm', principal).andWhere('m.id = :id', { id: alert.id }).getExists();
    if (!reviewable) throw forbidden('only the agency that flagged or removed the original account reviews its mirror alerts');
    if (alert.status !== MirrorAlertStatus.PENDING_REVIEW) throw invalidTransition(`the alert is already ${alert.status}`);
    // Read before anything is written, so that an original with no request to copy refuses the whole review.
    const template = input.createTakedownDraft ? await this.draftFromOriginal(alert.matchedAccountId) : null;
    const candidateId = await inTransaction(this.db, async (em) => {
      const claimed = await em.update(MirrorAlert, { id: alert.id, status: MirrorAlertStatus.PENDING_REVIEW }, {
        status: input.decision === 'CONFIRMED' ? MirrorAlertStatus.CONFIRMED : MirrorAlertStatus.DISMISSED,
        reviewedBySub: principal.sub,
        reviewNote: input.note ?? null,
        reviewedAt: new Date(),
      });
      if (claimed.affected !== 1) throw invalidTransition('the alert was reviewed meanwhile');
      if (input.decision !== 'CONFIRMED') return null;
      let id = alert.candidateAccountId;
      if (!id) {
        const c = alert.candidate;
        id = newId();
        await em.insert(Account, {
          id, platform: c.platform, handle: c.handle, handleKey: handleKey(c.handle), platformAccountId: null, displayName: c.displayName,
          url: null, bio: c.bio, avatarPdq: c.avatarPdq, avatarQuality: null, links: c.links, mirrorOfAccountId: null,
          distribution: Distribution.ALL_AGENCIES, internalNotes: null, flaggedByPartnerId: principal.partnerId, flaggedBySub: principal.sub, createdAt: new Date(),
        });
        const organisations = await em.findBy(AccountOrganisation, { accountId: alert.matchedAccountId });
        for (const o of organisations) await em.insert(AccountOrganisation, { accountId: id, organisationId: o.organisationId });
      }
      await em.update(Account, { id }, { mirrorOfAccountId: alert.matchedAccountId });
      await em.update(MirrorAlert, { id: alert.id }, { candidateAccountId: id });
      return id;
    });
    if (candidateId && template) {
      const draft = await this.takedowns.create(ctx, { ...template, accountIds: [candidateId] });
      await this.db.getRepository(MirrorAlert).update({ id: alert.id }, { draftRequestId: draft.id });
    }
    return this.get(ctx, alert.id);
  }

  /**
   * A platform's own decision on an alert on its platform: it acts on sign-ups under its own
   * policy, and the owning agency sees what it decided beside the signals. Only the first decision
   * counts; changing it would rewrite what the agency may already have relied on.
   */
  async recordPlatformDecision(ctx: PaxContext, input: RecordPlatformMirrorDecisionInput): Promise<MirrorAlert> {
    const principal = principalOf(ctx);
    const alert = await this.get(ctx, input.id);
    if (alert.platformDecision) throw invalidTransition(`the platform already decided ${alert.platformDecision} on this alert`);
    const claimed = await this.db.getRepository(MirrorAlert).update(
      { id: alert.id, platformDecision: IsNull() },
      { platformDecision: input.decision, platformDecidedBySub: principal.sub, platformDecisionNote: input.note ?? null, platformDecidedAt: new Date() },
    );
    if (claimed.affected !== 1) throw invalidTransition('the platform decided on this alert meanwhile');
    return this.get(ctx, alert.id);
  }

  private async draftFromOriginal(originalAccountId: string) {
    const requestIds = (await this.db.getRepository(TakedownRequestAccount).findBy({ accountId: originalAccountId })).map((l) => l.takedownRequestId);
    const actioned = requestIds.length
      ? await this.db.getRepository(StatusHistoryEntry).findOne({ where: { takedownRequestId: In(requestIds), toStatus: TakedownStatus.ACTIONED }, order: { at: 'DESC' } })
      : null;
    const original = actioned ? await this.db.getRepository(TakedownRequest).findOneBy({ id: actioned.takedownRequestId }) : null;
    if (!original) throw badInput('no actioned request for the original account to copy a draft from');
    const organisationIds = (await this.db.getRepository(TakedownRequestOrganisation).findBy({ takedownRequestId: original.id })).map((l) => l.organisationId);
    return {
      kind: original.kind,
      priority: original.priority,
      legalBasis: { instrument: original.legalInstrument, section: original.legalSection ?? undefined },
      reasons: [...original.reasons, `Mirror of an account removed under request ${original.id}`],
      organisationIds,
      distribution: undefined,
      internalNotes: `Drafted from mirror alert review; original request ${original.id}.`,
    };
  }

  /** A subscriber's view of a raised alert, or null when it may not see it. */
  /** An alert as a subscriber may see it now, or null. */
  deliver(principal: Principal, event: MirrorAlertRaisedEvent): Promise<MirrorAlert | null> {
    return this.find(principal, event.alertId);
  }
}

function viewOf(match: MirrorMatch, snapshot: RemovedAccountSnapshot): MirrorMatchView {
  return {
    probability: match.probability,
    verdict: match.verdict,
    signals: match.signals.map((s) => s.text),
    removedAccount: { ...snapshot, removedAt: new Date(snapshot.removedAt) },
  };
}

function snapshotOf(input: { platform: Platform; handle: string; displayName?: string | null; bio?: string | null; links?: string[] | null }, plainPdq: string | null): CandidateSnapshot {
  return {
    platform: input.platform,
    handle: input.handle,
    displayName: input.displayName ?? null,
    bio: input.bio ?? null,
    links: input.links ?? [],
    avatarPdq: plainPdq,
  };
}
