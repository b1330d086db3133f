import type { ResolverContext } from '../services';
import { filter, map, pipe, Repeater } from '@graphql-yoga/subscription';
import { principalOf } from '../context';
import { Principal } from '../auth/principal';

/**
 * A subscription's deliveries; `@Authorized` checked its roles when it was set up. For each event
 * the subscriber's token and partner are checked again, and `deliver` reads the object as that
 * principal may see it now (null: not delivered). Nested fields then resolve with the refreshed
 * principal.
 */
export function deliverEach<E, R>(
  context: ResolverContext,
  events: Repeater<E>,
  deliver: (principal: Principal, event: E) => Promise<R | null>,
): Repeater<R> {
  return pipe(
    events,
    map(async (event: E) => {
      const refreshed = await context.services.tokens.refresh(principalOf(context));
      if (!refreshed) return null;
      context.principal = refreshed;
      return deliver(refreshed, event);
    }),
    filter((delivery: R | null): delivery is R => delivery !== null),
  );
}

