import type { ResolverContext } from '../../services';
import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { noteSensitiveRead, principalOf } from '../../context';
import { seesCustodyLogs, visibleActorSub } from '../../access/policy';
import { CASEWORK, Role } from '../../auth/roles';
import { PartnerView } from '../partners/partner.types';
import { EvidenceAccess, EvidenceItem } from './evidence.entity';
import { EvidenceVerification } from './evidence.types';

const EVIDENCE_READERS = [...CASEWORK, Role.AGENCY_DISCLOSURE_READER];

@Resolver(() => EvidenceItem)
export class EvidenceResolver {
  @Authorized(EVIDENCE_READERS)
  @Query(() => EvidenceVerification, { description: 'Recomputes the SHA-256 of an item’s sealed bytes and compares it with the one stored at capture. Logged.' })
  verifyEvidence(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.evidence.verify(ctx, id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The captured bytes, base64. Every read is logged in the custody log.' })
  async content(@Root() item: EvidenceItem, @Ctx() ctx: ResolverContext) {
    const content = await ctx.services.evidence.content(ctx, item);
    if (content) noteSensitiveRead(ctx, 'read evidence content', 'EvidenceItem', item.id);
    return content;
  }

  @FieldResolver(() => PartnerView, { nullable: true, description: 'The partner that captured the item.' })
  capturedBy(@Root() item: EvidenceItem, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.partner.load(item.addedByPartnerId);
  }

  @FieldResolver(() => [EvidenceAccess], { description: 'Who read or verified the captured bytes, and when. Agencies only; empty for others.' })
  custody(@Root() item: EvidenceItem, @Ctx() ctx: ResolverContext) {
    return seesCustodyLogs(principalOf(ctx)) ? ctx.services.evidence.accessesOf(item) : [];
  }
}

@Resolver(() => EvidenceAccess)
export class EvidenceAccessResolver {
  @FieldResolver(() => PartnerView, { nullable: true })
  partner(@Root() access: EvidenceAccess, @Ctx() ctx: ResolverContext) {
    return ctx.loaders.partner.load(access.partnerId);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The person or system; shown to its own partner only.' })
  sub(@Root() access: EvidenceAccess, @Ctx() ctx: ResolverContext) {
    return visibleActorSub(principalOf(ctx), access.partnerId, access.sub);
  }
}
