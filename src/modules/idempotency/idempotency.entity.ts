import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The first result of a mutation retried under the same key by the same partner. */
@Entity('idempotency_records')
export class IdempotencyRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  partnerId: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  @Column({ type: 'varchar', length: 64 })
  operation: string;

  /** SHA-256 of the canonical input: the same key with other input is a CONFLICT. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ type: 'varchar', length: 36 })
  resultId: string;

  @Column({ type: Date })
  createdAt: Date;
}
