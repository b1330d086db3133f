import type { ResolverContext } from '../../services';
import { defaultFieldResolver, getNamedType, GraphQLError, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { transactionHooks } from '../../db/transaction';
import { isId } from '../../common/ids';

/** Queries that read sensitive data and are logged like mutations. */
const AUDITED_QUERIES = new Set(['disclosureRequest', 'disclosureRequests', 'verifyEvidence', 'auditLog', 'verifyAuditChain']);

const codeOf = (error: unknown) => (error instanceof GraphQLError && typeof error.extensions.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR');

/** The object an operation names; not an id at all (junk, NUL bytes, 100k characters) is left out, as it names nothing. */
function idArgument(args: Record<string, unknown>): string | null {
  const input = args.input as Record<string, unknown> | undefined;
  const id = args.id ?? input?.id;
  return typeof id === 'string' && isId(id) ? id : null;
}

/**
 * Wraps every root Query and Mutation field with the audit log. Mutations and sensitive queries
 * are logged when they succeed: inside the operation's own transaction when it writes (so the
 * entry commits or rolls back with the change), in a transaction of its own otherwise. Every
 * refusal is logged with its code (FORBIDDEN, UNAUTHENTICATED, NOT_FOUND…). Only root fields are
 * wrapped, so nested fields pay nothing.
 */
export function auditRootFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const resolve = field.resolve ?? defaultFieldResolver;
      const onSuccess = type === schema.getMutationType() || AUDITED_QUERIES.has(field.name);
      field.resolve = (root, args, context: ResolverContext, info) => audited(info, args, context, onSuccess, () => resolve(root, args, context, info));
    }
  }
  return schema;
}

async function audited(info: GraphQLResolveInfo, args: Record<string, unknown>, context: ResolverContext, onSuccess: boolean, run: () => unknown): Promise<unknown> {
  const action = `${info.parentType.name.toLowerCase()} ${info.fieldName}`;
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
    const result = onSuccess ? await transactionHooks.run(hooks, run) : await run();
    if (onSuccess && !written) await context.services.audit.record(actor(), { action, objectType, objectId, outcome: 'OK' });
    return result;
  } catch (error) {
    if (!written) await context.services.audit.record(actor(), { action, objectType, objectId, outcome: codeOf(error) });
    throw error;
  }
}
