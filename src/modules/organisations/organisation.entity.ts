import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Authority } from '../../common/enums';

/** A proscribed organisation. Public reference data; only `internalNotes` is agency-only. */
@Entity('organisations')
@ObjectType({ simpleResolvers: true })
export class Organisation {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Field()
  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Field(() => [String], { description: 'Other names, in any script.' })
  @Column({ type: 'simple-json' })
  aliases: string[];

  /** Lower-cased name and aliases, so search is case-insensitive on both engines. */
  @Index()
  @Column({ type: 'text' })
  searchText: string;

  /** Exposed only through the access policy (agencies). */
  @Column({ type: 'text', nullable: true })
  internalNotes: string | null;

  @Column({ type: 'varchar', length: 36 })
  createdByPartnerId: string;

  @Field()
  @Column({ type: Date })
  createdAt: Date;

  /** Moved forward by every write to it or its designations: STIX `modified` and TAXII date_added. */
  @Column({ type: Date })
  updatedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When its last active designation ended; null while any designation is active.' })
  @Column({ type: Date, nullable: true })
  delistedAt: Date | null;

  @Field(() => Boolean, { description: 'False once every designation has ended; its open takedown requests were then flagged for review.' })
  get designated(): boolean {
    return this.delistedAt === null;
  }
}

/**
 * Keyed by authority and reference: an import finds a listed entry again by them. The key is unique
 * over imported designations only, so that rows typed in by hand before imports existed (the same
 * free-text reference for two organisations) do not stop the migration.
 */
@Entity('designations')
@Index('IDX_designations_authority_reference', ['authority', 'reference'], { unique: true, where: '"list" IS NOT NULL' })
@ObjectType({ simpleResolvers: true })
export class Designation {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  organisationId: string;

  @Field(() => Authority)
  @Column({ type: 'varchar', length: 8 })
  authority: Authority;

  @Field({ description: 'The listing reference, e.g. QDe.132 on the UN 1267 list.' })
  @Column({ type: 'varchar', length: 200 })
  reference: string;

  @Field(() => GraphQLLocalDate)
  @Column({ type: 'varchar', length: 10 })
  designatedOn: string;

  @Field(() => String, { nullable: true, description: 'The published list this designation was imported from, which keeps it current; null when typed in by hand.' })
  @Index('IDX_designations_list')
  @Column({ type: 'varchar', length: 200, nullable: true })
  list: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'The day the list no longer carried it (the list\'s own date, else the import\'s). Ended designations are kept as history.' })
  @Column({ type: 'varchar', length: 10, nullable: true })
  delistedOn: string | null;

  @Field(() => Boolean, { description: 'Not de-listed.' })
  get active(): boolean {
    return this.delistedOn === null;
  }
}
