import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Platform } from '../../common/enums';
import { MirrorVerdict } from './engine/model';

export enum MirrorAlertStatus {
  PENDING_REVIEW = 'PENDING_REVIEW',
  CONFIRMED = 'CONFIRMED',
  DISMISSED = 'DISMISSED',
}

export enum MirrorAlertSource {
  /** An agency flagged an account that matches a removed one. */
  FLAGGED = 'FLAGGED',
  /** A platform screened a sign-up that matches a removed one. */
  SCREENING = 'SCREENING',
}

registerEnumType(MirrorVerdict, { name: 'MirrorVerdict' });
registerEnumType(MirrorAlertStatus, { name: 'MirrorAlertStatus' });
registerEnumType(MirrorAlertSource, { name: 'MirrorAlertSource' });

/** Both sides decide in these words: the owning agency's review, and the platform's own decision. */
export enum MirrorReviewDecision {
  CONFIRMED = 'CONFIRMED',
  DISMISSED = 'DISMISSED',
}
registerEnumType(MirrorReviewDecision, { name: 'MirrorReviewDecision' });

/** The account that raised an alert, as it was submitted. */
export interface CandidateSnapshot {
  platform: Platform;
  handle: string;
  displayName: string | null;
  bio: string | null;
  links: string[];
  avatarPdq: string | null;
}

/** What anyone may learn about a removed account: never requests, notes or evidence. */
export interface RemovedAccountSnapshot {
  platform: Platform;
  handle: string;
  displayName: string | null;
  organisations: string[];
  removedAt: string;
}

@Entity('mirror_alerts')
@Index(['platform', 'status'])
@ObjectType({ simpleResolvers: true, description: 'A likely replacement of a removed account, waiting for an agency to review it.' })
export class MirrorAlert {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Field(() => MirrorAlertSource)
  @Column({ type: 'varchar', length: 16 })
  source: MirrorAlertSource;

  @Field(() => Platform, { description: 'The platform of the candidate account.' })
  @Column({ type: 'varchar', length: 16 })
  platform: Platform;

  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  candidateAccountId: string | null;

  @Column({ type: 'simple-json' })
  candidate: CandidateSnapshot;

  @Column({ type: 'varchar', length: 36 })
  matchedAccountId: string;

  /** The public view of the removed account, as it was when the alert was raised. */
  @Column({ type: 'simple-json' })
  matched: RemovedAccountSnapshot;

  @Field(() => Float)
  @Column({ type: 'float' })
  probability: number;

  @Field(() => MirrorVerdict)
  @Column({ type: 'varchar', length: 20 })
  verdict: MirrorVerdict;

  @Field(() => [String], { description: 'Why it matched, one line a signal.' })
  @Column({ type: 'simple-json' })
  signals: string[];

  @Field(() => MirrorAlertStatus)
  @Column({ type: 'varchar', length: 20 })
  status: MirrorAlertStatus;

  @Column({ type: 'varchar', length: 36 })
  raisedByPartnerId: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reviewedBySub: string | null;

  @Column({ type: 'text', nullable: true })
  reviewNote: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: Date, nullable: true })
  reviewedAt: Date | null;

  @Field(() => MirrorReviewDecision, {
    nullable: true,
    description: "The platform's own decision on the account, under its own policy (recordPlatformMirrorDecision); the agency's review stays separate.",
  })
  @Column({ type: 'varchar', length: 20, nullable: true })
  platformDecision: MirrorReviewDecision | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  platformDecidedBySub: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  platformDecisionNote: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: Date, nullable: true })
  platformDecidedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The takedown draft created when the alert was confirmed.' })
  @Column({ type: 'varchar', length: 36, nullable: true })
  draftRequestId: string | null;

  @Field()
  @Column({ type: Date })
  createdAt: Date;
}
