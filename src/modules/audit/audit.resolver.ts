import type { ResolverContext } from '../../services';
import { Arg, Args, Authorized, Ctx, FieldResolver, InputType, Field, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { principalOf } from '../../context';
import { visibleAuditActor } from '../../access/policy';
import { PLATFORM_CASEWORK, Role } from '../../auth/roles';
import { ConnectionType, PageArgs } from '../../common/connection';
import { PartnerView } from '../partners/partner.types';
import { AuditChainVerification, AuditEntry } from './audit.entity';

@InputType()
export class AuditLogFilter {
  @Field(() => String, { nullable: true, description: 'Entries about one object (request, account, evidence…).' })
  objectId?: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. "mutation updateTakedownStatus".' })
  action?: string | null;
}

@ObjectType()
export class AuditEntryConnection extends ConnectionType(AuditEntry, 'AuditEntry') {}

const READERS = [Role.AUDITOR, Role.AGENCY_SUPERVISOR, ...PLATFORM_CASEWORK];

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Authorized(READERS)
  @Query(() => AuditEntryConnection, {
    description: 'Auditors: every entry, people masked. Agency supervisors: their agency’s entries. Platforms: entries about requests addressed to them.',
  })
  auditLog(@Ctx() ctx: ResolverContext, @Arg('filter', () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | undefined, @Args() page: PageArgs) {
    return ctx.services.audit.list(ctx, filter, page);
  }

  @Authorized([Role.AUDITOR, Role.AGENCY_SUPERVISOR])
  @Query(() => AuditChainVerification, { description: 'Recomputes the hash chain from `from` to `to` (default: all) and reports the first broken link.' })
  async verifyAuditChain(
    @Ctx() ctx: ResolverContext,
    @Arg('from', () => Int, { nullable: true }) from?: number,
    @Arg('to', () => Int, { nullable: true }) to?: number,
  ) {
    return ctx.services.audit.verify(from ?? 1, to ?? undefined);
  }

  @FieldResolver(() => PartnerView, { nullable: true, description: 'The acting partner; null for unauthenticated attempts.' })
  actorPartner(@Root() entry: AuditEntry, @Ctx() ctx: ResolverContext) {
    return entry.actorPartnerId ? ctx.loaders.partner.load(entry.actorPartnerId) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The person or system: shown to its own partner only, never to auditors.' })
  actor(@Root() entry: AuditEntry, @Ctx() ctx: ResolverContext) {
    return visibleAuditActor(principalOf(ctx), entry.actorPartnerId, entry.actorSub);
  }
}
