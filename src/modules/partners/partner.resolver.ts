import type { ResolverContext } from '../../services';
import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { principalOf } from '../../context';
import { MeView } from './partner.types';

@Resolver()
export class PartnerResolver {
  @Authorized()
  @Query(() => MeView, { description: 'Who the token says you are, and the partner PAX knows you by.' })
  async me(@Ctx() ctx: ResolverContext): Promise<MeView> {
    const principal = principalOf(ctx);
    const partner = await ctx.loaders.partner.load(principal.partnerId);
    if (!partner) throw new Error('authenticated partner vanished');
    return { sub: principal.sub, roles: principal.roles, partner };
  }
}
