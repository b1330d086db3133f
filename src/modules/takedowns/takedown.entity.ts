import { Field, ObjectType } from 'type-graphql';
import { HistoryEntry } from '../../common/history-entry';
import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { Classification, Distribution } from '../../common/enums';
import { AddressedRequest } from '../../common/addressed-request';
import {
  StatusReasonCode,
  TakedownAction,
  TakedownKind,
  TakedownPriority,
  TakedownStatus,
} from './takedown.enums';

/** The states in which the addressed platform owes an answer and the deadline clock runs. */
export const CLOCK_RUNNING: readonly TakedownStatus[] = [
  TakedownStatus.SUBMITTED,
  TakedownStatus.ACKNOWLEDGED,
  TakedownStatus.ESCALATED,
];

/** The states a request never leaves; every other request is open. */
export const FINAL_STATUSES: readonly TakedownStatus[] = [TakedownStatus.CLOSED, TakedownStatus.WITHDRAWN];

@Entity('takedown_requests')
@Index(['addressedPartnerId', 'status'])
@Index(['originatorPartnerId'])
@Index('IDX_takedown_requests_addressed_id', ['addressedPartnerId', 'id'])
@Index('IDX_takedown_requests_originator_id', ['originatorPartnerId', 'id'])
@ObjectType({ simpleResolvers: true })
export class TakedownRequest extends AddressedRequest {
  @Field(() => TakedownStatus)
  @Column({ type: 'varchar', length: 20 })
  status: TakedownStatus;

  @Field(() => TakedownKind)
  @Column({ type: 'varchar', length: 16 })
  kind: TakedownKind;

  @Field(() => TakedownPriority)
  @Column({ type: 'varchar', length: 16 })
  priority: TakedownPriority;

  @Field(() => [String])
  @Column({ type: 'simple-json' })
  reasons: string[];

  /** Exposed through the access policy: agencies only. */
  @Column({ type: 'varchar', length: 16 })
  distribution: Distribution;

  /** Exposed through the access policy: agencies only. */
  @Column({ type: 'text', nullable: true })
  internalNotes: string | null;

  /** The deadline each escalation notice was sent for; a new clock makes them due again. */
  @Column({ type: Date, nullable: true })
  deadlineWarning50For: Date | null;

  @Column({ type: Date, nullable: true })
  deadlineWarning90For: Date | null;

  @Column({ type: Date, nullable: true })
  overdueNoticeFor: Date | null;

  @Field(() => Boolean, { description: 'The deadline has passed and the platform has not answered yet.' })
  get overdue(): boolean {
    return CLOCK_RUNNING.includes(this.status) && this.deadlineAt !== null && this.deadlineAt.getTime() < Date.now();
  }
}

@Entity('takedown_request_accounts')
export class TakedownRequestAccount {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  takedownRequestId: string;

  @Index()
  @PrimaryColumn({ type: 'varchar', length: 36 })
  accountId: string;
}

@Entity('takedown_request_organisations')
export class TakedownRequestOrganisation {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  takedownRequestId: string;

  @Index()
  @PrimaryColumn({ type: 'varchar', length: 36 })
  organisationId: string;
}

/** One row per status change, append-only. `sequence` equals the request's version after it. */
@Entity('takedown_status_history')
@Unique(['takedownRequestId', 'sequence'])
@Index('IDX_takedown_status_history_status_at', ['toStatus', 'at'])
@ObjectType('StatusHistoryEntry', { simpleResolvers: true })
export class StatusHistoryEntry extends HistoryEntry {
  @Column({ type: 'varchar', length: 36 })
  takedownRequestId: string;

  @Field(() => TakedownStatus, { nullable: true, description: 'Null for the entry that created the draft.' })
  @Column({ type: 'varchar', length: 20, nullable: true })
  fromStatus: TakedownStatus | null;

  @Field(() => TakedownStatus)
  @Column({ type: 'varchar', length: 20 })
  toStatus: TakedownStatus;

  @Field(() => StatusReasonCode, { nullable: true })
  @Column({ type: 'varchar', length: 40, nullable: true })
  reasonCode: StatusReasonCode | null;

  @Field(() => TakedownAction, { nullable: true })
  @Column({ type: 'varchar', length: 40, nullable: true })
  action: TakedownAction | null;

  /** Exposed through the access policy: RESTRICTED notes reach agencies only. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Field(() => Classification)
  @Column({ type: 'varchar', length: 16 })
  noteClassification: Classification;
}
