import type { ResolverContext } from '../../services';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription, SubscribeResolverData } from 'type-graphql';
import { deliverEach } from '../../events/deliver';
import { validateInSlices } from '../../common/validation';
import { AGENCY_CASEWORK, CASEWORK, PLATFORM_CASEWORK } from '../../auth/roles';
import { PageArgs } from '../../common/connection';
import { Account } from '../accounts/account.entity';
import { MirrorAlert } from './mirror-alert.entity';
import {
  CandidateView,
  MirrorAlertConnection,
  MirrorAlertFilter,
  RecordPlatformMirrorDecisionInput,
  RemovedAccountView,
  ReviewMirrorAlertInput,
  ScreenAccountInput,
  ScreenAccountsInput,
  ScreeningResult,
} from './mirror.types';

@Resolver(() => MirrorAlert)
export class MirrorResolver {
  @Authorized(PLATFORM_CASEWORK)
  @Mutation(() => ScreeningResult, { description: 'Screens a sign-up against every removed account, on every platform.' })
  async screenAccount(@Ctx() ctx: ResolverContext, @Arg('input', () => ScreenAccountInput) input: ScreenAccountInput) {
    return (await ctx.services.mirrors.screen(ctx, [input]))[0];
  }

  @Authorized(PLATFORM_CASEWORK)
  @Mutation(() => [ScreeningResult], { description: 'Screens up to 1,000 sign-ups in one call.' })
  async screenAccounts(@Ctx() ctx: ResolverContext, @Arg('input', () => ScreenAccountsInput) input: ScreenAccountsInput) {
    await validateInSlices(input.accounts, 'accounts');
    return ctx.services.mirrors.screen(ctx, input.accounts);
  }

  @Authorized(CASEWORK)
  @Query(() => MirrorAlertConnection)
  mirrorAlerts(
    @Ctx() ctx: ResolverContext,
    @Arg('filter', () => MirrorAlertFilter, { nullable: true }) filter: MirrorAlertFilter | undefined,
    @Args() page: PageArgs,
  ) {
    return ctx.services.mirrors.list(ctx, filter, page);
  }

  @Authorized(CASEWORK)
  @Query(() => MirrorAlert)
  mirrorAlert(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.mirrors.get(ctx, id);
  }

  @Authorized(AGENCY_CASEWORK)
  @Mutation(() => MirrorAlert, { description: 'Confirms or dismisses an alert; confirming can draft a takedown request.' })
  reviewMirrorAlert(@Ctx() ctx: ResolverContext, @Arg('input', () => ReviewMirrorAlertInput) input: ReviewMirrorAlertInput) {
    return ctx.services.mirrors.review(ctx, input);
  }

  @Authorized(PLATFORM_CASEWORK)
  @Mutation(() => MirrorAlert, {
    description: "Records the platform's own decision on an alert on its platform (it confirmed the account a mirror and acted, or dismissed it). Once per alert; the agency's review is separate.",
  })
  recordPlatformMirrorDecision(@Ctx() ctx: ResolverContext, @Arg('input', () => RecordPlatformMirrorDecisionInput) input: RecordPlatformMirrorDecisionInput) {
    return ctx.services.mirrors.recordPlatformDecision(ctx, input);
  }

  @Authorized(CASEWORK)
  @Subscription(() => MirrorAlert, {
    description: 'Alerts as they are raised, to those who may see them.',
    subscribe: (data: SubscribeResolverData<unknown, object, ResolverContext>) => {
      const { services } = data.context;
      return deliverEach(data.context, services.events.subscribe('MIRROR_ALERT_RAISED'), (principal, event) => services.mirrors.deliver(principal, event));
    },
  })
  mirrorAlertRaised(@Root() alert: MirrorAlert): MirrorAlert {
    return alert;
  }

  @FieldResolver(() => CandidateView)
  candidate(@Root() alert: MirrorAlert): CandidateView {
    return alert.candidate;
  }

  @FieldResolver(() => RemovedAccountView, { description: 'The public view of the removed account it matched.' })
  matched(@Root() alert: MirrorAlert): RemovedAccountView {
    return { ...alert.matched, removedAt: new Date(alert.matched.removedAt) };
  }

  @FieldResolver(() => Account, { nullable: true, description: 'The candidate as a flagged account, where you may see it.' })
  candidateAccount(@Root() alert: MirrorAlert, @Ctx() ctx: ResolverContext) {
    return alert.candidateAccountId ? ctx.loaders.account.load(alert.candidateAccountId) : null;
  }

  @FieldResolver(() => Account, { nullable: true, description: 'The removed account itself, where you may see it.' })
  matchedAccount(@Root() alert: MirrorAlert, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.account.load(alert.matchedAccountId);
  }
}
