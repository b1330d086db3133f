import { ArgumentNode, ASTNode, FieldNode, getArgumentValues, GraphQLSchema, Kind, ObjectFieldNode, OperationDefinitionNode, FragmentDefinitionNode, SelectionSetNode, visit } from 'graphql';
import type Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Principal } from '../auth/principal';
import { badInput, PaxError, unauthenticated } from '../common/errors';
import { publicRootFields } from './guard';

export interface AdmissionLimits {
  /** Root fields one partner may run per minute, over every transport and instance. */
  operationsPerMinute: number;
  /** Profiles one platform partner may screen per minute (`screenAccount` counts one). */
  screeningProfilesPerMinute: number;
}

/** Root fields a caller without a token may select: introspection, and whatever is `@Public()`. */
const INTROSPECTION = new Set(['__schema', '__type', '__typename']);

const SCREENING = new Set(['screenAccount', 'screenAccounts']);

/** A refused request's answer over HTTP: 401 or 429, see the http status plugin. */
export const rateLimitedError = (message: string, retryAfterSeconds: number) =>
  new PaxError('RATE_LIMITED', message, { retryAfterSeconds });

/**
 * Decides, before anything executes, whether an operation may run at all: a caller without a
 * token is refused unless every root field is public, and each partner spends from its per-minute
 * budgets. HTTP and the WebSocket call the same `admit`, so both transports answer alike.
 */
export class Admission {
  private readonly publicFields: Set<string>;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly operations: RateLimiterAbstract,
    private readonly screening: RateLimiterAbstract,
  ) {
    this.publicFields = publicRootFields();
  }

  /** In-process budgets, or shared through Redis when the instances share one. */
  static create(schema: GraphQLSchema, limits: AdmissionLimits, redis?: Redis): Admission {
    const limiter = (keyPrefix: string, points: number) =>
      redis
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `pax:${keyPrefix}`, points, duration: 60, insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: 60 }) })
        : new RateLimiterMemory({ keyPrefix, points, duration: 60 });
    return new Admission(schema, limiter('operations', limits.operationsPerMinute), limiter('screening', limits.screeningProfilesPerMinute));
  }

  async admit(
    principal: Principal | null,
    operation: OperationDefinitionNode,
    fragments: Record<string, FragmentDefinitionNode>,
    variables: Record<string, unknown> | undefined,
  ): Promise<void> {
    const fields = rootFields(operation.selectionSet, fragments);
    const typeName = operation.operation === 'query' ? 'Query' : operation.operation === 'mutation' ? 'Mutation' : 'Subscription';
    if (!principal) {
      if (fields.every((f) => INTROSPECTION.has(f.name.value) || this.publicFields.has(`${typeName}.${f.name.value}`))) return;
      throw unauthenticated('this operation needs a bearer token: send "Authorization: Bearer <token>"');
    }
    refuseNul(operation, fragments, variables);
    await spend(this.operations, principal.partnerId, fields.length, 'operations', 'PAX_RATE_LIMIT_PER_MINUTE');
    const profiles = fields.filter((f) => SCREENING.has(f.name.value)).reduce((sum, f) => sum + this.profilesIn(typeName, f, variables), 0);
    if (profiles > 0) await spend(this.screening, principal.partnerId, profiles, 'screened profiles', 'PAX_SCREENING_PROFILES_PER_MINUTE');
  }

  private profilesIn(typeName: string, field: FieldNode, variables: Record<string, unknown> | undefined): number {
    const definition = this.schema.getMutationType()?.getFields()[field.name.value];
    if (typeName !== 'Mutation' || !definition) return 0;
    try {
      const accounts = (getArgumentValues(definition, field, variables).input as { accounts?: unknown[] } | undefined)?.accounts;
      return Array.isArray(accounts) ? accounts.length : 1;
    } catch {
      // Arguments that do not coerce are refused by execution with their own error; count one.
      return 1;
    }
  }
}

async function spend(limiter: RateLimiterAbstract, partnerId: string, points: number, what: string, setting: string): Promise<void> {
  try {
    await limiter.consume(partnerId, points);
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
    throw rateLimitedError(`your organisation is over its limit of ${limiter.points} ${what} a minute (${setting}); retry in ${retryAfterSeconds} s`, retryAfterSeconds);
  }
}

/**
 * PostgreSQL's text cannot hold U+0000, and SQLite would: so that both engines answer alike, no
 * string of any input may carry it, free text included. The field is named as validation names it
 * (`legalBasis.instrument`), inside the variable that carries it.
 */
function refuseNul(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown> | undefined): void {
  const refuse = (field: string) => {
    throw badInput(`${field} must not contain control or bidi characters (found U+0000); no text may carry NUL`, { field });
  };
  // Iterative, with parent links instead of copied paths: a hostile variable may nest lists a
  // million deep, and neither the call stack nor the work may grow with depth squared.
  interface Step { value: unknown; key: string; parent?: Step }
  // Inside an input object the field is named as validation names it; a bare string by its variable.
  const pathOf = (step: Step): string => {
    const keys: string[] = [];
    for (let at: Step | undefined = step; at?.parent; at = at.parent) keys.unshift(at.key);
    return keys.join('.') || step.key;
  };
  const pending: Step[] = Object.entries(variables ?? {}).reverse().map(([key, value]) => ({ value, key }));
  for (let step = pending.pop(); step; step = pending.pop()) {
    if (typeof step.value === 'string') {
      if (step.value.includes('\u0000')) refuse(pathOf(step));
    } else if (step.value !== null && typeof step.value === 'object') {
      for (const [key, value] of Object.entries(step.value).reverse()) pending.push({ value, key, parent: step });
    }
  }
  for (const node of [operation, ...Object.values(fragments)]) {
    visit(node, {
      StringValue(literal, _key, parent, _path, ancestors) {
        if (!literal.value.includes('\u0000')) return;
        const named = [...ancestors, parent].reverse().find((a): a is ObjectFieldNode | ArgumentNode => !Array.isArray(a) && ((a as ASTNode).kind === Kind.OBJECT_FIELD || (a as ASTNode).kind === Kind.ARGUMENT));
        refuse(named?.name.value ?? 'query');
      },
    });
  }
}

function rootFields(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  return selectionSet.selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    if (seen.has(name) || !fragments[name]) return [];
    seen.add(name);
    return rootFields(fragments[name].selectionSet, fragments, seen);
  });
}
