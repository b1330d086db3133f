import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, PrimaryColumn } from 'typeorm';

/**
 * What every status history entry holds besides its statuses: its place in the request's history,
 * who moved the request and when. Append-only; `sequence` equals the request's version after it.
 */
@ObjectType()
export abstract class HistoryEntry {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Field(() => Int)
  @Column({ type: 'integer' })
  sequence: number;

  @Column({ type: 'varchar', length: 36 })
  actorPartnerId: string;

  /** Personal data: shown only to the acting partner (see the access policy). */
  @Column({ type: 'varchar', length: 200 })
  actorSub: string;

  @Field()
  @Column({ type: Date })
  at: Date;
}
