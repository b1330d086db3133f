import { EntityManager, In } from 'typeorm';
import { newId } from '../../common/ids';
import { engineOf } from '../../db/dialect';
import { signalEntryOf } from '../mirrors/engine/mirror-index';
import { readRemovedAccounts } from '../mirrors/removed-accounts';
import { Organisation } from '../organisations/organisation.entity';
import { SignalChange, SignalOp } from './signal.entity';

/**
 * The version of the keys an entry carries (normalisation, link forms, avatar forms). Raise it with
 * any change to what `signalEntryOf` computes for the same account: the next start then re-keys
 * every entry, so that the feed and the server's index, which loads from it, equal a fresh build.
 */
export const SIGNAL_KEY_SCHEME = 2;

/** The last change of each account, or none. */
export async function latestChanges(em: EntityManager, accountIds: string[]): Promise<Map<string, SignalChange>> {
  const rows = accountIds.length ? await em.getRepository(SignalChange).find({ where: { accountId: In(accountIds) }, order: { seq: 'ASC' } }) : [];
  return new Map(rows.map((row) => [row.accountId, row]));
}

/**
 * Brings the feed in line with the database for these accounts, in the caller's transaction
 * (outbox-style: the change commits or rolls back with the status change that causes it). An
 * account that stands removed gets an upsert unless its current entry is already the same; one
 * that no longer does gets a tombstone. An account keeps its entry id while it stays in the feed.
 */
export async function recordSignalChanges(em: EntityManager, accountIds: string[]): Promise<number> {
  const ids = [...new Set(accountIds)];
  if (!ids.length) return 0;
  // On PostgreSQL, sequence numbers are taken in commit order only if writers take turns: a reader
  // must never see change 10 committed while change 9 is still open, or a client would skip 9.
  if (engineOf(em.connection) === 'postgres') await em.query('LOCK TABLE signal_changes IN SHARE ROW EXCLUSIVE MODE');
  const removed = await readRemovedAccounts(em, ids);
  const latest = await latestChanges(em, ids);
  const organisationIds = [...new Set(removed.flatMap((r) => r.account?.organisationIds ?? []))];
  const names = new Map((organisationIds.length ? await em.getRepository(Organisation).findBy({ id: In(organisationIds) }) : []).map((o) => [o.id, o.name]));
  const now = new Date();
  const rows: Omit<SignalChange, 'seq'>[] = [];
  for (const { id, account } of removed) {
    const last = latest.get(id);
    const current = last?.op === SignalOp.UPSERT ? last : undefined;
    if (account) {
      const organisations = (account.organisationIds ?? []).map((o) => ({ id: o, name: names.get(o) ?? '' }));
      const entryId = current?.entryId ?? newId();
      const payload = JSON.stringify(signalEntryOf(entryId, account, organisations));
      if (payload !== current?.payload) rows.push({ entryId, accountId: id, op: SignalOp.UPSERT, payload, createdAt: now });
    } else if (current) {
      rows.push({ entryId: current.entryId, accountId: id, op: SignalOp.TOMBSTONE, payload: null, createdAt: now });
    }
  }
  // One at a time, in order: the cursor order is the order of these inserts.
  for (const row of rows) await em.insert(SignalChange, row);
  return rows.length;
}
