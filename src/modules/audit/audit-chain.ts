import crypto from 'node:crypto';
import { AuditEntry } from './audit.entity';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields a link covers, in a fixed order, so the same entry always hashes the same. */
export function canonicalContent(entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  return JSON.stringify([
    entry.id,
    entry.seq,
    entry.at.toISOString(),
    entry.actorPartnerId,
    entry.actorSub,
    entry.actorRoles,
    entry.action,
    entry.objectType,
    entry.objectId,
    entry.requestId,
    entry.outcome,
  ]);
}

export function linkHash(prevHash: string, entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  return crypto.createHash('sha256').update(prevHash).update('\n').update(canonicalContent(entry)).digest('hex');
}

/**
 * Walks entries in order from the link before them; reports the first one whose stored previous
 * hash, own hash or position does not follow.
 */
export function firstBrokenLink(previous: { seq: number; hash: string }, entries: AuditEntry[]): { seq: number; reason: string } | null {
  let expected = previous;
  for (const entry of entries) {
    if (entry.seq !== expected.seq + 1) return { seq: expected.seq + 1, reason: `entry ${expected.seq + 1} is missing (found ${entry.seq} next)` };
    if (entry.prevHash !== expected.hash) return { seq: entry.seq, reason: 'its previous-hash does not match the entry before it' };
    if (linkHash(entry.prevHash, entry) !== entry.hash) return { seq: entry.seq, reason: 'its content does not match its hash: the row was altered' };
    expected = entry;
  }
  return null;
}
