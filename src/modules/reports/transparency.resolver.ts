import type { ResolverContext } from '../../services';
import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { principalOf } from '../../context';
import { CASEWORK, Role } from '../../auth/roles';
import { TransparencyReport, TransparencyReportInput } from './transparency.types';

@Resolver()
export class TransparencyResolver {
  @Authorized([Role.AUDITOR, ...CASEWORK])
  @Query(() => TransparencyReport, { description: 'Aggregates over the requests you may see (auditors: all), submitted from `from` to `to`.' })
  transparencyReport(@Ctx() ctx: ResolverContext, @Args() input: TransparencyReportInput) {
    return ctx.services.reports.report(principalOf(ctx), input);
  }
}
