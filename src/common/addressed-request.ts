import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, PrimaryColumn } from 'typeorm';
import { Platform } from './enums';

/**
 * What takedown and disclosure requests share: an agency asks one platform partner, under a legal
 * instrument, against a deadline clock, and every status change bumps `version`.
 */
@ObjectType()
export abstract class AddressedRequest {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Field(() => Platform)
  @Column({ type: 'varchar', length: 16 })
  platform: Platform;

  @Column({ type: 'varchar', length: 36 })
  addressedPartnerId: string;

  @Column({ type: 'varchar', length: 36 })
  originatorPartnerId: string;

  @Column({ type: 'varchar', length: 200 })
  legalInstrument: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  legalSection: string | null;

  @Field(() => Int, { description: 'The number of status transitions so far; pass it as expectedVersion.' })
  @Column({ type: 'integer' })
  version: number;

  @Field(() => Date, { nullable: true, description: 'When the platform must have answered; null while drafted or paused.' })
  @Column({ type: Date, nullable: true })
  deadlineAt: Date | null;

  /** Time left on the clock while it is paused for the agency's answer. */
  @Column({ type: 'integer', nullable: true })
  pausedRemainingMs: number | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: Date, nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'varchar', length: 200 })
  draftedBySub: string;

  @Field()
  @Column({ type: Date })
  createdAt: Date;

  @Field()
  @Column({ type: Date })
  updatedAt: Date;
}
