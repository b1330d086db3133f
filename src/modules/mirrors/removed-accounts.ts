import { EntityManager, In } from 'typeorm';
import { groupBy } from '../../common/group-by';
import { Account, AccountOrganisation } from '../accounts/account.entity';
import { StatusHistoryEntry, TakedownRequestAccount } from '../takedowns/takedown.entity';
import { TakedownStatus } from '../takedowns/takedown.enums';
import type { RemovedAccount } from './engine/mirror-index';

/**
 * For each account: its removed view (last ACTIONED not followed by REINSTATED), or null. Read
 * through `em`, so the signal feed sees a transition inside the transaction that makes it.
 */
export async function readRemovedAccounts(em: EntityManager, accountIds: string[]): Promise<{ id: string; account: RemovedAccount | null }[]> {
  if (!accountIds.length) return [];
  const links = await em.getRepository(TakedownRequestAccount).findBy({ accountId: In(accountIds) });
  const history = links.length
    ? await em.getRepository(StatusHistoryEntry).find({
        where: { takedownRequestId: In([...new Set(links.map((l) => l.takedownRequestId))]), toStatus: In([TakedownStatus.ACTIONED, TakedownStatus.REINSTATED]) },
        order: { at: 'ASC' },
      })
    : [];
  const accounts = await em.getRepository(Account).findBy({ id: In(accountIds) });
  const organisationLinks = await em.getRepository(AccountOrganisation).findBy({ accountId: In(accountIds) });
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
            avatarVariants: account.avatarVariants,
            organisationIds: (organisationsOf.get(account.id) ?? []).map((l) => l.organisationId),
            removedAt,
          }
        : null,
    };
  });
}
