import type { ResolverContext } from '../../services';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { principalOf, revealedNotes } from '../../context';
import { agencyOnly } from '../../access/policy';
import { AGENCY_CASEWORK, CASEWORK } from '../../auth/roles';
import { PageArgs } from '../../common/connection';
import { Distribution } from '../../common/enums';
import { Organisation } from '../organisations/organisation.entity';
import { PartnerView } from '../partners/partner.types';
import { TakedownRequest } from '../takedowns/takedown.entity';
import { Account } from './account.entity';
import { EvidenceItem } from '../evidence/evidence.entity';
import { AccountConnection, AccountFilter, FlagAccountInput } from './account.types';

@Resolver(() => Account)
export class AccountResolver {
  @Authorized(CASEWORK)
  @Query(() => AccountConnection)
  accounts(
    @Ctx() ctx: ResolverContext,
    @Arg('filter', () => AccountFilter, { nullable: true }) filter: AccountFilter | undefined,
    @Args() page: PageArgs,
  ) {
    return ctx.services.accounts.list(ctx, filter, page);
  }

  @Authorized(CASEWORK)
  @Query(() => Account)
  account(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.accounts.get(ctx, id);
  }

  @Authorized(AGENCY_CASEWORK)
  @Mutation(() => Account)
  flagAccount(@Ctx() ctx: ResolverContext, @Arg('input', () => FlagAccountInput) input: FlagAccountInput) {
    return ctx.services.accounts.flag(ctx, input);
  }

  @FieldResolver(() => [Organisation])
  organisations(@Root() account: Account, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.organisationsOfAccount.load(account.id);
  }

  @FieldResolver(() => [EvidenceItem], { description: 'Platforms see SHAREABLE items only.' })
  evidence(@Root() account: Account, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.evidenceOfAccount.load(account.id);
  }

  @FieldResolver(() => [TakedownRequest], { description: 'The requests naming this account that you may see.' })
  takedownRequests(@Root() account: Account, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.requestsOfAccount.load(account.id);
  }

  @FieldResolver(() => Account, { nullable: true, description: 'The removed account this one was confirmed to replace, where you may see it.' })
  mirrorOf(@Root() account: Account, @Ctx() ctx: ResolverContext) {
    return account.mirrorOfAccountId ? ctx.loaders.account.load(account.mirrorOfAccountId) : null;
  }

  @FieldResolver(() => PartnerView)
  flaggedBy(@Root() account: Account, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.partner.load(account.flaggedByPartnerId);
  }

  @FieldResolver(() => Distribution, { nullable: true, description: 'Agencies only; null for everyone else.' })
  distribution(@Root() account: Account, @Ctx() ctx: ResolverContext) {
    return agencyOnly(principalOf(ctx), account.distribution);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Agencies only; null for everyone else.' })
  internalNotes(@Root() account: Account, @Ctx() ctx: ResolverContext) {
    return revealedNotes(ctx, 'Account', account.id, agencyOnly(principalOf(ctx), account.internalNotes));
  }
}
