import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, MaxLength } from 'class-validator';
import { AccountProfileFields } from '../accounts/account.types';
import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { Platform } from '../../common/enums';
import { ConnectionType } from '../../common/connection';
import { MirrorVerdict } from './engine/model';
import { MirrorAlert, MirrorAlertStatus, MirrorReviewDecision } from './mirror-alert.entity';

export const MAX_BATCH = 1000;

@InputType()
export class ScreenAccountInput extends AccountProfileFields {
  /** Decorations (bidi controls, zero-width characters, confusables) are evidence the engine folds away. */
  @Field()
  @Length(1, 200)
  handle: string;
}

@InputType()
export class ScreenAccountsInput {
  @Field(() => [ScreenAccountInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH, { message: `screen at most ${MAX_BATCH} accounts a call` })
  // Each profile is validated by the resolver, a slice at a time (common/validation.ts).
  accounts: ScreenAccountInput[];
}

/** Who an account is on its platform; the part every view of an account shares. */
@ObjectType({ simpleResolvers: true })
export class AccountIdentityView {
  @Field(() => Platform)
  platform: Platform;

  @Field()
  handle: string;

  @Field(() => String, { nullable: true })
  displayName: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'The public view of a removed account: no requests, notes or evidence.' })
export class RemovedAccountView extends AccountIdentityView {
  @Field(() => [String])
  organisations: string[];

  @Field()
  removedAt: Date;
}

// Plain data, a thousand results a batch: resolved without TypeGraphQL's per-field wrappers.
@ObjectType({ simpleResolvers: true })
export class MirrorMatchView {
  @Field(() => Float)
  probability: number;

  @Field(() => MirrorVerdict)
  verdict: MirrorVerdict;

  @Field(() => [String])
  signals: string[];

  @Field(() => RemovedAccountView)
  removedAccount: RemovedAccountView;
}

@ObjectType({ simpleResolvers: true })
export class ScreeningResult {
  @Field()
  handle: string;

  @Field(() => MirrorVerdict)
  verdict: MirrorVerdict;

  @Field(() => Float, { description: 'The probability of the best match, 0 without one.' })
  probability: number;

  @Field(() => [MirrorMatchView])
  matches: MirrorMatchView[];

  @Field(() => MirrorAlert, { nullable: true, description: 'Raised when the best match is at least POSSIBLE_MIRROR.' })
  alert: MirrorAlert | null;
}

@ObjectType()
export class CandidateView extends AccountIdentityView {
  @Field(() => String, { nullable: true })
  bio: string | null;

  @Field(() => [String])
  links: string[];

  @Field(() => String, { nullable: true })
  avatarPdq: string | null;
}


@InputType()
export class ReviewMirrorAlertInput {
  @Field(() => ID)
  id: string;

  @Field(() => MirrorReviewDecision)
  decision: MirrorReviewDecision;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(4000)
  note?: string;

  @Field({ defaultValue: false, description: 'With CONFIRMED: draft a takedown request pre-filled from the original one.' })
  createTakedownDraft: boolean;
}

@InputType()
export class RecordPlatformMirrorDecisionInput {
  @Field(() => ID)
  id: string;

  @Field(() => MirrorReviewDecision, { description: 'CONFIRMED: the platform judged the account a mirror and acted under its own policy; DISMISSED: it did not.' })
  decision: MirrorReviewDecision;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(4000)
  note?: string;
}

@InputType()
export class MirrorAlertFilter {
  @Field(() => [MirrorAlertStatus], { nullable: true })
  @IsOptional()
  statuses?: MirrorAlertStatus[];

  @Field(() => Platform, { nullable: true })
  platform?: Platform;
}

@ObjectType()
export class MirrorAlertConnection extends ConnectionType(MirrorAlert, 'MirrorAlert') {}
