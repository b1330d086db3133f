import { filter, map, pipe, Repeater } from '@graphql-yoga/subscription';
import { SubscribeResolverData } from 'type-graphql';
import { authorise } from '../access/guard';
import { Role } from '../auth/roles';
import { PaxContext, principalOf } from '../context';
import { Principal } from '../auth/principal';

/**
 * A subscription's deliveries: for each event, the subscriber's token and partner are checked
 * again, and `deliver` reads the object as that principal may see it now (null: not delivered).
 * Nested fields then resolve with the refreshed principal.
 */
function deliverEach<E, R>(
  context: PaxContext,
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

/**
 * A subscription's set-up: the roles are checked (and a refusal audited) before the caller is
 * subscribed to anything, then every event goes through `deliverEach`.
 */
export async function authorisedDeliveries<E, R>(
  { context, info }: SubscribeResolverData<unknown, unknown, PaxContext>,
  roles: readonly Role[],
  events: () => Repeater<E>,
  deliver: (principal: Principal, event: E) => Promise<R | null>,
): Promise<Repeater<R>> {
  await authorise(context, roles, `subscription ${info.fieldName}`);
  return deliverEach(context, events(), deliver);
}
