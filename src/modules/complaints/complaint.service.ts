import { Brackets, DataSource } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { scopeAccounts, scopeComplaints } from '../../access/policy';
import { Clock } from '../../common/clock';
import { Distribution } from '../../common/enums';
import { badInput, invalidTransition, notFound, rateLimited } from '../../common/errors';
import { isId, newId } from '../../common/ids';
import { inTransaction } from '../../db/transaction';
import { lockForUpdate } from '../../db/dialect';
import { Partner } from '../partners/partner.entity';
import { Account } from '../accounts/account.entity';
import { AccountService } from '../accounts/account.service';
import { FlagAccountInput } from '../accounts/account.types';
import { CreateTakedownRequestInput } from '../takedowns/takedown.types';
import { Keyring } from '../disclosures/sealing';
import { MirrorService } from '../mirrors/mirror.service';
import { PartnerDirectory } from '../partners/partner.service';
import { TakedownService } from '../takedowns/takedown.service';
import { Complaint, ComplaintStatus } from './complaint.entity';
import { ComplaintGroup, ComplaintReceipt, SubmitComplaintInput, TriageComplaintInput } from './complaint.types';
import { normaliseComplaintUrl } from './complaint-url';

const bindingOf = (complaint: Pick<Complaint, 'id'>) => `complaint:${complaint.id}`;

/** The public complaints intake: filing, the triage queue and its actions. */
export class ComplaintService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly keyring: Keyring,
    private readonly perMinute: number,
    private readonly accounts: AccountService,
    private readonly takedowns: TakedownService,
    private readonly mirrors: MirrorService,
    private readonly partners: PartnerDirectory,
  ) {}

  /**
   * Files a complaint for the intake's agency. The rate limit counts the agency's complaints of
   * the last minute in the database, so it holds across instances.
   */
  async submit(ctx: PaxContext, input: SubmitComplaintInput): Promise<ComplaintReceipt> {
    const principal = principalOf(ctx);
    const { normalisedUrl, platform: fromUrl, accountKey } = normaliseComplaintUrl(input.url);
    if (fromUrl && input.platform && input.platform !== fromUrl) throw badInput(`the URL is on ${fromUrl}, not ${input.platform}`, { field: 'platform' });
    const now = this.clock.now();
    return inTransaction(this.db, async (em) => {
      // Concurrent filings of one agency queue on its partner row, so the count below is exact.
      await lockForUpdate(this.db, em.createQueryBuilder(Partner, 'p').where('p.id = :id', { id: principal.partnerId })).getOne();
      const recent = await em
        .getRepository(Complaint)
        .createQueryBuilder('c')
        .where('c.intakePartnerId = :partner AND c.receivedAt > :since', { partner: principal.partnerId, since: new Date(now.getTime() - 60_000) })
        .getCount();
      if (recent >= this.perMinute) throw rateLimited(`at most ${this.perMinute} complaints a minute per agency (PAX_COMPLAINTS_PER_MINUTE); retry shortly`);
      const complaint = em.create(Complaint, {
        id: newId(),
        intakePartnerId: principal.partnerId,
        url: input.url,
        normalisedUrl,
        platform: fromUrl ?? input.platform ?? null,
        accountKey,
        groupKey: accountKey ?? normalisedUrl,
        description: input.description.trim(),
        contactCiphertext: null,
        contactIv: null,
        contactAuthTag: null,
        contactWrappedKey: null,
        contactKeyId: null,
        status: ComplaintStatus.NEW,
        mergedIntoId: null,
        promotedAccountId: null,
        promotedRequestId: null,
        triagedBySub: null,
        triagedAt: null,
        triageNote: null,
        receivedAt: now,
      });
      if (input.contact) {
        const sealed = this.keyring.seal(Buffer.from(input.contact), bindingOf(complaint));
        Object.assign(complaint, { contactCiphertext: sealed.ciphertext, contactIv: sealed.iv, contactAuthTag: sealed.authTag, contactWrappedKey: sealed.wrappedKey, contactKeyId: sealed.keyId });
      }
      await em.insert(Complaint, complaint);
      return { id: complaint.id, receivedAt: now };
    });
  }

  contactOf(complaint: Complaint): string | null {
    if (!complaint.contactCiphertext) return null;
    return this.keyring
      .open({ ciphertext: complaint.contactCiphertext, iv: complaint.contactIv!, authTag: complaint.contactAuthTag!, wrappedKey: complaint.contactWrappedKey!, keyId: complaint.contactKeyId! }, bindingOf(complaint))
      .toString();
  }

  private scoped(ctx: PaxContext) {
    return scopeComplaints(this.db.getRepository(Complaint).createQueryBuilder('c'), 'c', principalOf(ctx));
  }

  private find(ctx: PaxContext, id: string | null | undefined): Promise<Complaint | null> {
    return id && isId(id) ? this.scoped(ctx).andWhere('c.id = :id', { id }).getOne() : Promise.resolve(null);
  }

  /** NEW complaints grouped by account (or URL), largest groups first, then oldest. */
  async triageQueue(ctx: PaxContext, first = 20): Promise<ComplaintGroup[]> {
    if (first < 1 || first > 100) throw badInput('first must be between 1 and 100', { field: 'first' });
    const groups: { groupKey: string; count: string; first: string; last: string }[] = await this.scoped(ctx)
      .select('c.groupKey', 'groupKey')
      .addSelect('COUNT(*)', 'count')
      .addSelect('MIN(c.receivedAt)', 'first')
      .addSelect('MAX(c.receivedAt)', 'last')
      .andWhere('c.status = :new', { new: ComplaintStatus.NEW })
      .groupBy('c.groupKey')
      .orderBy('count', 'DESC')
      .addOrderBy('first', 'ASC')
      .limit(first)
      .getRawMany();
    if (groups.length === 0) return [];
    const complaints = await this.scoped(ctx)
      .andWhere('c.status = :new AND c.groupKey IN (:...keys)', { new: ComplaintStatus.NEW, keys: groups.map((g) => g.groupKey) })
      .orderBy('c.id', 'ASC')
      .getMany();
    const flagged = await this.flaggedAccounts(ctx, complaints);
    const removed = await this.mirrors.removed([...flagged.values()].map((a) => a.id));
    return groups.map((group) => {
      const members = complaints.filter((c) => c.groupKey === group.groupKey);
      const account = members[0]?.accountKey ? flagged.get(members[0].accountKey) : undefined;
      return {
        groupKey: group.groupKey,
        platform: members[0]?.platform ?? null,
        accountKey: members[0]?.accountKey ?? null,
        count: Number(group.count),
        firstReceivedAt: members[0].receivedAt,
        lastReceivedAt: members[members.length - 1].receivedAt,
        complaints: members,
        flaggedAccountId: account?.id ?? null,
        removed: account ? removed.has(account.id) : false,
      };
    });
  }

  /** The flagged accounts the caller may see, by account key, in one query. */
  private async flaggedAccounts(ctx: PaxContext, complaints: Complaint[]): Promise<Map<string, Account>> {
    const keys = [...new Set(complaints.map((c) => c.accountKey).filter((k): k is string => k !== null))];
    if (keys.length === 0) return new Map();
    const query = scopeAccounts(this.db.getRepository(Account).createQueryBuilder('a'), 'a', principalOf(ctx));
    query.andWhere(
      new Brackets((w) =>
        keys.forEach((key, i) => {
          const [platform, handle] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
          w.orWhere(`(a.platform = :platform${i} AND a.handleKey = :handle${i})`, { [`platform${i}`]: platform, [`handle${i}`]: handle });
        }),
      ),
    );
    return new Map((await query.getMany()).map((a) => [`${a.platform}:${a.handleKey}`, a]));
  }

  async triage(ctx: PaxContext, input: TriageComplaintInput): Promise<Complaint> {
    const principal = principalOf(ctx);
    const complaint = await this.find(ctx, input.id);
    if (!complaint) throw notFound('Complaint', input.id);
    if (complaint.status !== ComplaintStatus.NEW) throw invalidTransition(`the complaint is ${complaint.status} already`);
    const changes: Partial<Complaint> = { status: input.action, triagedBySub: principal.sub, triagedAt: this.clock.now(), triageNote: input.note?.trim() || null };
    if (input.action === ComplaintStatus.DISMISSED && !changes.triageNote) throw badInput('say why you dismiss it in note', { field: 'note' });
    if (input.action === ComplaintStatus.MERGED) {
      const target = input.mergeIntoId !== complaint.id ? await this.find(ctx, input.mergeIntoId) : null;
      if (!target) throw badInput('MERGED needs mergeIntoId: another complaint of your agency', { field: 'mergeIntoId' });
      changes.mergedIntoId = target.mergedIntoId ?? target.id;
    }
    if (input.action === ComplaintStatus.NEW) throw badInput('action must be DISMISSED, MERGED or PROMOTED', { field: 'action' });
    if (input.action === ComplaintStatus.PROMOTED) Object.assign(changes, await this.promote(ctx, complaint, input));
    await inTransaction(this.db, async (em) => {
      const updated = await em.update(Complaint, { id: complaint.id, status: ComplaintStatus.NEW }, changes);
      if (updated.affected !== 1) throw invalidTransition('the complaint was triaged meanwhile');
      // The other reports of a promoted account have been answered by the promotion.
      if (input.action === ComplaintStatus.PROMOTED) {
        await em.update(Complaint, { intakePartnerId: complaint.intakePartnerId, groupKey: complaint.groupKey, status: ComplaintStatus.NEW }, {
          status: ComplaintStatus.MERGED, mergedIntoId: complaint.id, triagedBySub: principal.sub, triagedAt: changes.triagedAt,
        });
      }
    });
    return (await this.find(ctx, complaint.id))!;
  }

  /** Flags the account (or finds it flagged already) and, if asked, drafts a takedown request. */
  private async promote(ctx: PaxContext, complaint: Complaint, input: TriageComplaintInput): Promise<Partial<Complaint>> {
    if (!complaint.accountKey || !complaint.platform) throw badInput('only a complaint whose URL names an account on a known platform can be promoted', { field: 'action' });
    // Checked before anything is written, so a draft that cannot be addressed flags nothing either.
    if (input.draft && !(await this.partners.operatorOf(complaint.platform))) {
      throw badInput(`no active partner operates ${complaint.platform} in PAX, so no takedown draft can be addressed; promote without a draft`, { field: 'draft' });
    }
    const handle = complaint.accountKey.slice(complaint.accountKey.indexOf(':') + 1);
    const existing = (await this.flaggedAccounts(ctx, [complaint])).get(complaint.accountKey);
    const flag = Object.assign(new FlagAccountInput(), {
      platform: complaint.platform,
      handle,
      url: complaint.normalisedUrl,
      organisationIds: input.organisationIds ?? [],
      distribution: input.distribution ?? Distribution.ALL_AGENCIES,
      internalNotes: `promoted from public complaint ${complaint.id}`,
    });
    const account = existing ?? (await this.accounts.flag(ctx, flag));
    const draft = input.draft && Object.assign(new CreateTakedownRequestInput(), { accountIds: [account.id], ...input.draft });
    const request = draft ? await this.takedowns.create(ctx, draft) : null;
    return { promotedAccountId: account.id, promotedRequestId: request?.id ?? null };
  }
}
