import { Principal } from './auth/principal';
import { Loaders } from './loaders';
import type { Services } from './services';

/** What every resolver and service receives: who is calling, and the request's loaders. */
export interface PaxContext {
  principal: Principal | null;
  requestId: string;
  loaders: Loaders;
  services: Services;
}

/** The principal of a context whose operation passed `@Authorized`. */
export function principalOf(ctx: PaxContext): Principal {
  if (!ctx.principal) throw new Error('principalOf called on an unauthenticated context');
  return ctx.principal;
}
