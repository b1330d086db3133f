import { SIGNAL_KEY_SCHEME } from '../src/modules/signals/signal-log';
import { SignalChange, SignalFeedState } from '../src/modules/signals/signal.entity';
import { StatusHistoryEntry } from '../src/modules/takedowns/takedown.entity';
import { useCasework } from './helpers/casework';

/**
 * The start-up repair of the feed: removals and reinstatements written by a PAX from before the
 * feed have no feed change, and `reconcile` writes them. Such a write is simulated by deleting the
 * change a status change wrote.
 */
describe('reconciling the signal feed with the status history', () => {
  const t = useCasework();
  const db = () => t.exchange.services.db;
  const reconcile = () => t.exchange.services.signals.reconcile();
  const changesOf = async (accountId: string) => (await db().getRepository(SignalChange).find({ where: { accountId }, order: { seq: 'ASC' } })).map((c) => c.op);
  const forget = (accountId: string) => db().getRepository(SignalChange).delete({ accountId });
  const watermark = async () => (await db().getRepository(SignalFeedState).findOneByOrFail({ id: 'feed' })).reconciledThrough;

  const removed = async () => {
    const accountId = await t.cw.account();
    const request = await t.cw.move(t.cw.supervisor, (await t.cw.draft({ accountIds: [accountId] })).id, 'SUBMITTED');
    await t.cw.move(t.cw.xReviewer, request.id, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED' });
    return { accountId, requestId: request.id as string };
  };

  it('marks a full pass that met no status change, so that later starts read only what follows it', async () => {
    // The exchange's start ran a full pass over an empty history; without the mark, every start of
    // a database whose history holds no removal read every account in the log again.
    const mark = await watermark();
    expect(mark).not.toBeNull();
    expect(mark!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('writes what an older version left out, then reads only status changes since its last run', async () => {
    const first = await removed();
    expect(await changesOf(first.accountId)).toEqual(['upsert']);
    await forget(first.accountId);

    expect(await reconcile()).toBe(1);
    expect(await changesOf(first.accountId)).toEqual(['upsert']);
    const actionedAt = (await db().getRepository(StatusHistoryEntry).findOneByOrFail({ takedownRequestId: first.requestId, toStatus: 'ACTIONED' as never })).at;
    expect((await watermark())?.getTime()).toBe(actionedAt.getTime());
    expect(await reconcile()).toBe(0);

    // A removal well before the last run is not read again; one after it is.
    await db().getRepository(StatusHistoryEntry).update({ takedownRequestId: first.requestId, toStatus: 'ACTIONED' as never }, { at: new Date(actionedAt.getTime() - 3 * 3_600_000) });
    await forget(first.accountId);
    const second = await removed();
    await forget(second.accountId);
    expect(await reconcile()).toBe(1);
    expect(await changesOf(second.accountId)).toEqual(['upsert']);
    expect(await changesOf(first.accountId)).toEqual([]);

    // Clearing the watermark makes the next start read everything again.
    await db().getRepository(SignalFeedState).update({ id: 'feed' }, { reconciledThrough: null });
    expect(await reconcile()).toBe(1);
    expect(await changesOf(first.accountId)).toEqual(['upsert']);
  });

  it('writes the tombstone of a reinstatement that an older version made without one', async () => {
    const { accountId, requestId } = await removed();
    await t.cw.move(t.cw.xReviewer, requestId, 'REINSTATED');
    expect(await changesOf(accountId)).toEqual(['upsert', 'tombstone']);
    const [, tombstone] = await db().getRepository(SignalChange).find({ where: { accountId }, order: { seq: 'ASC' } });
    await db().getRepository(SignalChange).delete({ seq: tombstone.seq });
    expect(await reconcile()).toBe(1);
    expect(await changesOf(accountId)).toEqual(['upsert', 'tombstone']);
  });

  it('re-keys every entry once after the keys changed, so the feed equals a fresh build again', async () => {
    const { accountId } = await removed();
    const [entry] = await db().getRepository(SignalChange).find({ where: { accountId } });
    const fresh = JSON.parse(entry.payload!);
    // As an older engine would have keyed it, under an older scheme.
    await db().getRepository(SignalChange).update({ seq: entry.seq }, { payload: JSON.stringify({ ...fresh, handleKeys: { ...fresh.handleKeys, core: 'stale' } }) });
    expect(await reconcile()).toBe(0);
    await db().getRepository(SignalFeedState).update({ id: 'feed' }, { keyScheme: SIGNAL_KEY_SCHEME - 1 });
    expect(await reconcile()).toBe(1);
    const rewritten = await db().getRepository(SignalChange).find({ where: { accountId }, order: { seq: 'ASC' } });
    expect(rewritten.map((c) => c.op)).toEqual(['upsert', 'upsert']);
    expect(JSON.parse(rewritten[1].payload!)).toEqual(fresh);
    expect((await db().getRepository(SignalFeedState).findOneByOrFail({ id: 'feed' })).keyScheme).toBe(SIGNAL_KEY_SCHEME);
    expect(await reconcile()).toBe(0);
  });
});
