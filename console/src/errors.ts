import type { CombinedError } from 'urql';

/** What each code of the contract (`extensions.code`) means to the person at the screen. */
const IN_WORDS: Record<string, string> = {
  UNAUTHENTICATED: 'Your session is no longer accepted (the token expired or was refused). Sign out and sign in again.',
  FORBIDDEN: 'Your role does not allow this.',
  NOT_FOUND: 'Not found. It does not exist, or it is not shared with you.',
  BAD_USER_INPUT: 'Please check the form.',
  CONFLICT: 'Changed by someone else since you opened it. Reload to see the current version, then try again.',
  INVALID_TRANSITION: 'That move is not possible from the current status.',
  RATE_LIMITED: 'Too many requests from your organisation just now. Wait a moment and try again.',
};

export interface Problem {
  code: string;
  summary: string;
  detail?: string;
  field?: string;
}

export function problemOf(error: CombinedError): Problem {
  if (error.networkError && !error.graphQLErrors.length) {
    return { code: 'NETWORK', summary: 'PAX cannot be reached. Check your connection and try again.' };
  }
  const first = error.graphQLErrors[0];
  const code = String(first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  const field = first?.extensions?.field as string | undefined;
  // A hidden object and a missing one get the same words; the server message names the id either way.
  if (code === 'NOT_FOUND') return { code, summary: IN_WORDS.NOT_FOUND };
  return {
    code,
    summary: IN_WORDS[code] ?? 'Something went wrong on the server. Try again; if it persists, tell your PAX operator.',
    detail: IN_WORDS[code] ? first?.message : undefined,
    field,
  };
}
