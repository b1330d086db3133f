import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AccessRecord } from '../../common/access-record';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Classification } from '../../common/enums';

/**
 * An item of evidence: about an account (takedown evidence) or attached to a disclosure request
 * (the authorisation document). A captured copy of its bytes is optional; when present it is sealed
 * at rest like disclosed data, and its SHA-256, capture time and capturing partner fix the chain of
 * custody. Platforms see SHAREABLE items of their own requests only.
 */
@Entity('evidence_items')
@ObjectType('EvidenceItem', { simpleResolvers: true })
export class EvidenceItem {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  accountId: string | null;

  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  disclosureRequestId: string | null;

  @Field(() => String, { nullable: true, description: 'Where the item was found; null for an uploaded document.' })
  @Column({ type: 'varchar', length: 2048, nullable: true })
  url: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => Classification)
  @Column({ type: 'varchar', length: 16 })
  classification: Classification;

  @Column({ type: 'varchar', length: 36 })
  addedByPartnerId: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  capturedBySub: string | null;

  @Field(() => Date, { description: 'When the capturing partner says the copy was taken.' })
  @Column({ type: Date })
  capturedAt: Date;

  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of the captured bytes, fixed at upload.' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  sizeBytes: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 100, nullable: true })
  mediaType: string | null;

  @Column({ type: 'text', nullable: true })
  ciphertext: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  iv: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  authTag: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  wrappedKey: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  keyId: string | null;

  @Field()
  @Column({ type: Date })
  createdAt: Date;
}

export enum EvidenceAccessAction {
  READ_CONTENT = 'READ_CONTENT',
  VERIFIED = 'VERIFIED',
}

/** The custody log: every time someone read an item's captured bytes or verified them. */
@Entity('evidence_accesses')
@ObjectType('EvidenceAccess', { simpleResolvers: true })
export class EvidenceAccess extends AccessRecord {
  @Index()
  @Column({ type: 'varchar', length: 36 })
  evidenceItemId: string;

  @Field(() => String)
  @Column({ type: 'varchar', length: 20 })
  action: EvidenceAccessAction;
}
