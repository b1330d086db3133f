import type { ResolverContext } from '../../services';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { principalOf, revealedNotes } from '../../context';
import { agencyOnly } from '../../access/policy';
import { AGENCY_CASEWORK } from '../../auth/roles';
import { PageArgs } from '../../common/connection';
import { Designation, Organisation } from './organisation.entity';
import { DesignateOrganisationInput, OrganisationConnection, OrganisationFilter } from './organisation.types';

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Authorized()
  @Query(() => OrganisationConnection, { description: 'Designated organisations: a public list.' })
  organisations(
    @Ctx() ctx: ResolverContext,
    @Arg('filter', () => OrganisationFilter, { nullable: true }) filter: OrganisationFilter | undefined,
    @Args() page: PageArgs,
  ) {
    return ctx.services.organisations.list(ctx, filter, page);
  }

  @Authorized()
  @Query(() => Organisation)
  organisation(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.organisations.get(ctx, id);
  }

  @Authorized(AGENCY_CASEWORK)
  @Mutation(() => Organisation)
  designateOrganisation(@Ctx() ctx: ResolverContext, @Arg('input', () => DesignateOrganisationInput) input: DesignateOrganisationInput) {
    return ctx.services.organisations.designate(ctx, input);
  }

  @FieldResolver(() => [Designation])
  designations(@Root() organisation: Organisation, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.designationsOfOrganisation.load(organisation.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Agencies only; null for everyone else.' })
  internalNotes(@Root() organisation: Organisation, @Ctx() ctx: ResolverContext) {
    return revealedNotes(ctx, 'Organisation', organisation.id, agencyOnly(principalOf(ctx), organisation.internalNotes));
  }
}
