import { ArrayMaxSize, IsOptional, IsUrl, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Distribution, Platform } from '../../common/enums';
import { LegalBasisInput } from '../takedowns/takedown.types';
import { TakedownKind, TakedownPriority } from '../takedowns/takedown.enums';
import { Complaint, ComplaintStatus } from './complaint.entity';
import { Identifier } from '../../common/identifier';

@InputType()
export class SubmitComplaintInput {
  @Field({ description: 'The account or post complained about.' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  @Identifier({ max: 2048 })
  url: string;

  @Field(() => Platform, { nullable: true, description: 'Needed only when the URL is not on a known platform host.' })
  platform?: Platform | null;

  @Field()
  @Length(10, 4000)
  description: string;

  @Field(() => String, { nullable: true, description: 'How to reach the complainant; personal data, sealed at rest.' })
  @IsOptional()
  @MaxLength(500)
  contact?: string | null;
}

@ObjectType({ description: 'What the intake system gets back: a reference, and nothing of the casework.' })
export class ComplaintReceipt {
  @Field(() => ID)
  id: string;

  @Field()
  receivedAt: Date;
}

@InputType()
export class PromotionDraftInput {
  @Field(() => TakedownKind)
  kind: TakedownKind;

  @Field(() => TakedownPriority)
  priority: TakedownPriority;

  @Field(() => LegalBasisInput)
  @ValidateNested()
  legalBasis: LegalBasisInput;

  @Field(() => [String])
  @ArrayMaxSize(20)
  reasons: string[];
}

@InputType()
export class TriageComplaintInput {
  @Field(() => ID)
  id: string;

  @Field(() => ComplaintStatus, { description: 'DISMISSED (with a note), MERGED (into mergeIntoId) or PROMOTED.' })
  action: ComplaintStatus;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000)
  note?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  mergeIntoId?: string | null;

  @Field(() => [ID], { nullable: true, description: 'PROMOTED: the organisations the flagged account is linked to.' })
  @IsOptional()
  @IsUUID('all', { each: true })
  organisationIds?: string[] | null;

  @Field(() => Distribution, { nullable: true, description: 'PROMOTED: the flagged account’s distribution.' })
  distribution?: Distribution | null;

  @Field(() => PromotionDraftInput, { nullable: true, description: 'PROMOTED: also draft a takedown request for the account.' })
  @IsOptional()
  @ValidateNested()
  draft?: PromotionDraftInput | null;
}

@ObjectType({ description: 'NEW complaints about the same account (or URL), with what PAX already knows of it.' })
export class ComplaintGroup {
  @Field()
  groupKey: string;

  @Field(() => Platform, { nullable: true })
  platform: Platform | null;

  @Field(() => String, { nullable: true })
  accountKey: string | null;

  @Field(() => Int)
  count: number;

  @Field()
  firstReceivedAt: Date;

  @Field()
  lastReceivedAt: Date;

  @Field(() => [Complaint])
  complaints: Complaint[];

  @Field(() => ID, { nullable: true, description: 'The flagged account with this handle, if you may see it.' })
  flaggedAccountId: string | null;

  @Field({ description: 'Whether that account has been removed (actioned) already.' })
  removed: boolean;
}
