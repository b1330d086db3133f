import { Clock, systemClock } from '../../common/clock';
import type { Logger } from 'pino';
import { DataSource, In, MoreThan } from 'typeorm';
import { badInput, PaxError } from '../../common/errors';
import { engineOf } from '../../db/dialect';
import { inTransaction } from '../../db/transaction';
import { DocumentSigner, FORMAT, SignalPublicJwk, SigningKey } from '../../matcher/codec';
import { StatusHistoryEntry, TakedownRequestAccount } from '../takedowns/takedown.entity';
import { TakedownStatus } from '../takedowns/takedown.enums';
import { readRemovedAccounts } from '../mirrors/removed-accounts';
import { latestChanges, recordSignalChanges, SIGNAL_KEY_SCHEME } from './signal-log';
import { SignalChange, SignalFeedState, SignalOp } from './signal.entity';
import { publicKeySet } from './signal-keys';

const PAGE = 2000;
const RECONCILE_BATCH = 1000;
/** How far before the last reconciled status change a start looks again. */
const RECONCILE_MARGIN_MS = 60 * 60_000;
export const MAX_CHANGES_PER_BATCH = 10_000;

/** Production without PAX_SIGNAL_KEYS runs without the feed. */
export const unavailable = () => badInput('the signal feed is off: PAX has no signing key (set PAX_SIGNAL_KEYS)');

/** Why a cursor is refused; the client's remedy in both cases is a new snapshot. */
export class CursorError extends PaxError {
  constructor(
    readonly reason: 'CURSOR_EXPIRED' | 'CURSOR_AHEAD',
    message: string,
  ) {
    super('BAD_USER_INPUT', message, { reason, remedy: 'TAKE_SNAPSHOT' });
  }
}

/**
 * The signal feed: every removed account's public view and matching keys, as a signed snapshot
 * and as signed change batches after a cursor. The change log is written by the status changes
 * themselves (signal-log.ts); this side reads, signs, compacts and reconciles it.
 */
export class SignalService {
  constructor(
    private readonly db: DataSource,
    private readonly keys: SigningKey[] | null,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  get enabled(): boolean {
    return this.keys !== null;
  }

  publicKeys(): { keys: SignalPublicJwk[] } {
    return publicKeySet(this.keys ?? []);
  }

  private signer(): DocumentSigner {
    if (!this.keys) throw new Error('the signal feed has no signing key (PAX_SIGNAL_KEYS)');
    return new DocumentSigner(this.keys[0]);
  }

  private p(n: number) {
    return engineOf(this.db) === 'postgres' ? `$${n}` : '?';
  }

  /** The last change's cursor; compaction may have dropped that change, never the floor above it. */
  async head(): Promise<number> {
    const [row] = await this.db.query(`SELECT MAX(seq) AS head FROM signal_changes`);
    return Math.max(Number(row?.head ?? 0), await this.floor());
  }

  async floor(): Promise<number> {
    return (await this.db.getRepository(SignalFeedState).findOneBy({ id: 'feed' }))?.floor ?? 0;
  }

  /** The feed's position, its compaction floor and how many accounts a snapshot now holds. */
  async status(): Promise<{ cursor: number; floor: number; entries: number }> {
    const cursor = await this.head();
    return { cursor, floor: await this.floor(), entries: await this.count(cursor) };
  }

  private readonly current = (cursor: string, extra = '') =>
    `FROM signal_changes s WHERE s.op = 'upsert' AND s.seq = (SELECT MAX(t.seq) FROM signal_changes t WHERE t."accountId" = s."accountId" AND t.seq <= ${cursor})${extra}`;

  private async count(cursor: number): Promise<number> {
    const [row] = await this.db.query(`SELECT COUNT(*) AS n ${this.current(this.p(1))}`, [cursor]);
    return Number(row.n);
  }

  /** At least as many entries as a snapshot now holds, cheaply: what an index loading the feed makes room for. */
  async entriesAtMost(): Promise<number> {
    const [row] = await this.db.query(`SELECT COUNT(*) AS n FROM signal_changes WHERE op = 'upsert'`);
    return Number(row.n);
  }

  /** Every entry current at `cursor`, in entry id order, a page at a time. */
  async *entriesAt(cursor: number, page = PAGE): AsyncGenerator<{ entryId: string; accountId: string; payload: string }[]> {
    let last = '';
    for (;;) {
      const rows: { entryId: string; accountId: string; payload: string }[] = await this.db.query(
        `SELECT s."entryId" AS "entryId", s."accountId" AS "accountId", s.payload AS payload ${this.current(this.p(1), ` AND s."entryId" > ${this.p(2)}`)} ORDER BY s."entryId" LIMIT ${page}`,
        [cursor, last],
      );
      if (rows.length) yield rows;
      if (rows.length < page) return;
      last = rows[rows.length - 1].entryId;
    }
  }

  /** The accounts changed after `cursor`, for a copy of the index catching up. */
  async accountsChangedAfter(cursor: number): Promise<string[]> {
    const rows: { accountId: string }[] = await this.db.query(`SELECT DISTINCT "accountId" AS "accountId" FROM signal_changes WHERE seq > ${this.p(1)}`, [cursor]);
    return rows.map((r) => r.accountId);
  }

  /** A cursor a snapshot or a change batch may start from: not compacted away, not ahead of the log. */
  async checkCursor(cursor: number, what: string): Promise<number> {
    if (!Number.isSafeInteger(cursor) || cursor < 0) throw badInput(`${what} must be a cursor: a whole number from a previous snapshot or change batch`);
    const head = await this.head();
    if (cursor > head) throw new CursorError('CURSOR_AHEAD', `${what} ${cursor} is ahead of the feed (now at ${head}); it did not come from this PAX: take a new snapshot`);
    const floor = await this.floor();
    if (cursor < floor) throw new CursorError('CURSOR_EXPIRED', `${what} ${cursor} is older than the feed keeps (changes up to ${floor} were compacted): take a new snapshot`);
    return head;
  }

  /**
   * The snapshot at `cursor` (the head unless given), as document bytes. The same cursor gives the
   * same bytes while no compaction passes it, which is what lets a client resume at an offset.
   */
  async snapshot(at?: number): Promise<{ cursor: number; count: number; bytes: AsyncGenerator<Buffer> }> {
    const cursor = at ?? (await this.head());
    if (at !== undefined) await this.checkCursor(at, 'cursor');
    const count = await this.count(cursor);
    const signer = this.signer();
    const entries = this.entriesAt(cursor);
    async function* bytes() {
      yield signer.line({ format: FORMAT, kind: 'snapshot', cursor, count });
      for await (const page of entries) for (const { payload } of page) yield signer.raw(payload);
      yield signer.finish();
    }
    return { cursor, count, bytes: bytes() };
  }

  /** The changes after `after`, at most `limit` of them, as one signed batch. */
  async changes(after: number, limit = MAX_CHANGES_PER_BATCH): Promise<{ cursor: number; count: number; head: number; bytes: Buffer[] }> {
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_CHANGES_PER_BATCH) throw badInput(`limit must be between 1 and ${MAX_CHANGES_PER_BATCH}`);
    const head = await this.checkCursor(after, 'after');
    const rows: SignalChange[] = await this.db.query(
      `SELECT seq, "entryId" AS "entryId", op, payload FROM signal_changes WHERE seq > ${this.p(1)} AND seq <= ${this.p(2)} ORDER BY seq LIMIT ${limit}`,
      [after, head],
    );
    const cursor = rows.length ? Number(rows[rows.length - 1].seq) : after;
    const signer = this.signer();
    const bytes = [signer.line({ format: FORMAT, kind: 'changes', after, cursor, count: rows.length })];
    for (const row of rows) {
      bytes.push(row.op === SignalOp.UPSERT ? signer.raw(`{"seq":${Number(row.seq)},"op":"upsert","entry":${row.payload}}`) : signer.line({ seq: Number(row.seq), op: 'tombstone', id: row.entryId }));
    }
    bytes.push(signer.finish());
    return { cursor, count: rows.length, head, bytes };
  }

  /** The avatar hashes of every current entry, one `pdq <hex>` line each: HMA's local-file exchange format. */
  async *hmaPdq(): AsyncGenerator<string> {
    const seen = new Set<string>();
    for await (const page of this.entriesAt(await this.head())) {
      for (const { payload } of page) {
        const hex: string | null = JSON.parse(payload).avatarPdq;
        if (hex && !seen.has(hex)) {
          seen.add(hex);
          yield `pdq ${hex}\n`;
        }
      }
    }
  }

  /**
   * Drops what no client at or after `floor` needs: every change at or below it except each
   * account's last one there, and tombstones at or below it. A snapshot at any cursor from the
   * floor on stays exact; a client behind the floor must take a new snapshot.
   */
  async compact(floor: number): Promise<number> {
    const head = await this.head();
    if (!Number.isSafeInteger(floor) || floor < 0 || floor > head) throw badInput(`the floor must be a cursor between 0 and the head (${head})`);
    return inTransaction(this.db, async (em) => {
      const size = async () => Number((await em.query(`SELECT COUNT(*) AS n FROM signal_changes`))[0].n);
      const before = await size();
      await em.query(
        `DELETE FROM signal_changes WHERE seq <= ${this.p(1)} AND seq < (SELECT MAX(t.seq) FROM signal_changes t WHERE t."accountId" = signal_changes."accountId" AND t.seq <= ${this.p(2)})`,
        [floor, floor],
      );
      await em.query(`DELETE FROM signal_changes WHERE seq <= ${this.p(1)} AND op = 'tombstone'`, [floor]);
      await em.update(SignalFeedState, { id: 'feed' }, { floor: Math.max(floor, await this.floor()) });
      return before - (await size());
    });
  }

  /**
   * Writes what the log lacks: accounts removed or reinstated by a version of PAX before the feed
   * (an upgraded database, or an older instance still writing during a rolling upgrade). Every
   * status change since writes its own feed change, so only the first run reads every removed
   * account; later ones read the removals and reinstatements after the last run's newest, less a
   * margin for clocks and commits in flight. Only accounts whose standing differs from their last
   * change are recomputed.
   */
  async reconcile(): Promise<number> {
    const state = await this.db.getRepository(SignalFeedState).findOneBy({ id: 'feed' });
    // After the keys changed, every entry is computed again: a full pass that rewrites what differs.
    const rekey = state?.keyScheme !== SIGNAL_KEY_SCHEME;
    const through = rekey ? null : (state?.reconciledThrough ?? null);
    const since = through && new Date(through.getTime() - RECONCILE_MARGIN_MS);
    // The status history's times come from this clock, so the mark of a pass that met none does too.
    const started = this.clock.now();
    const changes = await this.db.getRepository(StatusHistoryEntry).find({
      select: { takedownRequestId: true, at: true },
      where: { toStatus: In([TakedownStatus.ACTIONED, TakedownStatus.REINSTATED]), ...(since ? { at: MoreThan(since) } : {}) },
    });
    const requestIds = [...new Set(changes.map((h) => h.takedownRequestId))];
    const candidates = new Set<string>();
    for (let i = 0; i < requestIds.length; i += RECONCILE_BATCH) {
      const links = await this.db.getRepository(TakedownRequestAccount).createQueryBuilder('l').where('l.takedownRequestId IN (:...ids)', { ids: requestIds.slice(i, i + RECONCILE_BATCH) }).getMany();
      for (const l of links) candidates.add(l.accountId);
    }
    if (!since) {
      const listed: { accountId: string }[] = await this.db.query(`SELECT DISTINCT "accountId" AS "accountId" FROM signal_changes`);
      for (const row of listed) candidates.add(row.accountId);
    }
    const ids = [...candidates];
    let written = 0;
    for (let i = 0; i < ids.length; i += RECONCILE_BATCH) {
      const batch = ids.slice(i, i + RECONCILE_BATCH);
      let drifted = batch;
      if (!rekey) {
        const standing = await readRemovedAccounts(this.db.manager, batch);
        const latest = await latestChanges(this.db.manager, batch);
        drifted = standing.filter(({ id, account }) => (latest.get(id)?.op === SignalOp.UPSERT) !== (account !== null)).map((s) => s.id);
      } else if (ids.length > RECONCILE_BATCH) {
        this.log.info({ done: i, total: ids.length }, 're-keying the signal feed');
      }
      if (drifted.length) written += await inTransaction(this.db, (em) => recordSignalChanges(em, drifted));
    }
    // A full pass saw every change committed before it started, even when there was none: without a
    // mark, a database whose history holds no removal read every account in the log at every start.
    const newest = changes.reduce<Date | null>((max, h) => (!max || h.at > max ? h.at : max), through) ?? (since ? null : started);
    if (rekey || (newest && newest !== through)) {
      await this.db.getRepository(SignalFeedState).update({ id: 'feed' }, { reconciledThrough: newest, keyScheme: SIGNAL_KEY_SCHEME });
    }
    if (written) this.log.info({ written, checked: ids.length, incremental: Boolean(since), rekey }, 'signal feed reconciled with the removed accounts');
    return written;
  }
}
