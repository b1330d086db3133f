import { Principal } from './auth/principal';
import { Loaders } from './loaders';

/** What every resolver and service receives: who is calling, and the request's loaders. */
export interface PaxContext {
  principal: Principal | null;
  requestId: string;
  loaders: Loaders;
  /**
   * Sensitive fields this operation revealed (internal notes, evidence bytes, contacts), written to
   * the audit log when its response, or each subscription event, goes out, on every transport.
   */
  sensitiveReads: Map<string, { action: string; objectType: string; objectId: string }>;
}

/** Notes that the request revealed one sensitive field of one object, for the audit log. */
export function noteSensitiveRead(ctx: PaxContext, action: string, objectType: string, objectId: string): void {
  ctx.sensitiveReads.set(`${action}|${objectId}`, { action, objectType, objectId });
}

/** The principal of a context whose operation passed `@Authorized`. */
export function principalOf(ctx: PaxContext): Principal {
  if (!ctx.principal) throw new Error('principalOf called on an unauthenticated context');
  return ctx.principal;
}

/** Internal notes as a field returns them; a non-empty value is a sensitive read. */
export function revealedNotes(ctx: PaxContext, objectType: string, objectId: string, notes: string | null): string | null {
  if (notes) noteSensitiveRead(ctx, 'read internalNotes', objectType, objectId);
  return notes;
}
