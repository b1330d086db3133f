import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Platform } from '../../common/enums';

export enum ComplaintStatus {
  NEW = 'NEW',
  DISMISSED = 'DISMISSED',
  MERGED = 'MERGED',
  PROMOTED = 'PROMOTED',
}

registerEnumType(ComplaintStatus, { name: 'ComplaintStatus', description: 'NEW until an analyst dismisses it, merges it into another or promotes it.' });

/**
 * A complaint from the public about a terror-related account or post, filed by an agency's intake
 * system. The complainant's contact details are personal data and are sealed like evidence.
 */
@Entity('complaints')
@Index(['intakePartnerId', 'status', 'groupKey'])
@ObjectType({ simpleResolvers: true })
export class Complaint {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  intakePartnerId: string;

  @Field()
  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Field({ description: 'Host and path only, so that forms of one URL group together.' })
  @Column({ type: 'varchar', length: 2048 })
  normalisedUrl: string;

  @Field(() => Platform, { nullable: true })
  @Column({ type: 'varchar', length: 16, nullable: true })
  platform: Platform | null;

  @Field(() => String, { nullable: true, description: 'PLATFORM:handle when the URL names an account.' })
  @Column({ type: 'varchar', length: 300, nullable: true })
  accountKey: string | null;

  /** The account key, or the normalised URL when there is none: what duplicates share. */
  @Field({ description: 'What duplicates share: the account key, or else the normalised URL.' })
  @Column({ type: 'varchar', length: 2048 })
  groupKey: string;

  @Field()
  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text', nullable: true })
  contactCiphertext: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  contactIv: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  contactAuthTag: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  contactWrappedKey: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  contactKeyId: string | null;

  @Field(() => ComplaintStatus)
  @Column({ type: 'varchar', length: 16 })
  status: ComplaintStatus;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'varchar', length: 36, nullable: true })
  mergedIntoId: string | null;

  @Field(() => ID, { nullable: true, description: 'The flagged account it was promoted to.' })
  @Column({ type: 'varchar', length: 36, nullable: true })
  promotedAccountId: string | null;

  @Field(() => ID, { nullable: true, description: 'The takedown draft it was promoted to.' })
  @Column({ type: 'varchar', length: 36, nullable: true })
  promotedRequestId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  triagedBySub: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: Date, nullable: true })
  triagedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  triageNote: string | null;

  @Field()
  @Column({ type: Date })
  receivedAt: Date;
}
