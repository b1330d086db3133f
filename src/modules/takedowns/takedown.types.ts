import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, Length, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Classification, Distribution, Platform } from '../../common/enums';
import { ConnectionType } from '../../common/connection';
import { PartnerView } from '../partners/partner.types';
import { StatusHistoryEntry, TakedownRequest } from './takedown.entity';
import { ReviewFlag } from './review-flag.entity';
import { Identifier } from '../../common/identifier';
import {
  DeadlineLevel,
  StatusReasonCode,
  TakedownAction,
  TakedownKind,
  TakedownPriority,
  TakedownStatus,
} from './takedown.enums';

@ObjectType({ simpleResolvers: true, description: 'The law a request relies on, e.g. PECA 2016 s.37 or EU 2021/784 art.3.' })
export class LegalBasis {
  @Field()
  instrument: string;

  @Field(() => String, { nullable: true })
  section: string | null;
}

@InputType()
export class LegalBasisInput {
  @Field({ description: 'The instrument, e.g. "PECA 2016", "ATA 1997", "EU 2021/784". Keys the SLA policy.' })
  @Identifier({ min: 2, max: 200 })
  instrument: string;

  @Field({ nullable: true, description: 'The section or article, e.g. "s.37".' })
  @IsOptional()
  @Identifier({ max: 200 })
  section?: string;
}

@InputType()
export class CreateTakedownRequestInput {
  @Field(() => [ID])
  @ArrayMinSize(1, { message: 'a request names at least one account' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'accountIds must be account ids' })
  accountIds: string[];

  @Field(() => TakedownKind)
  kind: TakedownKind;

  @Field(() => TakedownPriority, { defaultValue: TakedownPriority.STANDARD })
  priority: TakedownPriority;

  @Field(() => LegalBasisInput)
  @ValidateNested()
  legalBasis: LegalBasisInput;

  @Field(() => [String])
  @ArrayMinSize(1, { message: 'give at least one reason' })
  @ArrayMaxSize(20)
  @Length(1, 2000, { each: true })
  reasons: string[];

  @Field(() => [ID], { nullable: true, description: "Defaults to the accounts' organisations." })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true, message: 'organisationIds must be organisation ids' })
  organisationIds?: string[];

  @Field(() => Distribution, {
    nullable: true,
    description: 'Defaults to ORIGINATOR_ONLY when any account is, else ALL_AGENCIES.',
  })
  @IsOptional()
  distribution?: Distribution;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(10000)
  internalNotes?: string;

  @Field({ nullable: true, description: 'Send the same key again to get the first result back instead of a duplicate.' })
  @IsOptional()
  @Identifier({ max: 200 })
  idempotencyKey?: string;
}

@InputType()
export class UpdateTakedownStatusInput {
  @Field(() => ID)
  id: string;

  @Field(() => TakedownStatus)
  status: TakedownStatus;

  @Field(() => TakedownAction, { nullable: true, description: 'Required for ACTIONED.' })
  @IsOptional()
  action?: TakedownAction;

  @Field(() => StatusReasonCode, { nullable: true, description: 'Required for INFO_REQUESTED and REJECTED.' })
  @IsOptional()
  reasonCode?: StatusReasonCode;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(4000)
  note?: string;

  @Field(() => Classification, {
    nullable: true,
    description: 'Platform notes and clarifications are SHAREABLE; other agency notes default to RESTRICTED.',
  })
  @IsOptional()
  noteClassification?: Classification;

  @Field(() => Int, { nullable: true, description: 'The version you last read; a stale one is a CONFLICT.' })
  @IsOptional()
  @Min(0)
  expectedVersion?: number;

  @Field({ nullable: true })
  @IsOptional()
  @Identifier({ max: 200 })
  idempotencyKey?: string;

  @Field(() => TakedownKind, { nullable: true, description: 'With ESCALATED: e.g. turn a REFERRAL into an ORDER.' })
  @IsOptional()
  escalateAs?: TakedownKind;
}

@InputType()
export class TakedownRequestFilter {
  @Field(() => [TakedownStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  statuses?: TakedownStatus[];

  @Field(() => Platform, { nullable: true })
  platform?: Platform;

  @Field(() => TakedownKind, { nullable: true })
  kind?: TakedownKind;

  @Field(() => TakedownPriority, { nullable: true })
  priority?: TakedownPriority;

  @Field({ nullable: true, description: 'Only requests past their deadline and still unanswered.' })
  @IsOptional()
  overdue?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  accountId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  organisationId?: string;
}

@InputType()
export class TakedownStatusChangedFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  requestId?: string;

  @Field(() => Platform, { nullable: true })
  platform?: Platform;

  @Field(() => [TakedownStatus], { nullable: true })
  @IsOptional()
  statuses?: TakedownStatus[];
}

@ObjectType({ description: 'A status change: the request as the subscriber may see it now, and the history entry.' })
export class TakedownStatusEvent {
  @Field(() => TakedownRequest)
  request: TakedownRequest;

  @Field(() => StatusHistoryEntry)
  entry: StatusHistoryEntry;
}

@ObjectType()
export class StatusActor {
  @Field(() => PartnerView)
  partner: PartnerView;

  @Field(() => String, { nullable: true, description: 'The person or system; shown to its own partner only.' })
  sub: string | null;
}

@ObjectType()
export class TakedownRequestConnection extends ConnectionType(TakedownRequest, 'TakedownRequest') {}

@ObjectType({ description: 'A request flagged for its agency\'s review; its status is unchanged.' })
export class TakedownReviewFlagged {
  @Field(() => TakedownRequest)
  request: TakedownRequest;

  @Field(() => ReviewFlag)
  flag: ReviewFlag;
}

@ObjectType({ description: 'A request running out of time: half or 90% of the time allowed used, or past its deadline.' })
export class TakedownOverdueNotice {
  @Field(() => TakedownRequest)
  request: TakedownRequest;

  @Field(() => DeadlineLevel)
  level: DeadlineLevel;

  @Field({ description: 'The deadline the notice is about.' })
  deadlineAt: Date;
}

@InputType()
export class AcknowledgeReviewFlagInput {
  @Field(() => ID, { description: 'The review flag.' })
  id: string;

  @Field({ description: 'Why the request stands (e.g. the account also serves a group still designated) or what the agency does instead (e.g. withdraws it).' })
  @MaxLength(4000)
  note: string;
}
