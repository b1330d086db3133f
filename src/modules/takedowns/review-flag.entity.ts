import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Why a takedown request needs its agency's review, raised by PAX itself (today: its organisation
 * was de-listed). A flag never changes the request's status or version; it is kept as history,
 * and the requesting agency settles it with a note (acknowledgeReviewFlag).
 */
@Entity('takedown_review_flags')
@ObjectType({ simpleResolvers: true })
export class ReviewFlag {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  takedownRequestId: string;

  @Column({ type: 'varchar', length: 36 })
  organisationId: string;

  @Field({ description: 'E.g. "organisation Jamaat-ul-Ahrar de-listed by UN on 2026-11-23 (QDe.152, UN Security Council Consolidated List); it has no active designation left".' })
  @Column({ type: 'text' })
  reason: string;

  @Field()
  @Column({ type: Date })
  raisedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the requesting agency settled the flag (acknowledgeReviewFlag); null while it is open.' })
  @Column({ type: Date, nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  acknowledgedBySub: string | null;

  /** Agencies' reasoning (why the request stands or goes): read through the resolver's policy, never by platforms. */
  @Column({ type: 'text', nullable: true })
  acknowledgementNote: string | null;
}
