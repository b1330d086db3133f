import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export enum SignalOp {
  UPSERT = 'upsert',
  TOMBSTONE = 'tombstone',
}

/**
 * The signal feed's change log: one row per published change to the set of removed accounts,
 * written in the transaction of the status change that causes it. `seq` is the feed's cursor.
 * `accountId` stays inside PAX; the feed names entries by `entryId` only.
 */
@Entity('signal_changes')
export class SignalChange {
  @PrimaryGeneratedColumn('increment')
  seq!: number;

  @Column({ type: 'varchar', length: 36 })
  entryId!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 16 })
  op!: SignalOp;

  /** The published entry as JSON, exactly as it goes on the wire; null for a tombstone. */
  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  @Column({ type: Date })
  createdAt!: Date;
}

/**
 * The feed's one row of state: changes at or below `floor` have been compacted away, status
 * changes up to `reconciledThrough` have been checked against the feed, and its entries were keyed
 * with `keyScheme`.
 */
@Entity('signal_feed')
export class SignalFeedState {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id!: string;

  @Column({ type: 'integer' })
  floor!: number;

  @Column({ type: Date, nullable: true })
  reconciledThrough!: Date | null;

  /** The `SIGNAL_KEY_SCHEME` the entries were last keyed with; null before the first start that checked. */
  @Column({ type: 'integer', nullable: true })
  keyScheme!: number | null;
}
