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
}

@Entity('designations')
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
}
