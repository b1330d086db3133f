// Prints every takedown status change the token may see, one JSON line each.
// Usage, from the project folder: SUP=<token> node examples/watch-takedowns.js   (PORT, or PAX_URL, if not 4000)
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

const token = process.env.SUP;
if (!token) {
  console.error('Set SUP to a token first, e.g. SUP=$(npm run -s pax -- token --partner pta --roles AGENCY_SUPERVISOR --sub pta-supervisor)');
  process.exit(2);
}
const url = process.env.PAX_URL ?? `ws://localhost:${process.env.PORT ?? 4000}/graphql`;

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  // Fail at once on a refused token or an unreachable server instead of retrying quietly.
  retryAttempts: 0,
  lazy: false,
  on: {
    connected: () => console.error(`watching takedown status changes on ${url}`),
    closed: (event) => {
      if (event.code !== 1000) {
        console.error(`PAX closed the connection: ${event.code} ${event.reason || ''}`.trim());
        process.exit(1);
      }
    },
    error: (error) => {
      console.error(`cannot reach PAX at ${url}: ${error.message ?? error}`);
      process.exit(1);
    },
  },
});

client.subscribe(
  { query: 'subscription { takedownStatusChanged { request { id status version deadlineAt } entry { fromStatus toStatus reasonCode action note actor { partner { slug } } } } }' },
  {
    next: (event) => console.log(JSON.stringify(event.errors ? { errors: event.errors } : event.data)),
    error: (error) => {
      console.error(`subscription refused: ${Array.isArray(error) ? error.map((e) => e.message).join('; ') : error.message ?? error}`);
      process.exit(1);
    },
    complete: () => process.exit(0),
  },
);
