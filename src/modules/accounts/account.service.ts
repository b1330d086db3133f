import { DataSource, In } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { scopeAccounts } from '../../access/policy';
import { conflict, notFound } from '../../common/errors';
import { Connection, PageArgs, paginate } from '../../common/connection';
import { isId, newId } from '../../common/ids';
import { inTransaction } from '../../db/transaction';
import { Organisation } from '../organisations/organisation.entity';
import { Account, AccountOrganisation } from './account.entity';
import { EvidenceService } from '../evidence/evidence.service';
import { AccountFilter, FlagAccountInput } from './account.types';
import { hashAvatarImages } from './avatar-upload';
import type { TaskPool } from '../../workers/task-pool';

/** How PAX recognises the same handle: NFKC, lower case, no leading @. */
export const handleKey = (handle: string) => handle.normalize('NFKC').trim().replace(/^@/, '').toLowerCase();

export class AccountService {
  /** Called after an account is flagged and committed: mirror screening hooks in here. */
  afterFlag: (ctx: PaxContext, account: Account) => Promise<void> = async () => undefined;

  constructor(
    private readonly db: DataSource,
    private readonly evidence: EvidenceService,
    private readonly workers: TaskPool,
  ) {}

  private scoped(ctx: PaxContext) {
    return scopeAccounts(this.db.getRepository(Account).createQueryBuilder('a'), 'a', principalOf(ctx));
  }

  async list(ctx: PaxContext, filter: AccountFilter = {}, page: PageArgs = {}): Promise<Connection<Account>> {
    const query = this.scoped(ctx);
    if (filter.platform) query.andWhere('a.platform = :platform', { platform: filter.platform });
    if (filter.handle) query.andWhere('a.handleKey = :handleKey', { handleKey: handleKey(filter.handle) });
    if (filter.organisationId) {
      const linked = query
        .subQuery()
        .select('ao.accountId')
        .from(AccountOrganisation, 'ao')
        .where('ao.organisationId = :organisationId', { organisationId: filter.organisationId });
      query.andWhere(`a.id IN ${linked.getQuery()}`, linked.getParameters());
    }
    return paginate(query, 'a', page);
  }

  async get(ctx: PaxContext, id: string): Promise<Account> {
    const account = isId(id) ? await this.scoped(ctx).andWhere('a.id = :id', { id }).getOne() : null;
    if (!account) throw notFound('Account', id);
    return account;
  }

  /** Visible accounts by id, in the order asked; any missing or hidden id is NOT_FOUND. */
  async getMany(ctx: PaxContext, ids: string[]): Promise<Account[]> {
    const valid = ids.filter(isId);
    const found = valid.length ? await this.scoped(ctx).andWhere('a.id IN (:...ids)', { ids: valid }).getMany() : [];
    const byId = new Map(found.map((a) => [a.id, a]));
    return ids.map((id) => {
      const account = byId.get(id);
      if (!account) throw notFound('Account', id);
      return account;
    });
  }

  async flag(ctx: PaxContext, input: FlagAccountInput): Promise<Account> {
    const principal = principalOf(ctx);
    const key = handleKey(input.handle);
    const organisationIds = [...new Set(input.organisationIds ?? [])];
    // An account flagged before and visible to this agency is reused, not duplicated; one hidden
    // from it (another agency's covert flag) is not revealed, so a second record is made.
    const earlier = await this.scoped(ctx)
      .andWhere('a.platform = :platform AND a.handleKey = :key', { platform: input.platform, key })
      .getOne();
    if (earlier) throw conflict(`@${key} on ${input.platform} is already flagged`, { existingId: earlier.id });
    const captured = (input.evidence ?? []).map((item) => this.evidence.decode(item));
    const [avatar] = await hashAvatarImages(this.workers, [input]);
    const id = await inTransaction(this.db, async (em) => {
      const organisations = organisationIds.length ? await em.findBy(Organisation, { id: In(organisationIds) }) : [];
      const missing = organisationIds.find((o) => !organisations.some((found) => found.id === o));
      if (missing) throw notFound('Organisation', missing);
      const account = em.create(Account, {
        id: newId(),
        platform: input.platform,
        handle: input.handle.trim(),
        handleKey: key,
        platformAccountId: input.platformAccountId ?? null,
        displayName: input.displayName ?? null,
        url: input.url ?? null,
        bio: input.bio ?? null,
        avatarPdq: avatar?.hex ?? input.avatarPdq?.toLowerCase() ?? null,
        avatarQuality: avatar?.quality ?? null,
        avatarVariants: avatar?.variants ?? null,
        links: input.links ?? null,
        mirrorOfAccountId: null,
        distribution: input.distribution,
        internalNotes: input.internalNotes ?? null,
        flaggedByPartnerId: principal.partnerId,
        flaggedBySub: principal.sub,
        createdAt: new Date(),
      });
      await em.insert(Account, account);
      for (const organisationId of organisationIds) await em.insert(AccountOrganisation, { accountId: account.id, organisationId });
      for (const [i, item] of (input.evidence ?? []).entries()) await this.evidence.capture(em, principal, { accountId: account.id }, item, captured[i]);
      return account.id;
    });
    const account = await this.get(ctx, id);
    await this.afterFlag(ctx, account);
    return account;
  }
}
