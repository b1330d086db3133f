import { AuditEntry } from './audit.entity';
import { firstBrokenLink, GENESIS_HASH, linkHash } from './audit-chain';

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const entry = Object.assign(new AuditEntry(), {
      id: `e${seq}`, seq, at: new Date(Date.UTC(2026, 10, 23, 9, seq)), actorPartnerId: 'pta', actorSub: `user-${seq}`, actorRoles: 'AGENCY_ANALYST',
      action: 'mutation flagAccount', objectType: 'Account', objectId: `a${seq}`, requestId: `r${seq}`, outcome: 'OK', prevHash,
    });
    entry.hash = linkHash(prevHash, entry);
    prevHash = entry.hash;
    entries.push(entry);
  }
  return entries;
}

const start = { seq: 0, hash: GENESIS_HASH };

describe('the audit hash chain', () => {
  it('holds for an untouched chain', () => {
    expect(firstBrokenLink(start, chain(20))).toBeNull();
  });

  it('finds an edited field, a deleted entry, a reordered pair and a rehashed row', () => {
    const edited = chain(20);
    edited[7].outcome = 'FORBIDDEN';
    expect(firstBrokenLink(start, edited)).toEqual({ seq: 8, reason: expect.stringMatching(/altered/) });

    const deleted = chain(20);
    deleted.splice(4, 1);
    expect(firstBrokenLink(start, deleted)?.seq).toBe(5);

    const swapped = chain(20);
    [swapped[2], swapped[3]] = [swapped[3], swapped[2]];
    expect(firstBrokenLink(start, swapped)?.seq).toBe(3);

    // Recomputing the edited row's own hash is not enough: the next link still names the old one.
    const rehashed = chain(20);
    rehashed[9].actorSub = 'someone-else';
    rehashed[9].hash = linkHash(rehashed[9].prevHash, rehashed[9]);
    expect(firstBrokenLink(start, rehashed)?.seq).toBe(11);
  });
});
