import { Field, ObjectType } from 'type-graphql';
import { HistoryEntry } from '../../common/history-entry';
import { AccessRecord } from '../../common/access-record';
import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { AddressedRequest } from '../../common/addressed-request';
import {
  DataCategory,
  DisclosureRejectionReason,
  DisclosureStatus,
  DisclosureType,
  PreservationStatus,
  UserNotificationStatus,
} from './disclosure.enums';

/** The states in which the platform owes an answer and the deadline clock runs. */
export const DISCLOSURE_CLOCK_RUNNING: readonly DisclosureStatus[] = [DisclosureStatus.SUBMITTED, DisclosureStatus.UNDER_REVIEW];

@ObjectType()
export class AccountReference {
  @Field(() => String, { nullable: true })
  handle?: string | null;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => String, { nullable: true })
  platformAccountId?: string | null;
}

@ObjectType()
export class CategoryJustification {
  @Field(() => DataCategory)
  category: DataCategory;

  @Field()
  reason: string;
}

@ObjectType({ description: 'Why an emergency request cannot wait for legal process.' })
export class EmergencyDetails {
  @Field({ description: 'Who is at risk (a description, not necessarily a name).' })
  personAtRisk: string;

  @Field({ description: 'The nature of the danger: death or serious physical injury, and how imminent.' })
  danger: string;

  @Field(() => [CategoryJustification])
  justifications: CategoryJustification[];
}

/**
 * A request from an agency to one platform partner for the data behind accounts. The payload the
 * platform produces is never on this row: it lives sealed in `disclosure_productions`.
 */
@Entity('disclosure_requests')
@Index('IDX_disclosure_requests_addressed_id', ['addressedPartnerId', 'id'])
@Index('IDX_disclosure_requests_originator_id', ['originatorPartnerId', 'id'])
@ObjectType('DisclosureRequest', { simpleResolvers: true })
export class DisclosureRequest extends AddressedRequest {
  @Field(() => DisclosureType)
  @Column({ type: 'varchar', length: 16 })
  type: DisclosureType;

  @Field(() => DisclosureStatus)
  @Column({ type: 'varchar', length: 20 })
  status: DisclosureStatus;

  @Field(() => [AccountReference])
  @Column({ type: 'simple-json' })
  accounts: AccountReference[];

  @Field(() => [DataCategory])
  @Column({ type: 'simple-json' })
  categories: DataCategory[];

  @Field({ description: 'The start of the period the data is asked for.' })
  @Column({ type: Date })
  dataFrom: Date;

  @Field()
  @Column({ type: Date })
  dataTo: Date;

  @Field(() => EmergencyDetails, { nullable: true })
  @Column({ type: 'simple-json', nullable: true })
  emergency: EmergencyDetails | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  takedownRequestId: string | null;

  @Field(() => String, { nullable: true, description: "The agency's own case reference." })
  @Column({ type: 'varchar', length: 200, nullable: true })
  caseReference: string | null;

  /** The preservation request this legal process follows; submitting it converts that hold. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  preservationRequestId: string | null;

  @Field(() => DisclosureRejectionReason, { nullable: true })
  @Column({ type: 'varchar', length: 30, nullable: true })
  rejectionReason: DisclosureRejectionReason | null;

  @Field(() => UserNotificationStatus)
  @Column({ type: 'varchar', length: 20 })
  userNotification: UserNotificationStatus;

  @Field(() => Date, { nullable: true, description: 'With DELAYED_UNTIL: when the non-disclosure order ends.' })
  @Column({ type: Date, nullable: true })
  userNotificationDelayedUntil: Date | null;

  /** When the platform was prompted that the delay ended; claimed once across instances. */
  @Column({ type: Date, nullable: true })
  userNotificationPromptedAt: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  preservationStatus: PreservationStatus | null;

  @Column({ type: Date, nullable: true })
  preservationExpiresAt: Date | null;

  @Column({ type: Date, nullable: true })
  preservationExtendedAt: Date | null;

  /** The expiry the last "expiring soon" notice was for; an extension makes a new one due. */
  @Column({ type: Date, nullable: true })
  preservationNoticeFor: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  preservationConvertedToId: string | null;

  @Field(() => Boolean, { description: 'The deadline has passed and the platform has not answered yet.' })
  get overdue(): boolean {
    return DISCLOSURE_CLOCK_RUNNING.includes(this.status) && this.deadlineAt !== null && this.deadlineAt.getTime() < Date.now();
  }
}

/** One row per status change, append-only; `sequence` equals the request's version after it. */
@Entity('disclosure_history')
@Unique(['disclosureRequestId', 'sequence'])
@ObjectType('DisclosureHistoryEntry', { simpleResolvers: true })
export class DisclosureHistoryEntry extends HistoryEntry {
  @Column({ type: 'varchar', length: 36 })
  disclosureRequestId: string;

  @Field(() => DisclosureStatus, { nullable: true })
  @Column({ type: 'varchar', length: 20, nullable: true })
  fromStatus: DisclosureStatus | null;

  @Field(() => DisclosureStatus)
  @Column({ type: 'varchar', length: 20 })
  toStatus: DisclosureStatus;

  @Field(() => String, { nullable: true, description: 'Notes pass between the two sides; both see them.' })
  @Column({ type: 'text', nullable: true })
  note: string | null;
}

/**
 * What a platform produced, sealed: AES-256-GCM under a per-disclosure data key that the master
 * key wraps. No GraphQL type exposes these columns; `openDisclosure` is the only way out.
 */
@Entity('disclosure_productions')
export class DisclosureProduction {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 36 })
  disclosureRequestId: string;

  @Column({ type: 'varchar', length: 36 })
  producedByPartnerId: string;

  @Column({ type: 'varchar', length: 200 })
  producedBySub: string;

  @Column({ type: Date })
  producedAt: Date;

  @Column({ type: 'simple-json' })
  categories: DataCategory[];

  @Column({ type: 'varchar', length: 100 })
  mediaType: string;

  @Column({ type: 'integer' })
  sizeBytes: number;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'text' })
  ciphertext: string;

  @Column({ type: 'varchar', length: 32 })
  iv: string;

  @Column({ type: 'varchar', length: 32 })
  authTag: string;

  @Column({ type: 'varchar', length: 200 })
  wrappedKey: string;

  @Column({ type: 'varchar', length: 64 })
  keyId: string;
}

/** Every opening of a sealed production: who, when and why. */
@Entity('disclosure_openings')
@ObjectType('DisclosureOpening', { simpleResolvers: true })
export class DisclosureOpening extends AccessRecord {
  @Index()
  @Column({ type: 'varchar', length: 36 })
  disclosureRequestId: string;

  @Field()
  @Column({ type: 'text' })
  purpose: string;
}
