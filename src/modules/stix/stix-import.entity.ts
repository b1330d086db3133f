import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Authority, Distribution, Platform } from '../../common/enums';

export enum StixImportStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
}

export enum StixImportAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  UNCHANGED = 'UNCHANGED',
  SKIP = 'SKIP',
}

export enum StixMatch {
  STIX_ID = 'STIX_ID',
  NAME = 'NAME',
  CROSS_SCRIPT = 'CROSS_SCRIPT',
  HANDLE = 'HANDLE',
}

registerEnumType(StixImportStatus, { name: 'StixImportStatus' });
registerEnumType(StixImportAction, { name: 'StixImportAction', description: 'What confirming the proposal would do with one object.' });
registerEnumType(StixMatch, {
  name: 'StixMatch',
  description: 'How an object was matched to a PAX one: its STIX id is the one PAX exports for it, the same name (NAME) or spelling or script variant (CROSS_SCRIPT) as the sanctions-list import matches, or the same platform and handle.',
});

@ObjectType('StixImportDesignation')
export class ProposedDesignation {
  @Field(() => Authority)
  authority: Authority;

  @Field()
  reference: string;

  @Field()
  designatedOn: string;
}

/** One threat-actor, intrusion-set or user-account of the bundle, and what would happen to it. */
@ObjectType('StixImportItem')
export class ProposalItem {
  @Field()
  stixId: string;

  @Field()
  stixType: string;

  @Field(() => StixImportAction)
  action: StixImportAction;

  @Field({ description: "The organisation's name, or the account's handle." })
  name: string;

  @Field(() => Platform, { nullable: true })
  platform?: Platform | null;

  @Field(() => ID, { nullable: true, description: 'The PAX organisation or account it matched.' })
  matchedId?: string | null;

  @Field(() => StixMatch, { nullable: true })
  matchedBy?: StixMatch | null;

  @Field(() => [String], { description: 'Aliases that would be added (organisations).' })
  aliases: string[];

  @Field(() => [ProposedDesignation], { description: 'Designations that would be recorded (organisations).' })
  designations: ProposedDesignation[];

  @Field(() => [String], { description: 'STIX ids of the organisations the account would be linked to (accounts).' })
  organisationStixIds: string[];

  @Field(() => String, { nullable: true, description: 'Why an object is skipped, or what was left out of it.' })
  note?: string | null;

  /** Accounts only: the display name the bundle gives. */
  displayName?: string | null;
}

/** A STIX bundle read and matched, waiting for an analyst of the same agency to confirm or reject it. */
@Entity('stix_import_proposals')
@Index(['partnerId', 'id'])
@ObjectType('StixImportProposal', { simpleResolvers: true })
export class StixImportProposal {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  partnerId: string;

  @Column({ type: 'varchar', length: 200 })
  proposedBySub: string;

  @Field(() => StixImportStatus)
  @Column({ type: 'varchar', length: 16 })
  status: StixImportStatus;

  @Field(() => Distribution, { description: 'The distribution of the accounts it creates.' })
  @Column({ type: 'varchar', length: 16 })
  distribution: Distribution;

  @Field()
  @Column({ type: 'varchar', length: 300 })
  bundleId: string;

  @Column({ type: 'simple-json' })
  items: ProposalItem[];

  @Field(() => Int, { description: 'Objects of other types in the bundle, which the import leaves alone.' })
  @Column({ type: 'integer' })
  ignoredObjects: number;

  @Field()
  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: 'varchar', length: 200, nullable: true })
  decidedBySub: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: Date, nullable: true })
  decidedAt: Date | null;

  @Field(() => [ProposalItem])
  get organisations(): ProposalItem[] {
    return this.items.filter((i) => i.stixType !== 'user-account');
  }

  @Field(() => [ProposalItem])
  get accounts(): ProposalItem[] {
    return this.items.filter((i) => i.stixType === 'user-account');
  }
}
