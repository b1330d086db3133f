import { ArrayMaxSize, ArrayMinSize, IsBase64, IsOptional, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Platform } from '../../common/enums';
import { ConnectionType } from '../../common/connection';
import { EvidenceInput } from '../evidence/evidence.types';
import { LegalBasisInput } from '../takedowns/takedown.types';
import { Identifier } from '../../common/identifier';
import { DisclosureHistoryEntry, DisclosureRequest } from './disclosure.entity';
import { DataCategory, DisclosureRejectionReason, DisclosureStatus, DisclosureType, PreservationStatus, UserNotificationStatus } from './disclosure.enums';

@InputType()
export class AccountReferenceInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Identifier({ max: 200 })
  handle?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Identifier({ max: 2048 })
  url?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Identifier({ max: 200 })
  platformAccountId?: string | null;
}

@InputType()
export class CategoryJustificationInput {
  @Field(() => DataCategory)
  category: DataCategory;

  @Field()
  @Length(10, 2000)
  reason: string;
}

@InputType()
export class EmergencyDetailsInput {
  @Field()
  @Length(3, 1000)
  personAtRisk: string;

  @Field()
  @Length(10, 4000)
  danger: string;

  @Field(() => [CategoryJustificationInput], { description: 'Why each category asked for is needed to avert the danger.' })
  @ValidateNested({ each: true })
  justifications: CategoryJustificationInput[];
}

@InputType()
export class CreateDisclosureRequestInput {
  @Field(() => DisclosureType)
  type: DisclosureType;

  @Field(() => Platform)
  platform: Platform;

  @Field(() => [AccountReferenceInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  accounts: AccountReferenceInput[];

  @Field(() => [DataCategory])
  @ArrayMinSize(1)
  categories: DataCategory[];

  @Field()
  dataFrom: Date;

  @Field()
  dataTo: Date;

  @Field(() => LegalBasisInput, { description: 'Checked against the configured instrument rules (see the README).' })
  @ValidateNested()
  legalBasis: LegalBasisInput;

  @Field(() => EvidenceInput, { nullable: true, description: 'The authorisation document (order, warrant, MLAT request): hashed and sealed.' })
  @IsOptional()
  @ValidateNested()
  authorisation?: EvidenceInput | null;

  @Field(() => EmergencyDetailsInput, { nullable: true, description: 'Required for EMERGENCY requests.' })
  @IsOptional()
  @ValidateNested()
  emergency?: EmergencyDetailsInput | null;

  @Field(() => ID, { nullable: true, description: 'The takedown request this supports.' })
  @IsOptional()
  @IsUUID()
  takedownRequestId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Identifier({ max: 200 })
  caseReference?: string | null;

  @Field(() => ID, { nullable: true, description: 'The PRESERVATION request this legal process follows; its hold becomes CONVERTED on submission.' })
  @IsOptional()
  @IsUUID()
  preservationRequestId?: string | null;

  @Field(() => Date, { nullable: true, description: 'A non-disclosure order: the platform must not tell the user before this date.' })
  userNotificationDelayedUntil?: Date | null;
}

@InputType({ description: 'The data a platform produces; sealed on arrival.' })
export class DisclosureProductionInput {
  @Field({ description: 'The produced data, base64; at most PAX_DISCLOSURE_MAX_BYTES bytes.' })
  @IsBase64(undefined, { message: 'payloadBase64 must be base64' })
  payloadBase64: string;

  @Field({ defaultValue: 'application/json' })
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'mediaType must look like type/subtype' })
  mediaType: string;

  @Field(() => [DataCategory], { description: 'The categories actually included.' })
  @ArrayMinSize(1)
  categories: DataCategory[];
}

@InputType()
export class UpdateDisclosureStatusInput {
  @Field(() => ID)
  id: string;

  @Field(() => DisclosureStatus)
  status: DisclosureStatus;

  @Field(() => DisclosureRejectionReason, { nullable: true })
  rejectionReason?: DisclosureRejectionReason | null;

  @Field(() => String, { nullable: true, description: 'Seen by both sides.' })
  @IsOptional()
  @MaxLength(4000)
  note?: string | null;

  @Field(() => DisclosureProductionInput, { nullable: true, description: 'With PRODUCED_FULL or PRODUCED_PARTIAL.' })
  @IsOptional()
  @ValidateNested()
  production?: DisclosureProductionInput | null;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;
}

@InputType()
export class UpdateUserNotificationInput {
  @Field(() => ID)
  id: string;

  @Field(() => UserNotificationStatus)
  status: UserNotificationStatus;

  @Field(() => Date, { nullable: true, description: 'With DELAYED_UNTIL.' })
  delayedUntil?: Date | null;
}

@InputType()
export class DisclosureRequestFilter {
  @Field(() => [DisclosureStatus], { nullable: true })
  statuses?: DisclosureStatus[];

  @Field(() => DisclosureType, { nullable: true })
  type?: DisclosureType;

  @Field(() => Platform, { nullable: true })
  platform?: Platform;
}

@ObjectType({ description: 'A preservation hold: the platform keeps the data until it expires or legal process arrives.' })
export class PreservationHold {
  @Field(() => PreservationStatus)
  status: PreservationStatus;

  @Field()
  expiresAt: Date;

  @Field(() => Date, { nullable: true })
  extendedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The disclosure request that converted it.' })
  convertedToId: string | null;
}

@ObjectType({ description: 'What a platform produced, without the data itself.' })
export class ProductionSummary {
  @Field(() => [DataCategory])
  categories: DataCategory[];

  @Field()
  mediaType: string;

  @Field(() => Int)
  sizeBytes: number;

  @Field({ description: 'SHA-256 of the produced bytes, for chain of custody.' })
  sha256: string;

  @Field()
  producedAt: Date;
}

@ObjectType({ description: 'A sealed production, opened. Each opening is recorded.' })
export class OpenedDisclosure {
  @Field(() => ID)
  disclosureRequestId: string;

  @Field()
  mediaType: string;

  @Field({ description: 'The produced bytes, base64.' })
  payloadBase64: string;

  @Field()
  sha256: string;

  @Field()
  producedAt: Date;

  @Field()
  openedAt: Date;
}

export enum DisclosureEventKind {
  STATUS_CHANGED = 'STATUS_CHANGED',
  USER_NOTIFICATION_DUE = 'USER_NOTIFICATION_DUE',
}

@ObjectType({ description: 'A change to a disclosure request, as the subscriber may see it now.' })
export class DisclosureStatusEvent {
  @Field(() => DisclosureRequest)
  disclosure: DisclosureRequest;

  @Field(() => String, { description: 'STATUS_CHANGED, or USER_NOTIFICATION_DUE when a non-disclosure order has ended.' })
  kind: DisclosureEventKind;

  @Field(() => DisclosureHistoryEntry, { nullable: true })
  entry: DisclosureHistoryEntry | null;
}

@ObjectType()
export class PreservationExpiringEvent {
  @Field(() => DisclosureRequest)
  disclosure: DisclosureRequest;

  @Field()
  expiresAt: Date;
}

@ObjectType()
export class DisclosureRequestConnection extends ConnectionType(DisclosureRequest, 'DisclosureRequest') {}
