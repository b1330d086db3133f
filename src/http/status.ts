import type { ApolloServerPlugin } from '@apollo/server';
import Negotiator from 'negotiator';

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json';

/** Errors in the GraphQL document or its variables; a malformed HTTP request (BAD_REQUEST) stays 400. */
const DOCUMENT_ERRORS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

/**
 * HTTP status codes for requests that never reached execution (no `data` in the body), following
 * GraphQL over HTTP:
 * - UNAUTHENTICATED is 401 with `WWW-Authenticate`, whether the token is missing or bad;
 * - RATE_LIMITED is 429; every answer with a RATE_LIMITED error carries `Retry-After`;
 * - parse, validation and variable errors are 400 for `application/graphql-response+json`, and 200
 *   for `application/json`, whose clients read errors from the body;
 * - a request without a usable query (BAD_REQUEST) keeps Apollo's 400.
 * Once an operation executes (`data` present, even null), the answer is 200 and the errors say why.
 */
export function httpStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          const body = response.body;
          if (body.kind !== 'single' || !body.singleResult.errors?.length) return;
          const errors = body.singleResult.errors;
          const codes = new Set(errors.map((e) => e.extensions?.code));
          const headers = response.http.headers;
          if (codes.has('RATE_LIMITED')) {
            headers.set('retry-after', String(Math.max(...errors.map((e) => Number(e.extensions?.retryAfterSeconds) || 60))));
          }
          if (body.singleResult.data !== undefined) return;
          if (codes.has('UNAUTHENTICATED')) {
            response.http.status = 401;
            const bearer = request.http?.headers.get('authorization');
            headers.set('www-authenticate', bearer ? 'Bearer realm="pax", error="invalid_token"' : 'Bearer realm="pax"');
          } else if (codes.has('RATE_LIMITED')) {
            response.http.status = 429;
          } else if ([...codes].every((code) => DOCUMENT_ERRORS.has(String(code)))) {
            response.http.status = prefersGraphQLResponse(request.http?.headers.get('accept')) ? 400 : 200;
          }
        },
      };
    },
  };
}

/** The media type Apollo answers with, chosen the way it chooses it. */
function prefersGraphQLResponse(accept: string | undefined): boolean {
  if (!accept) return false;
  return new Negotiator({ headers: { accept } }).mediaType([JSON_TYPE, GRAPHQL_RESPONSE_TYPE]) === GRAPHQL_RESPONSE_TYPE;
}
