import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { PAX_ERROR_CODES } from './errors';

/** Codes raised by GraphQL itself or Apollo for a malformed request; safe to show as they are. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * graphql-js stops coercing variables after 50 errors and adds this one, untagged; the fault is
 * the caller's, like the 50 BAD_USER_INPUT errors before it.
 */
const TOO_MANY_VARIABLE_ERRORS = 'Too many errors processing variables, error limit reached. Execution aborted.';

interface ClassValidatorError {
  property: string;
  constraints?: Record<string, string>;
  children?: ClassValidatorError[];
}

function flatten(errors: ClassValidatorError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => [
    ...(e.constraints ? [{ field: `${prefix}${e.property}`, problems: Object.values(e.constraints) }] : []),
    ...flatten(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}

/**
 * Shapes every error PAX sends: contract codes pass through, class-validator failures become a
 * BAD_USER_INPUT listing each field, and anything unexpected is logged and masked so that no
 * stack trace or internal message reaches a client.
 */
export function formatPaxError(formatted: GraphQLFormattedError, error: unknown, log: Logger, requestId: string): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? '');
  const validation = formatted.extensions?.validationErrors as ClassValidatorError[] | undefined;
  if (code === 'BAD_USER_INPUT' && validation) {
    const fields = flatten(validation);
    return {
      message: `invalid input: ${fields.map((f) => `${f.field}: ${f.problems.join('; ')}`).join(' | ')}`,
      locations: formatted.locations,
      path: formatted.path,
      // `field` names the first offending field, as the services' own BAD_USER_INPUT errors do.
      extensions: { code, field: fields[0]?.field, fields },
    };
  }
  if (formatted.message === TOO_MANY_VARIABLE_ERRORS && !formatted.path) {
    return { message: `${formatted.message} Fix the variables listed before it.`, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (PAX_ERROR_CODES.has(code) || REQUEST_ERROR_CODES.has(code)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  log.error({ err: original, requestId, path: formatted.path }, 'unexpected error');
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
  };
}
