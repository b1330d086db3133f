import type { ResolverContext } from '../../services';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { AGENCY_CASEWORK } from '../../auth/roles';
import { StixCollection } from './stix-export';
import { StixImportProposal } from './stix-import.entity';
import { DecideStixImportInput, ProposeStixImportInput } from './stix.types';

@Resolver(() => StixImportProposal)
export class StixResolver {
  @Authorized()
  @Query(() => GraphQLJSONObject, {
    description: 'A STIX 2.1 bundle of what you may see: organisations for everyone; flagged accounts and takedown requests for caseworkers, as the visibility rules allow.',
  })
  stixBundle(
    @Ctx() ctx: ResolverContext,
    @Arg('collections', () => [StixCollection], { nullable: true, description: 'Every collection you may read unless given.' }) collections?: StixCollection[],
  ) {
    return ctx.services.stix.bundle(ctx, collections ?? undefined);
  }

  @Authorized(AGENCY_CASEWORK)
  @Query(() => StixImportProposal, { description: "A STIX import proposal of your own agency's." })
  stixImportProposal(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.stixImports.get(ctx, id);
  }

  @Authorized(AGENCY_CASEWORK)
  @Mutation(() => StixImportProposal, {
    description: 'Reads a STIX 2.1 bundle (threat-actor, intrusion-set, user-account and their relationships) and proposes what it would create or update. Nothing else is written until decideStixImport confirms it.',
  })
  proposeStixImport(@Ctx() ctx: ResolverContext, @Arg('input', () => ProposeStixImportInput) input: ProposeStixImportInput) {
    return ctx.services.stixImports.propose(ctx, input);
  }

  @Authorized(AGENCY_CASEWORK)
  @Mutation(() => StixImportProposal, { description: 'Confirms a pending proposal of your agency, writing it in one transaction, or rejects it.' })
  decideStixImport(@Ctx() ctx: ResolverContext, @Arg('input', () => DecideStixImportInput) input: DecideStixImportInput) {
    return ctx.services.stixImports.decide(ctx, input);
  }
}
