import { GraphQLError } from 'graphql';
import { DataSource, EntityManager } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { scopeAuditEntries } from '../../access/policy';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { Connection, PageArgs, paginate } from '../../common/connection';
import { newId } from '../../common/ids';
import { lockForUpdate } from '../../db/dialect';
import { inTransaction, transactionHooks } from '../../db/transaction';
import { AuditChainVerification, AuditEntry, AuditHead } from './audit.entity';
import { firstBrokenLink, GENESIS_HASH, linkHash } from './audit-chain';

export interface AuditRecord {
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  outcome: string;
}

/** Who acted, as far as the operation knows: an unauthenticated attempt has no principal. */
export interface AuditActor {
  principal: Principal | null;
  requestId: string | null;
}

const BATCH = 1000;

/** The tamper-evident audit log: appends links to the hash chain, verifies it, lists it. */
export class AuditLog {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Appends inside the caller's transaction, after locking the head so positions never race. */
  async append(em: EntityManager, actor: AuditActor, records: AuditRecord[]): Promise<void> {
    const head = await lockForUpdate(this.db, em.createQueryBuilder(AuditHead, 'h').where('h.id = 1')).getOne();
    if (!head) throw new Error('audit_head is missing: run the migrations');
    let { seq, hash } = head;
    const entries = records.map((record) => {
      const entry = em.create(AuditEntry, {
        id: newId(),
        seq: seq + 1,
        at: this.clock.now(),
        actorPartnerId: actor.principal?.partnerId ?? null,
        actorSub: actor.principal?.sub ?? null,
        actorRoles: actor.principal ? [...actor.principal.roles].sort().join(',') : null,
        action: record.action,
        objectType: record.objectType ?? null,
        objectId: record.objectId ?? null,
        requestId: actor.requestId,
        outcome: record.outcome,
        prevHash: hash,
      });
      entry.hash = linkHash(hash, entry);
      ({ seq, hash } = entry);
      return entry;
    });
    // One multi-row INSERT, so a page revealing a hundred notes costs the same statements as one.
    await em.insert(AuditEntry, entries);
    await em.update(AuditHead, { id: 1 }, { seq, hash });
  }

  /** Writes what an operation revealed, once its response (or a subscription's event) is ready. */
  flushReads(ctx: PaxContext): Promise<void> {
    const reads = [...ctx.sensitiveReads.values()];
    ctx.sensitiveReads.clear();
    return this.record({ principal: ctx.principal, requestId: ctx.requestId }, ...reads.map((read) => ({ ...read, outcome: 'OK' })));
  }

  /** Appends in a transaction of its own: reads, refusals, and operations that wrote nothing. */
  record(actor: AuditActor, ...records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return transactionHooks.exit(() => inTransaction(this.db, (em) => this.append(em, actor, records)));
  }

  /**
   * Runs a change made outside GraphQL (a CLI command) like a mutation: its entry is written in the
   * change's own transaction, or on its own when nothing was written, or with the error's code.
   */
  async around<T>(actor: AuditActor, action: string, run: () => Promise<T>): Promise<T> {
    let written = false;
    const hooks = {
      inserted: () => {},
      beforeCommit: async (em: EntityManager) => {
        if (!written) await this.append(em, actor, [{ action, outcome: 'OK' }]);
      },
      afterCommit: () => {
        written = true;
      },
    };
    try {
      const result = await transactionHooks.run(hooks, run);
      if (!written) await this.record(actor, { action, outcome: 'OK' });
      return result;
    } catch (error) {
      const code = error instanceof GraphQLError && typeof error.extensions.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
      if (!written) await this.record(actor, { action, outcome: code });
      throw error;
    }
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const head = await this.db.getRepository(AuditHead).findOneByOrFail({ id: 1 });
    return { seq: head.seq, hash: head.hash };
  }

  /**
   * Recomputes every link from `from` to `to` (the whole chain by default), in batches. The range's
   * last link must also match the head when it reaches it, so a truncated tail is caught.
   */
  async verify(from = 1, to?: number): Promise<AuditChainVerification> {
    const head = await this.head();
    const last = Math.min(to ?? head.seq, head.seq);
    const repository = this.db.getRepository(AuditEntry);
    let previous = from <= 1 ? { seq: 0, hash: GENESIS_HASH } : await repository.findOneBy({ seq: from - 1 });
    const result = (firstBrokenSeq: number | null, reason: string | null, checked: number): AuditChainVerification => ({
      intact: firstBrokenSeq === null, checked, firstBrokenSeq, reason, headSeq: head.seq, headHash: head.hash,
    });
    if (!previous) return result(from - 1, `entry ${from - 1}, the link before the range, is missing`, 0);
    let checked = 0;
    for (let start = Math.max(from, 1); start <= last; start += BATCH) {
      const entries = await repository
        .createQueryBuilder('e')
        .where('e.seq >= :start AND e.seq <= :end', { start, end: Math.min(last, start + BATCH - 1) })
        .orderBy('e.seq', 'ASC')
        .getMany();
      const broken = firstBrokenLink(previous, entries);
      if (broken) return result(broken.seq, broken.reason, checked + Math.max(0, broken.seq - start));
      if (entries.length < Math.min(last, start + BATCH - 1) - start + 1) {
        return result(previous.seq + entries.length + 1, `entry ${previous.seq + entries.length + 1} is missing`, checked + entries.length);
      }
      checked += entries.length;
      previous = entries[entries.length - 1];
    }
    if (last === head.seq && previous.hash !== head.hash) return result(last, 'the last entry does not match the chain head: entries were removed or rewritten', checked);
    return result(null, null, checked);
  }

  list(ctx: PaxContext, filter: { objectId?: string | null; action?: string | null } = {}, page: PageArgs = {}): Promise<Connection<AuditEntry>> {
    const query = scopeAuditEntries(this.db.getRepository(AuditEntry).createQueryBuilder('e'), 'e', principalOf(ctx));
    if (filter.objectId) query.andWhere('e.objectId = :objectId', { objectId: filter.objectId });
    if (filter.action) query.andWhere('e.action = :action', { action: filter.action });
    return paginate(query, 'e', page);
  }
}
