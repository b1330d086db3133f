import { getNamedType, GraphQLError } from 'graphql';
import { MiddlewareFn } from 'type-graphql';
import type { PaxContext } from '../../context';
import { transactionHooks } from '../../db/transaction';

/** Queries that read sensitive data and are logged like mutations. */
const AUDITED_QUERIES = new Set(['disclosureRequest', 'disclosureRequests', 'verifyEvidence', 'auditLog', 'verifyAuditChain']);

const codeOf = (error: unknown) => (error instanceof GraphQLError && typeof error.extensions.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR');

function idArgument(args: Record<string, unknown>): string | null {
  const input = args.input as Record<string, unknown> | undefined;
  const id = args.id ?? input?.id;
  return typeof id === 'string' ? id : null;
}

/**
 * Writes the audit entry of every mutation and sensitive query: inside the operation's own
 * transaction when it writes (so the entry commits or rolls back with the change), in a
 * transaction of its own otherwise, and for refusals (FORBIDDEN, UNAUTHENTICATED, NOT_FOUND…) too.
 * It runs as a global middleware, outside `@Authorized`, so refused attempts reach it.
 */
export const auditOperations: MiddlewareFn<PaxContext> = async ({ info, args, context }, next) => {
  const kind = info.parentType.name;
  if (kind !== 'Mutation' && !(kind === 'Query' && AUDITED_QUERIES.has(info.fieldName))) return next();
  const action = `${kind.toLowerCase()} ${info.fieldName}`;
  const argumentId = idArgument(args);
  let objectType: string | null = argumentId ? getNamedType(info.returnType).name : null;
  let objectId = argumentId;
  let written = false;
  let pending = false;
  const actor = () => ({ principal: context.principal, requestId: context.requestId });
  const hooks = {
    inserted: (entity: string, id: unknown) => {
      if (objectId === null && typeof id === 'string') [objectType, objectId] = [entity, id];
    },
    beforeCommit: async (em: Parameters<typeof context.services.audit.append>[0]) => {
      if (written) return;
      await context.services.audit.append(em, actor(), [{ action, objectType, objectId, outcome: 'OK' }]);
      pending = true;
    },
    afterCommit: () => {
      written ||= pending;
    },
  };
  try {
    const result = await transactionHooks.run(hooks, () => next());
    if (!written) await context.services.audit.record(actor(), { action, objectType, objectId, outcome: 'OK' });
    return result;
  } catch (error) {
    if (!written) await context.services.audit.record(actor(), { action, objectType, objectId, outcome: codeOf(error) });
    throw error;
  }
};
