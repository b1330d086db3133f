import type { ResolverContext } from '../services';
import { AuthChecker, getMetadataStorage } from 'type-graphql';
import { forbidden, unauthenticated } from '../common/errors';
import { hasAnyRole } from '../auth/principal';
import { Role } from '../auth/roles';

const publicOperations = new Set<string>();
const operationKey = (target: object, method: string) => `${(target as { name?: string }).name ?? target.constructor.name}.${method}`;

/** Marks a Query, Mutation or Subscription as deliberately open to unauthenticated callers. */
export function Public(): MethodDecorator {
  return (target, method) => {
    publicOperations.add(operationKey(target.constructor, String(method)));
  };
}

/** `@Authorized(...)` roles: none means any authenticated principal. */
export function checkRoles(context: ResolverContext, roles: readonly Role[]): true {
  if (!context.principal) throw unauthenticated('send a bearer token in the Authorization header');
  if (roles.length > 0 && !hasAnyRole(context.principal, roles)) {
    throw forbidden(`this operation needs one of the roles ${roles.join(', ')}`);
  }
  return true;
}

/** `checkRoles`, with a refusal written to the audit log. */
async function authorise(context: ResolverContext, roles: readonly Role[], action: string): Promise<true> {
  try {
    return checkRoles(context, roles);
  } catch (error) {
    const outcome = String((error as { extensions?: { code?: string } }).extensions?.code);
    await context.services.audit.record({ principal: context.principal, requestId: context.requestId }, { action, outcome });
    throw error;
  }
}

/**
 * Queries and mutations are audited by the wrapper around every root field (see
 * audit.middleware.ts), which sees their refusals; a subscription is refused here, before any
 * wrapper runs, so its refusal is written here.
 */
export const authChecker: AuthChecker<ResolverContext, Role> = ({ context, info }, roles) =>
  info.parentType.name === 'Subscription' ? authorise(context, roles, `subscription ${info.fieldName}`) : checkRoles(context, roles);

/**
 * The start-up guard: refuses a schema in which any Query, Mutation or Subscription field has
 * neither `@Authorized(...)` nor `@Public()`, so a new operation cannot ship unguarded by accident.
 */
export function assertEveryOperationGuarded(resolvers: readonly Function[]): void {
  const storage = getMetadataStorage();
  const authorized = new Set(storage.authorizedFields.map((f) => operationKey(f.target, f.fieldName)));
  const unguarded = [...storage.queries, ...storage.mutations, ...storage.subscriptions]
    .filter((op) => resolvers.includes(op.target))
    .map((op) => operationKey(op.target, op.methodName))
    .filter((key) => !authorized.has(key) && !publicOperations.has(key));
  if (unguarded.length) {
    throw new Error(`refusing to build the schema: ${unguarded.join(', ')} lack @Authorized(...) or @Public()`);
  }
}

/** `Type.field` of every root field marked `@Public()`: the ones a caller without a token may run. */
export function publicRootFields(): Set<string> {
  const storage = getMetadataStorage();
  const roots = [['Query', storage.queries], ['Mutation', storage.mutations], ['Subscription', storage.subscriptions]] as const;
  return new Set(
    roots.flatMap(([type, operations]) =>
      operations.filter((op) => publicOperations.has(operationKey(op.target, op.methodName))).map((op) => `${type}.${op.schemaName}`),
    ),
  );
}
