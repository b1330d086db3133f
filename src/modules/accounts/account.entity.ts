import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Distribution, Platform } from '../../common/enums';

/** An account on a platform that an agency flagged as run by a proscribed organisation. */
@Entity('accounts')
@Index(['platform', 'handleKey'])
@ObjectType({ simpleResolvers: true })
export class Account {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Field(() => Platform)
  @Column({ type: 'varchar', length: 16 })
  platform: Platform;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  handle: string;

  /** The handle lower-cased and without a leading @, to find an agency's earlier flag. */
  @Column({ type: 'varchar', length: 200 })
  handleKey: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  platformAccountId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 300, nullable: true })
  displayName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 2048, nullable: true })
  url: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  bio: string | null;

  /** Exposed through the access policy: agencies only. */
  @Column({ type: 'varchar', length: 16 })
  distribution: Distribution;

  /** Exposed through the access policy: agencies only. */
  @Column({ type: 'text', nullable: true })
  internalNotes: string | null;

  /** PDQ of the avatar and its quality, for mirror detection. */
  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  avatarPdq: string | null;

  @Column({ type: 'integer', nullable: true })
  avatarQuality: number | null;

  /** PAX-internal hashes of the avatar's normalised forms (avatar-variants.ts), when PAX hashed the image itself. */
  @Column({ type: 'simple-json', nullable: true })
  avatarVariants: string[] | null;

  /** Backup links the account advertises (t.me, WhatsApp channels, sites). */
  @Field(() => [String], { nullable: true })
  @Column({ type: 'simple-json', nullable: true })
  links: string[] | null;

  /** The removed account this one was confirmed to replace. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  mirrorOfAccountId: string | null;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  flaggedByPartnerId: string;

  @Column({ type: 'varchar', length: 200 })
  flaggedBySub: string;

  @Field()
  @Column({ type: Date })
  createdAt: Date;
}

@Entity('account_organisations')
export class AccountOrganisation {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  accountId: string;

  @Index()
  @PrimaryColumn({ type: 'varchar', length: 36 })
  organisationId: string;
}
