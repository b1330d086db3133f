import crypto from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { conflict } from '../../common/errors';
import { isUniqueViolation } from '../../db/dialect';
import { inTransaction } from '../../db/transaction';
import { IdempotencyRecord } from './idempotency.entity';

/** Canonical JSON: keys sorted, so the same input always has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface IdempotentOutcome<E> {
  id: string;
  /** Events to publish after commit; empty when the call was a replay. */
  events: E[];
}

/**
 * Agency and platform systems retry. A mutation sent again with the same idempotencyKey by the
 * same partner returns the first result instead of acting twice; the same key with different
 * input is a CONFLICT. The record commits in the same transaction as the work it guards.
 */
export class IdempotencyService {
  constructor(private readonly db: DataSource) {}

  async run<E>(
    principal: Principal,
    operation: string,
    input: { idempotencyKey?: string | null },
    work: (em: EntityManager) => Promise<IdempotentOutcome<E>>,
  ): Promise<IdempotentOutcome<E>> {
    const key = input.idempotencyKey ?? undefined;
    if (!key) return inTransaction(this.db, work);
    const fingerprint = crypto.createHash('sha256').update(`${operation}:${canonical({ ...input, idempotencyKey: undefined })}`).digest('hex');
    const replay = async (em: EntityManager) => {
      const record = await em.findOneBy(IdempotencyRecord, { partnerId: principal.partnerId, key });
      if (!record) return null;
      if (record.operation !== operation || record.fingerprint !== fingerprint) {
        throw conflict(`idempotencyKey "${key}" was already used with different input`);
      }
      return { id: record.resultId, events: [] as E[] };
    };
    try {
      return await inTransaction(this.db, async (em) => {
        const earlier = await replay(em);
        if (earlier) return earlier;
        const outcome = await work(em);
        await em.insert(IdempotencyRecord, {
          partnerId: principal.partnerId,
          key,
          operation,
          fingerprint,
          resultId: outcome.id,
          createdAt: new Date(),
        });
        return outcome;
      });
    } catch (error) {
      // A concurrent call with the same key committed first: answer with its result.
      if (!isUniqueViolation(error)) throw error;
      const earlier = await replay(this.db.manager);
      if (!earlier) throw error;
      return earlier;
    }
  }
}
