import type { Logger } from 'pino';
import { DataSource, In } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { groupBy } from '../../common/group-by';
import { scopeMirrorAlerts } from '../../access/policy';
import { Principal } from '../../auth/principal';
import { Distribution, Platform } from '../../common/enums';
import { badInput, invalidTransition, notFound } from '../../common/errors';
import { Connection, PageArgs, paginate } from '../../common/connection';
import { isId, newId } from '../../common/ids';
import { inTransaction } from '../../db/transaction';
import { EventBus, MirrorAlertRaisedEvent, TakedownStatusChangedEvent } from '../../events/event-bus';
import { Account, AccountOrganisation } from '../accounts/account.entity';
import { handleKey } from '../accounts/account.service';
import { Organisation } from '../organisations/organisation.entity';
import { StatusHistoryEntry, TakedownRequest, TakedownRequestAccount, TakedownRequestOrganisation } from '../takedowns/takedown.entity';
import { TakedownStatus } from '../takedowns/takedown.enums';
import { TakedownService } from '../takedowns/takedown.service';
import { MirrorIndex, MirrorMatch, RemovedAccount, ScreeningSubject } from './engine/mirror-index';
import { MirrorVerdict, POSSIBLE_THRESHOLD } from './engine/model';
import { pdqFromImage } from './engine/pdq-image';
import { CandidateSnapshot, MirrorAlert, MirrorAlertSource, MirrorAlertStatus, RemovedAccountSnapshot } from './mirror-alert.entity';
import { MAX_AVATAR_BYTES, MirrorAlertFilter, MirrorMatchView, ReviewMirrorAlertInput, ScreenAccountInput, ScreeningResult } from './mirror.types';

const BUILD_BATCH = 5000;

/**
 * Mirror detection as a service: keeps the in-memory index in step with the database, screens
 * sign-ups for platforms and flagged accounts for agencies, and runs the alert review workflow.
 */
export class MirrorService {
  readonly index = new MirrorIndex();
  private following?: AsyncIterator<TakedownStatusChangedEvent>;
  private followed?: Promise<void>;

  constructor(
    private readonly db: DataSource,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly takedowns: TakedownService,
  ) {}

  /** Loads every removed account, logging progress; then follows ACTIONED and REINSTATED changes. */
  async start(): Promise<void> {
    const started = Date.now();
    const requestIds = (await this.db.getRepository(StatusHistoryEntry).find({ select: { takedownRequestId: true }, where: { toStatus: TakedownStatus.ACTIONED } })).map((h) => h.takedownRequestId);
    const unique = [...new Set(requestIds)];
    for (let i = 0; i < unique.length; i += BUILD_BATCH) {
      await this.refresh(unique.slice(i, i + BUILD_BATCH));
      this.log.info({ requests: Math.min(i + BUILD_BATCH, unique.length), of: unique.length, indexed: this.index.size }, 'building the mirror index');
    }
    this.log.info({ indexed: this.index.size, ms: Date.now() - started }, 'mirror index ready');
    this.followed = this.follow();
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

  /** Stops following, after any index update in flight, so the pool is not closed under it. */
  async stop(): Promise<void> {
    await this.following?.return?.();
    await this.followed;
  }

  /** Re-reads the accounts of these requests and indexes those that stand removed. */
  private async refresh(requestIds: string[]): Promise<void> {
    if (!requestIds.length) return;
    const links = await this.db.getRepository(TakedownRequestAccount).findBy({ takedownRequestId: In(requestIds) });
    const accountIds = [...new Set(links.map((l) => l.accountId))];
    for (const removed of await this.removedAccounts(accountIds)) {
      if (removed.account) this.index.add(removed.account);
      else this.index.remove(removed.id);
    }
  }

  /** For each account: its removed view (last ACTIONED not followed by REINSTATED), or null. */
  private async removedAccounts(accountIds: string[]): Promise<{ id: string; account: RemovedAccount | null }[]> {
    if (!accountIds.length) return [];
    const links = await this.db.getRepository(TakedownRequestAccount).findBy({ accountId: In(accountIds) });
    const history = links.length
      ? await this.db.getRepository(StatusHistoryEntry).find({
          where: { takedownRequestId: In([...new Set(links.map((l) => l.takedownRequestId))]), toStatus: In([TakedownStatus.ACTIONED, TakedownStatus.REINSTATED]) },
          order: { at: 'ASC' },
        })
      : [];
    const accounts = await this.db.getRepository(Account).findBy({ id: In(accountIds) });
    const organisationLinks = await this.db.getRepository(AccountOrganisation).findBy({ accountId: In(accountIds) });
    // Grouped once: at start-up these lists hold every removed account, and filtering them per
    // account would make the index build quadratic.
    const requestsOf = groupBy(links, (l) => l.accountId);
    const historyOf = groupBy(history, (h) => h.takedownRequestId);
    const organisationsOf = groupBy(organisationLinks, (l) => l.accountId);
    return accounts.map((account) => {
      const entries = (requestsOf.get(account.id) ?? []).flatMap((l) => historyOf.get(l.takedownRequestId) ?? []).sort((a, b) => a.at.getTime() - b.at.getTime());
      let removedAt: Date | null = null;
      for (const entry of entries) removedAt = entry.toStatus === TakedownStatus.ACTIONED ? entry.at : null;
      return {
        id: account.id,
        account: removedAt
          ? {
              id: account.id,
              platform: account.platform,
              handle: account.handle,
              displayName: account.displayName,
              bio: account.bio,
              links: account.links ?? [],
              avatarPdq: account.avatarPdq,
              avatarQuality: account.avatarQuality,
              organisationIds: (organisationsOf.get(account.id) ?? []).map((l) => l.organisationId),
              removedAt,
            }
          : null,
      };
    });
  }

  /** Screens sign-ups for a platform; a match of POSSIBLE_MIRROR or more raises an alert. */
  async screen(ctx: PaxContext, inputs: ScreenAccountInput[]): Promise<ScreeningResult[]> {
    const principal = principalOf(ctx);
    const foreign = inputs.find((i) => !principal.platforms.includes(i.platform));
    if (foreign) throw badInput(`you screen sign-ups on your own platforms (${principal.platforms.join(', ')}), not ${foreign.platform}`);
    const results: ScreeningResult[] = [];
    for (const input of inputs) {
      const subject = await this.subjectOf(input);
      const matches = this.index.screen(subject, { limit: 5, minProbability: 0.2 });
      const best = matches[0];
      const alert = best && best.probability >= POSSIBLE_THRESHOLD
        ? await this.raise(principal, MirrorAlertSource.SCREENING, null, snapshotOf(input, subject), best)
        : null;
      results.push({
        handle: input.handle,
        verdict: best?.verdict ?? MirrorVerdict.NO_MATCH,
        probability: best?.probability ?? 0,
        matches: await this.views(matches),
        alert,
      });
    }
    return results;
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
      avatarPdq: account.avatarPdq ? [account.avatarPdq] : [],
      organisationIds,
    };
    const best = this.index.screen(subject, { limit: 2 }).find((m) => m.account.id !== account.id);
    if (best && best.probability >= POSSIBLE_THRESHOLD) {
      await this.raise(principalOf(ctx), MirrorAlertSource.FLAGGED, account.id, snapshotOf({ ...account, links: account.links ?? [] }, subject), best);
    }
  }

  private async subjectOf(input: ScreenAccountInput): Promise<ScreeningSubject> {
    let avatars = input.avatarPdq ? [input.avatarPdq.toLowerCase()] : [];
    let quality: number | null = null;
    if (input.avatarImage) {
      const bytes = Buffer.from(input.avatarImage, 'base64');
      if (bytes.length > MAX_AVATAR_BYTES) throw badInput('avatarImage is larger than 2 MiB');
      const hashed = await pdqFromImage(bytes).catch(() => {
        throw badInput('avatarImage is not an image PAX can decode (JPEG, PNG, WebP, GIF, TIFF or AVIF)');
      });
      avatars = [hashed.hex, ...Object.values(hashed.dihedral).filter((h) => h !== hashed.hex)];
      quality = hashed.quality;
    }
    return { platform: input.platform, handle: input.handle, displayName: input.displayName, bio: input.bio, links: input.links ?? [], avatarPdq: avatars, avatarQuality: quality };
  }

  private async raise(principal: Principal, source: MirrorAlertSource, candidateAccountId: string | null, candidate: CandidateSnapshot, match: MirrorMatch): Promise<MirrorAlert> {
    const alert = await inTransaction(this.db, async (em) => {
      const row = em.create(MirrorAlert, {
        id: newId(),
        source,
        platform: candidate.platform,
        candidateAccountId,
        candidate,
        matchedAccountId: match.account.id,
        matched: (await this.snapshots([match.account]))[0],
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
      });
      await em.insert(MirrorAlert, row);
      return row;
    });
    const event: MirrorAlertRaisedEvent = { alertId: alert.id, platform: alert.platform };
    this.events.publish('MIRROR_ALERT_RAISED', event);
    return alert;
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

  private async views(matches: MirrorMatch[]): Promise<MirrorMatchView[]> {
    const snapshots = await this.snapshots(matches.map((m) => m.account));
    return matches.map((m, i) => ({
      probability: m.probability,
      verdict: m.verdict,
      signals: m.signals.map((s) => s.text),
      removedAccount: { ...snapshots[i], removedAt: new Date(snapshots[i].removedAt) },
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
    if (alert.status !== MirrorAlertStatus.PENDING_REVIEW) throw invalidTransition(`the alert is already ${alert.status}`);
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
    if (candidateId && input.createTakedownDraft) {
      const draft = await this.takedowns.create(ctx, await this.draftFromOriginal(alert.matchedAccountId, candidateId));
      await this.db.getRepository(MirrorAlert).update({ id: alert.id }, { draftRequestId: draft.id });
    }
    return this.get(ctx, alert.id);
  }

  private async draftFromOriginal(originalAccountId: string, candidateId: string) {
    const requestIds = (await this.db.getRepository(TakedownRequestAccount).findBy({ accountId: originalAccountId })).map((l) => l.takedownRequestId);
    const actioned = requestIds.length
      ? await this.db.getRepository(StatusHistoryEntry).findOne({ where: { takedownRequestId: In(requestIds), toStatus: TakedownStatus.ACTIONED }, order: { at: 'DESC' } })
      : null;
    const original = actioned ? await this.db.getRepository(TakedownRequest).findOneBy({ id: actioned.takedownRequestId }) : null;
    if (!original) throw badInput('no actioned request for the original account to copy a draft from');
    const organisationIds = (await this.db.getRepository(TakedownRequestOrganisation).findBy({ takedownRequestId: original.id })).map((l) => l.organisationId);
    return {
      accountIds: [candidateId],
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

function snapshotOf(input: { platform: Platform; handle: string; displayName?: string | null; bio?: string | null; links?: string[] | null }, subject: ScreeningSubject): CandidateSnapshot {
  return {
    platform: input.platform,
    handle: input.handle,
    displayName: input.displayName ?? null,
    bio: input.bio ?? null,
    links: input.links ?? [],
    avatarPdq: subject.avatarPdq?.[0] ?? null,
  };
}
