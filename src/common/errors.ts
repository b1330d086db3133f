import { GraphQLError } from 'graphql';

/** The error codes of the contract; every refusal PAX makes carries one of them in `extensions.code`. */
export type PaxErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'RATE_LIMITED';

export const PAX_ERROR_CODES: ReadonlySet<string> = new Set<PaxErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'INVALID_TRANSITION',
  'RATE_LIMITED',
]);

export class PaxError extends GraphQLError {
  constructor(code: PaxErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { ...details, code } });
  }
}

export const unauthenticated = (message: string) => new PaxError('UNAUTHENTICATED', message);
export const forbidden = (message: string) => new PaxError('FORBIDDEN', message);
export const badInput = (message: string, details: Record<string, unknown> = {}) =>
  new PaxError('BAD_USER_INPUT', message, details);
export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new PaxError('CONFLICT', message, details);
export const rateLimited = (message: string) => new PaxError('RATE_LIMITED', message);
export const invalidTransition = (message: string) => new PaxError('INVALID_TRANSITION', message);

/**
 * The same message for "does not exist" and "exists but you may not see it", so that a refusal
 * never confirms that a hidden object is there.
 */
export const notFound = (type: string, id: string) => new PaxError('NOT_FOUND', `${type} ${id} not found`);

/** Optimistic locking: CONFLICT when the caller read an older version than the row now has. */
export function assertExpectedVersion(current: number, expected: number | null | undefined): void {
  if (expected !== undefined && expected !== null && expected !== current) {
    throw conflict(`the request is at version ${current}, not ${expected}; read it again`, { currentVersion: current });
  }
}
