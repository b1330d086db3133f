import type { ResolverContext } from '../../services';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription, SubscribeResolverData } from 'type-graphql';
import { principalOf } from '../../context';
import { seesCustodyLogs, visibleActorSub } from '../../access/policy';
import { AGENCY_CASEWORK, AGENCY_DECIDERS, PLATFORM_CASEWORK, Role } from '../../auth/roles';
import { PageArgs } from '../../common/connection';
import { deliverEach } from '../../events/deliver';
import { EvidenceItem } from '../evidence/evidence.entity';
import { PartnerView } from '../partners/partner.types';
import { LegalBasis, StatusActor } from '../takedowns/takedown.types';
import { TakedownRequest } from '../takedowns/takedown.entity';
import { DisclosureHistoryEntry, DisclosureOpening, DisclosureRequest } from './disclosure.entity';
import {
  CreateDisclosureRequestInput,
  DisclosureRequestConnection,
  DisclosureRequestFilter,
  DisclosureStatusEvent,
  OpenedDisclosure,
  PreservationExpiringEvent,
  PreservationHold,
  ProductionSummary,
  UpdateDisclosureStatusInput,
  UpdateUserNotificationInput,
} from './disclosure.types';

/** Everyone who works disclosures: the requesting agency's caseworkers and readers, the platform. */
const DISCLOSURE_PARTIES = [...AGENCY_CASEWORK, Role.AGENCY_DISCLOSURE_READER, ...PLATFORM_CASEWORK];
const OPENERS = [Role.AGENCY_DISCLOSURE_READER, ...PLATFORM_CASEWORK];

@Resolver(() => DisclosureRequest)
export class DisclosureResolver {
  @Authorized(DISCLOSURE_PARTIES)
  @Query(() => DisclosureRequestConnection, { description: 'Agencies: their own requests. Platforms: submitted requests addressed to them.' })
  disclosureRequests(
    @Ctx() ctx: ResolverContext,
    @Arg('filter', () => DisclosureRequestFilter, { nullable: true }) filter: DisclosureRequestFilter | undefined,
    @Args() page: PageArgs,
  ) {
    return ctx.services.disclosures.list(ctx, filter, page);
  }

  @Authorized(DISCLOSURE_PARTIES)
  @Query(() => DisclosureRequest)
  disclosureRequest(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.disclosures.get(ctx, id);
  }

  @Authorized(AGENCY_CASEWORK)
  @Mutation(() => DisclosureRequest, { description: 'Drafts a request; categories must be covered by the instrument. A supervisor other than the drafter submits it.' })
  createDisclosureRequest(@Ctx() ctx: ResolverContext, @Arg('input', () => CreateDisclosureRequestInput) input: CreateDisclosureRequestInput) {
    return ctx.services.disclosures.create(ctx, input);
  }

  @Authorized([...AGENCY_CASEWORK, ...PLATFORM_CASEWORK])
  @Mutation(() => DisclosureRequest, { description: 'Moves a request through the disclosure workflow (see the README); a production is sealed on arrival.' })
  updateDisclosureStatus(@Ctx() ctx: ResolverContext, @Arg('input', () => UpdateDisclosureStatusInput) input: UpdateDisclosureStatusInput) {
    return ctx.services.disclosures.updateStatus(ctx, input);
  }

  @Authorized(AGENCY_DECIDERS)
  @Mutation(() => DisclosureRequest, { description: 'Extends an ACTIVE preservation by 90 days: once, at least 7 days before expiry.' })
  extendPreservation(
    @Ctx() ctx: ResolverContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion?: number,
  ) {
    return ctx.services.disclosures.extendPreservation(ctx, id, expectedVersion);
  }

  @Authorized([...AGENCY_DECIDERS, ...PLATFORM_CASEWORK])
  @Mutation(() => DisclosureRequest, { description: 'Agencies delay or waive notice to the user; the platform reports SENT.' })
  updateUserNotification(@Ctx() ctx: ResolverContext, @Arg('input', () => UpdateUserNotificationInput) input: UpdateUserNotificationInput) {
    return ctx.services.disclosures.updateUserNotification(ctx, input);
  }

  @Authorized(OPENERS)
  @Mutation(() => OpenedDisclosure, {
    description: 'Opens the sealed data: for AGENCY_DISCLOSURE_READER of the requesting agency, or the platform that produced it. Records who, when and why.',
  })
  openDisclosure(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string, @Arg('purpose') purpose: string) {
    return ctx.services.disclosures.open(ctx, id, purpose);
  }

  @Authorized(DISCLOSURE_PARTIES)
  @Subscription(() => DisclosureStatusEvent, {
    description: 'Status changes, and prompts when a notice delay ends, for the disclosure requests you may see.',
    subscribe: (data: SubscribeResolverData<unknown, { disclosureId?: string }, ResolverContext>) => {
      const { services } = data.context;
      return deliverEach(data.context, services.events.subscribe('DISCLOSURE_CHANGED'), (principal, event) =>
        services.disclosures.deliverChange(principal, event, data.args.disclosureId),
      );
    },
  })
  disclosureStatusChanged(
    @Root() delivery: DisclosureStatusEvent,
    @Arg('disclosureId', () => ID, { nullable: true }) _disclosureId?: string,
  ): DisclosureStatusEvent {
    return delivery;
  }

  @Authorized(DISCLOSURE_PARTIES)
  @Subscription(() => PreservationExpiringEvent, {
    description: 'Preservation holds 7 days from expiry, to the platform keeping the data and the agency that asked.',
    subscribe: (data: SubscribeResolverData<unknown, object, ResolverContext>) => {
      const { services } = data.context;
      return deliverEach(data.context, services.events.subscribe('PRESERVATION_EXPIRING'), (principal, event) => services.disclosures.deliverExpiring(principal, event));
    },
  })
  preservationExpiring(@Root() delivery: PreservationExpiringEvent): PreservationExpiringEvent {
    return delivery;
  }

  @FieldResolver(() => LegalBasis)
  legalBasis(@Root() request: DisclosureRequest): LegalBasis {
    return { instrument: request.legalInstrument, section: request.legalSection };
  }

  @FieldResolver(() => PreservationHold, { nullable: true, description: 'For PRESERVATION requests once submitted.' })
  preservation(@Root() request: DisclosureRequest, @Ctx() ctx: ResolverContext) {
    return ctx.services.disclosures.preservationOf(request);
  }

  @FieldResolver(() => EvidenceItem, { nullable: true, description: 'The authorisation document, hashed and sealed.' })
  async authorisation(@Root() request: DisclosureRequest, @Ctx() ctx: ResolverContext) {
    return (await ctx.loaders.evidenceOfDisclosure.load(request.id))[0] ?? null;
  }

  @FieldResolver(() => ProductionSummary, { nullable: true, description: 'What was produced, without the data: open it with openDisclosure.' })
  async production(@Root() request: DisclosureRequest, @Ctx() ctx: ResolverContext): Promise<ProductionSummary | null> {
    const [production] = await ctx.loaders.productionOfDisclosure.load(request.id);
    return production
      ? { categories: production.categories, mediaType: production.mediaType, sizeBytes: production.sizeBytes, sha256: production.sha256, producedAt: production.producedAt }
      : null;
  }

  @FieldResolver(() => [DisclosureOpening], { description: 'Every opening of the sealed data. The requesting agency only; empty for others.' })
  openings(@Root() request: DisclosureRequest, @Ctx() ctx: ResolverContext) {
    return seesCustodyLogs(principalOf(ctx)) ? ctx.loaders.openingsOfDisclosure.load(request.id) : [];
  }

  @FieldResolver(() => [DisclosureHistoryEntry], { description: 'Every status change, oldest first.' })
  history(@Root() request: DisclosureRequest, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.historyOfDisclosure.load(request.id);
  }

  @FieldResolver(() => TakedownRequest, { nullable: true, description: 'The takedown request it supports, if you may see it.' })
  async takedownRequest(@Root() request: DisclosureRequest, @Ctx() ctx: ResolverContext) {
    return request.takedownRequestId ? ((await ctx.loaders.takedownRequest.load(request.takedownRequestId)) ?? null) : null;
  }

  @FieldResolver(() => PartnerView)
  addressedTo(@Root() request: DisclosureRequest, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.partner.load(request.addressedPartnerId);
  }

  @FieldResolver(() => PartnerView)
  requestedBy(@Root() request: DisclosureRequest, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.partner.load(request.originatorPartnerId);
  }
}

@Resolver(() => DisclosureHistoryEntry)
export class DisclosureHistoryEntryResolver {
  @FieldResolver(() => StatusActor)
  async actor(@Root() entry: DisclosureHistoryEntry, @Ctx() ctx: ResolverContext): Promise<StatusActor> {
    const partner = await ctx.loaders.partner.load(entry.actorPartnerId);
    if (!partner) throw new Error(`partner ${entry.actorPartnerId} of disclosure history entry ${entry.id} is missing`);
    return { partner, sub: visibleActorSub(principalOf(ctx), entry.actorPartnerId, entry.actorSub) };
  }
}

@Resolver(() => DisclosureOpening)
export class DisclosureOpeningResolver {
  @FieldResolver(() => PartnerView)
  partner(@Root() opening: DisclosureOpening, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.partner.load(opening.partnerId);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The person or system that opened it; shown to its own partner only.' })
  sub(@Root() opening: DisclosureOpening, @Ctx() ctx: ResolverContext) {
    return visibleActorSub(principalOf(ctx), opening.partnerId, opening.sub);
  }
}
