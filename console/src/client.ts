import { cacheExchange, Client, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';

/**
 * One urql client per token: queries and mutations over HTTP with the token in the Authorization
 * header, subscriptions over graphql-ws with it in connectionParams. Same origin, so the CSP's
 * connect-src 'self' covers both.
 */
export function paxClient(token: string): { client: Client; dispose(): void } {
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const ws = createWsClient({ url: wsUrl, connectionParams: { authorization: `Bearer ${token}` }, lazy: true, retryAttempts: 5 });
  const client = new Client({
    url: '/graphql',
    // Every view reads fresh data; live changes re-run the open queries.
    requestPolicy: 'cache-and-network',
    // POST always: urql would send short queries as GET, which PAX's CSRF protection refuses.
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` }, credentials: 'omit' }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}
