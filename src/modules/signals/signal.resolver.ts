import { Authorized, Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { ResolverContext } from '../../services';
import { Role } from '../../auth/roles';
import { unavailable } from './signal.service';

@ObjectType({ description: 'Where the signal feed (GET /signals/v1/...) stands.' })
export class SignalFeedStatus {
  @Field(() => Float, { description: 'The head: the cursor of the last change. A whole number.' })
  cursor: number;

  @Field(() => Float, { description: 'Changes up to this cursor are compacted away; a client behind it takes a new snapshot.' })
  floor: number;

  @Field(() => Int, { description: 'Removed accounts a snapshot now holds.' })
  entries: number;

  @Field(() => [String], { description: 'Ids of the keys the feed is verified with; the first signs.' })
  keyIds: string[];
}

@Resolver()
export class SignalResolver {
  @Authorized([Role.PLATFORM_SYSTEM])
  @Query(() => SignalFeedStatus, { description: 'The signal feed\'s cursor and counts, for a platform checking how far behind its local copy is.' })
  async signalFeed(@Ctx() ctx: ResolverContext): Promise<SignalFeedStatus> {
    const signals = ctx.services.signals;
    if (!signals.enabled) throw unavailable();
    return { ...(await signals.status()), keyIds: signals.publicKeys().keys.map((k) => k.kid) };
  }
}
