import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One link of the tamper-evident audit log. `hash` is the SHA-256 of the previous entry's hash and
 * this entry's content (see audit-chain.ts), so editing, inserting or deleting a row breaks every
 * later link. Rows are only ever appended.
 */
@Entity('audit_log')
@ObjectType('AuditEntry', { simpleResolvers: true })
export class AuditEntry {
  /** A time-ordered id, for keyset paging like every other list. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Field(() => Int, { description: 'Position in the chain, from 1.' })
  @Index({ unique: true })
  @Column({ type: 'integer' })
  seq: number;

  @Field()
  @Column({ type: Date })
  at: Date;

  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  actorPartnerId: string | null;

  /** Personal data: masked for auditors and for other partners (see the access policy). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  actorSub: string | null;

  @Field(() => String, { nullable: true, description: 'The roles the actor held.' })
  @Column({ type: 'varchar', length: 300, nullable: true })
  actorRoles: string | null;

  @Field({ description: 'What was done, e.g. "mutation updateTakedownStatus" or "read evidence content".' })
  @Column({ type: 'varchar', length: 100 })
  action: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 60, nullable: true })
  objectType: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  objectId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 100, nullable: true })
  requestId: string | null;

  @Field({ description: 'OK, or the error code the attempt was refused with.' })
  @Column({ type: 'varchar', length: 40 })
  outcome: string;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  prevHash: string;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  hash: string;
}

/** The chain's head, one row: locked by every append so that entries never race for a position. */
@Entity('audit_head')
export class AuditHead {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}

@ObjectType({ description: 'The result of recomputing the audit chain over a range.' })
export class AuditChainVerification {
  @Field()
  intact: boolean;

  @Field(() => Int)
  checked: number;

  @Field(() => Int, { nullable: true, description: 'The first entry whose link does not hold.' })
  firstBrokenSeq: number | null;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => Int, { description: 'The chain head when the check ran.' })
  headSeq: number;

  @Field()
  headHash: string;
}

