import type { ResolverContext } from '../../services';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  SubscribeResolverData,
} from 'type-graphql';
import { principalOf, revealedNotes } from '../../context';
import { agencyOnly, visibleActorSub, visibleNote } from '../../access/policy';
import { deliverEach } from '../../events/deliver';
import { AGENCY_CASEWORK, CASEWORK } from '../../auth/roles';
import { PageArgs } from '../../common/connection';
import { Distribution } from '../../common/enums';
import { Account } from '../accounts/account.entity';
import { EvidenceItem } from '../evidence/evidence.entity';
import { Organisation } from '../organisations/organisation.entity';
import { PartnerView } from '../partners/partner.types';
import { FINAL_STATUSES, StatusHistoryEntry, TakedownRequest } from './takedown.entity';
import { TakedownStatus } from './takedown.enums';
import { allowedTransitions } from './state-machine';
import { ReviewFlag } from './review-flag.entity';
import {
  AcknowledgeReviewFlagInput,
  CreateTakedownRequestInput,
  LegalBasis,
  StatusActor,
  TakedownRequestConnection,
  TakedownRequestFilter,
  TakedownStatusChangedFilter,
  TakedownOverdueNotice,
  TakedownReviewFlagged,
  TakedownStatusEvent,
  UpdateTakedownStatusInput,
} from './takedown.types';

type SubscribeData = SubscribeResolverData<unknown, { filter?: TakedownStatusChangedFilter }, ResolverContext>;

@Resolver(() => TakedownRequest)
export class TakedownResolver {
  @Authorized(CASEWORK)
  @Query(() => TakedownRequestConnection, { description: "Agencies: requests their distribution allows. Platforms: their own queue." })
  takedownRequests(
    @Ctx() ctx: ResolverContext,
    @Arg('filter', () => TakedownRequestFilter, { nullable: true }) filter: TakedownRequestFilter | undefined,
    @Args() page: PageArgs,
  ) {
    return ctx.services.takedowns.list(ctx, filter, page);
  }

  @Authorized(CASEWORK)
  @Query(() => TakedownRequest)
  takedownRequest(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.takedowns.get(ctx, id);
  }

  @Authorized(AGENCY_CASEWORK)
  @Mutation(() => TakedownRequest, { description: 'Drafts a request; a supervisor other than the drafter submits it.' })
  createTakedownRequest(@Ctx() ctx: ResolverContext, @Arg('input', () => CreateTakedownRequestInput) input: CreateTakedownRequestInput) {
    return ctx.services.takedowns.create(ctx, input);
  }

  @Authorized(CASEWORK)
  @Mutation(() => TakedownRequest, { description: 'Moves a request through the state machine (see the README).' })
  updateTakedownStatus(@Ctx() ctx: ResolverContext, @Arg('input', () => UpdateTakedownStatusInput) input: UpdateTakedownStatusInput) {
    return ctx.services.takedowns.updateStatus(ctx, input);
  }

  @Authorized(AGENCY_CASEWORK)
  @Mutation(() => TakedownRequest, { description: 'The requesting agency settles a review flag with a note; the request keeps its status and version, and needsReview turns false once every flag is settled.' })
  acknowledgeReviewFlag(@Ctx() ctx: ResolverContext, @Arg('input', () => AcknowledgeReviewFlagInput) input: AcknowledgeReviewFlagInput) {
    return ctx.services.takedowns.acknowledgeReviewFlag(ctx, input);
  }

  @Authorized(CASEWORK)
  @Subscription(() => TakedownStatusEvent, {
    description: 'Status changes of the requests you may see, checked and redacted at delivery time.',
    subscribe: (data: SubscribeData) => {
      const { services } = data.context;
      return deliverEach(data.context, services.events.subscribe('TAKEDOWN_STATUS_CHANGED'), (principal, event) =>
        services.takedowns.deliver(principal, event, data.args.filter ?? {}),
      );
    },
  })
  takedownStatusChanged(
    @Root() delivery: TakedownStatusEvent,
    @Arg('filter', () => TakedownStatusChangedFilter, { nullable: true }) _filter?: TakedownStatusChangedFilter,
  ): TakedownStatusEvent {
    return delivery;
  }

  @Authorized(CASEWORK)
  @Subscription(() => TakedownOverdueNotice, {
    description: 'Deadline escalation: a notice at 50% and 90% of the time allowed and when the deadline passes, for the requests you may see. Each is sent once, whatever the number of instances.',
    subscribe: (data: SubscribeResolverData<unknown, object, ResolverContext>) => {
      const { services } = data.context;
      return deliverEach(data.context, services.events.subscribe('TAKEDOWN_OVERDUE'), (principal, event) => services.takedowns.deliverOverdue(principal, event));
    },
  })
  takedownOverdue(@Root() notice: TakedownOverdueNotice): TakedownOverdueNotice {
    return notice;
  }

  @FieldResolver(() => [TakedownStatus], {
    description: 'The statuses you may move this request to now, for your partner and roles (the four-eyes rule included); the reason, action or note each needs is still checked by updateTakedownStatus.',
  })
  allowedTransitions(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext): TakedownStatus[] {
    return allowedTransitions(request, principalOf(ctx));
  }

  @Authorized(CASEWORK)
  @Subscription(() => TakedownReviewFlagged, {
    description: 'A request you may see was flagged for review (its organisation was de-listed), checked and redacted at delivery time. Its status does not change.',
    subscribe: (data: SubscribeResolverData<unknown, object, ResolverContext>) => {
      const { services } = data.context;
      return deliverEach(data.context, services.events.subscribe('TAKEDOWN_REVIEW_FLAGGED'), (principal, event) => services.takedowns.deliverReviewFlag(principal, event));
    },
  })
  takedownReviewFlagged(@Root() delivery: TakedownReviewFlagged): TakedownReviewFlagged {
    return delivery;
  }

  @FieldResolver(() => [ReviewFlag], { description: 'What PAX asks the agency to review (e.g. its organisation was de-listed), oldest first. A flag never changes the status.' })
  reviewFlags(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.reviewFlagsOfRequest.load(request.id);
  }

  @FieldResolver(() => Boolean, { description: 'Open (neither CLOSED nor WITHDRAWN) with a review flag its agency has not yet acknowledged.' })
  async needsReview(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext): Promise<boolean> {
    return !FINAL_STATUSES.includes(request.status) && (await ctx.loaders.reviewFlagsOfRequest.load(request.id)).some((flag) => !flag.acknowledgedAt);
  }

  @FieldResolver(() => LegalBasis)
  legalBasis(@Root() request: TakedownRequest): LegalBasis {
    return { instrument: request.legalInstrument, section: request.legalSection };
  }

  @FieldResolver(() => [Account], { description: 'The accounts named, as far as you may see them.' })
  accounts(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.accountsOfRequest.load(request.id);
  }

  @FieldResolver(() => [Organisation])
  organisations(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.organisationsOfRequest.load(request.id);
  }

  @FieldResolver(() => [EvidenceItem], { description: 'Evidence on the named accounts; platforms see SHAREABLE items only.' })
  async evidence(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext) {
    const accounts = await ctx.loaders.accountsOfRequest.load(request.id);
    return (await ctx.loaders.evidenceOfAccount.loadMany(accounts.map((a) => a.id))).flatMap((items) =>
      items instanceof Error ? [] : items,
    );
  }

  @FieldResolver(() => [StatusHistoryEntry], { description: 'Every status change, oldest first.' })
  history(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.historyOfRequest.load(request.id);
  }

  @FieldResolver(() => PartnerView, { description: 'The platform partner the request is addressed to.' })
  addressedTo(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.partner.load(request.addressedPartnerId);
  }

  @FieldResolver(() => PartnerView, { description: 'The agency that made the request.' })
  requestedBy(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.partner.load(request.originatorPartnerId);
  }

  @FieldResolver(() => Distribution, { nullable: true, description: 'Agencies only; null for everyone else.' })
  distribution(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext) {
    return agencyOnly(principalOf(ctx), request.distribution);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Agencies only; null for everyone else.' })
  internalNotes(@Root() request: TakedownRequest, @Ctx() ctx: ResolverContext) {
    return revealedNotes(ctx, 'TakedownRequest', request.id, agencyOnly(principalOf(ctx), request.internalNotes));
  }
}

@Resolver(() => StatusHistoryEntry)
export class StatusHistoryEntryResolver {
  @FieldResolver(() => String, { nullable: true, description: 'RESTRICTED notes are null outside the agencies.' })
  note(@Root() entry: StatusHistoryEntry, @Ctx() ctx: ResolverContext) {
    return visibleNote(principalOf(ctx), entry.note, entry.noteClassification);
  }

  @FieldResolver(() => StatusActor)
  async actor(@Root() entry: StatusHistoryEntry, @Ctx() ctx: ResolverContext): Promise<StatusActor> {
    const partner = await ctx.loaders.partner.load(entry.actorPartnerId);
    if (!partner) throw new Error(`partner ${entry.actorPartnerId} of history entry ${entry.id} is missing`);
    return { partner, sub: visibleActorSub(principalOf(ctx), entry.actorPartnerId, entry.actorSub) };
  }
}

@Resolver(() => ReviewFlag)
export class ReviewFlagResolver {
  @FieldResolver(() => String, { nullable: true, description: 'The agency\'s note when it acknowledged the flag; null outside the agencies.' })
  acknowledgementNote(@Root() flag: ReviewFlag, @Ctx() ctx: ResolverContext) {
    return agencyOnly(principalOf(ctx), flag.acknowledgementNote);
  }
}
