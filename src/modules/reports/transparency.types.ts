import { ArgsType, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Platform } from '../../common/enums';

@ArgsType()
export class TransparencyReportInput {
  @Field({ description: 'Requests submitted from this instant (inclusive)…' })
  from: Date;

  @Field({ description: '…to this one (exclusive).' })
  to: Date;

  @Field(() => Platform, { nullable: true })
  platform?: Platform | null;

  @Field(() => String, { nullable: true, description: 'The requesting agency’s slug.' })
  agency?: string | null;

  @Field(() => ID, { nullable: true, description: 'Requests linked to this organisation.' })
  organisation?: string | null;
}

@ObjectType({ description: 'One row of a breakdown: requests and the distinct accounts they name.' })
export class ReportCount {
  @Field()
  key: string;

  @Field(() => Int)
  requests: number;

  @Field(() => Int)
  accounts: number;
}

@ObjectType()
export class ReportTally {
  @Field()
  key: string;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class TransparencyReport {
  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field()
  generatedAt: Date;

  @Field(() => Int, { description: 'Submitted requests in the period that you may see.' })
  requests: number;

  @Field(() => Int)
  accounts: number;

  @Field(() => [ReportCount])
  byPlatform: ReportCount[];

  @Field(() => [ReportCount])
  byAgency: ReportCount[];

  @Field(() => [ReportCount], { description: 'By legal instrument.' })
  byLegalBasis: ReportCount[];

  @Field(() => [ReportCount])
  byKind: ReportCount[];

  @Field(() => [ReportCount])
  byPriority: ReportCount[];

  @Field(() => [ReportTally], { description: 'ACTIONED answers by action.' })
  actionedByAction: ReportTally[];

  @Field(() => [ReportTally], { description: 'REJECTED answers by reason.' })
  rejectedByReason: ReportTally[];

  @Field(() => Int)
  withdrawn: number;

  @Field(() => Int)
  reinstated: number;

  @Field(() => Float, { nullable: true, description: 'Hours from submission to the first ACTIONED, median (nearest rank).' })
  medianHoursToAction: number | null;

  @Field(() => Float, { nullable: true })
  p90HoursToAction: number | null;

  @Field(() => Float, { nullable: true, description: 'Of requests the platform answered (ACTIONED or REJECTED), the share whose last answer came by the deadline in force.' })
  shareAnsweredInTime: number | null;

  @Field(() => Int, { description: 'Requests overdue now.' })
  overdueNow: number;

  @Field(() => Float, { nullable: true, description: 'The share of requests on which the platform asked for information.' })
  clarificationRate: number | null;

  @Field(() => Int)
  escalated: number;

  @Field(() => Int, { description: 'Escalated requests that were actioned after the escalation.' })
  escalatedThenActioned: number;

  @Field(() => Int)
  mirrorAlertsRaised: number;

  @Field(() => Int)
  mirrorAlertsConfirmed: number;

  @Field(() => Int, { description: 'Complaints received in the period (your agency’s, or all for auditors).' })
  complaintsReceived: number;

  @Field(() => [ReportTally])
  complaintsByStatus: ReportTally[];

  @Field(() => Float, { nullable: true, description: 'Hours from receipt to triage, median (nearest rank).' })
  medianHoursToTriage: number | null;
}
