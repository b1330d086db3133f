import http from 'node:http';
import crypto from 'node:crypto';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import { DocumentNode, FragmentDefinitionNode, getOperationAST, GraphQLError, GraphQLSchema, Kind, parse, specifiedRules, validate } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { pinoHttp } from 'pino-http';
import { Principal } from './auth/principal';
import { formatPaxError } from './common/error-format';
import { unauthenticated } from './common/errors';
import { createContext, readiness, Services, ResolverContext } from './services';
import { Admission } from './access/admission';
import { RefusalTally } from './modules/audit/refusal-tally';
import { requestSummary } from './observability/logger';
import { httpStatusPlugin } from './http/status';
import { jsonErrorHandler, jsonNotFound } from './http/errors';
import { metricsHandler, startMetricsServer } from './http/metrics';
import { signalsRouter } from './http/signals';
import { consoleRouter } from './http/console';
import { taxiiRoutes } from './http/taxii';

export interface PaxServer {
  httpServer: http.Server;
  port: number;
  url: string;
  /** Set when PAX_METRICS_PORT is: the port `/metrics` is served on. */
  metricsPort?: number;
  /** Unauthenticated refusals waiting for the next tally entry; `flush()` writes them now. */
  refusals: RefusalTally;
  close(): Promise<void>;
}

/** Bounds on what one operation may ask for; see the README. */
const MAX_TOKENS = 2000;
const armor = new ApolloArmor({
  maxDepth: { n: 10 },
  costLimit: { maxCost: 60000, objectCost: 2, scalarCost: 1, depthCostFactor: 1.2 },
  maxAliases: { n: 15 },
  // graphql-js counts tokens while parsing (`parseOptions`), which answers a parse error, where
  // armor's Apollo plugin throws from a hook and answers 500.
  maxTokens: { enabled: false },
  maxDirectives: { n: 20 },
});

const BEARER_FORMAT = 'send the token as "Authorization: Bearer <token>"';

/** The token of an `Authorization: Bearer …` value; null when there is none. */
function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated(BEARER_FORMAT);
  return match[1];
}

const fragmentsOf = (document: DocumentNode) =>
  Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));

/** Composes HTTP (Express + Apollo) and WebSocket (graphql-ws) on one port and the /graphql path. */
export async function startServer(services: Services, schema: GraphQLSchema, port: number): Promise<PaxServer> {
  const { config, log } = services;
  const admission = Admission.create(schema, config.rateLimits, services.redis?.client);
  services.webhookDispatcher.serve(schema);
  const refusals = new RefusalTally(services.audit, log, services.metrics.unauthenticatedRefusals, config.refusalWindowSeconds);
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const id = String(req.headers['x-request-id'] ?? crypto.randomUUID()).slice(0, 100);
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: { req: requestSummary, res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  const httpServer = http.createServer(app);
  const protection = armor.protect();

  /** A verified principal for a presented token; refusals are tallied, not logged one by one. */
  const authenticate = async (header: string | undefined, transport: string): Promise<Principal | null> => {
    try {
      const token = bearer(header);
      return token ? await services.tokens.verify(token) : null;
    } catch (error) {
      refusals.count(transport);
      throw error instanceof GraphQLError ? error : unauthenticated((error as Error).message);
    }
  };

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsPrincipals = new WeakMap<object, Principal>();
  const wsCleanup = useServer<Record<string, unknown>, { request: http.IncomingMessage }>(
    {
      schema,
      // A missing token and a bad one close alike, with 4403 and a reason, as soon as the client connects.
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        try {
          const principal = await authenticate(typeof authorization === 'string' ? authorization : undefined, 'websocket');
          if (!principal) {
            refusals.count('websocket');
            throw unauthenticated('send connectionParams.authorization = "Bearer <token>"');
          }
          wsPrincipals.set(ctx.extra, principal);
          return true;
        } catch (error) {
          ctx.extra.socket.close(CloseCode.Forbidden, `Unauthenticated: ${(error as Error).message}`.slice(0, 120));
          return false;
        }
      },
      // Queries and mutations read through fresh per-operation loaders; subscriptions re-read rows at each delivery.
      context: (ctx, _id, _payload, args) =>
        createContext(services, wsPrincipals.get(ctx.extra) ?? null, crypto.randomUUID(), getOperationAST(args.document, args.operationName)?.operation !== 'subscription'),
      // The same parse, validation, admission and limits as HTTP.
      onSubscribe: async (ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: MAX_TOKENS });
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document, [...specifiedRules, ...protection.validationRules]);
        if (errors.length) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('name the operation to run', { extensions: { code: 'BAD_USER_INPUT' } })];
        try {
          await admission.admit(wsPrincipals.get(ctx.extra) ?? null, operation, fragmentsOf(document), payload.variables ?? undefined);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        return undefined;
      },
      onOperation: () => {
        services.metrics.activeSubscriptions.inc();
      },
      onComplete: () => {
        services.metrics.activeSubscriptions.dec();
      },
      // Sensitive fields read over the WebSocket are audited like over HTTP: after each result.
      onNext: async (_ctx, _id, _payload, args, result) => {
        await services.audit.flushReads(args.contextValue as ResolverContext);
        if (!('errors' in result) || !result.errors) return result;
        return { ...result, errors: result.errors.map((e) => formatPaxError(e.toJSON(), e, log, 'ws')) };
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<ResolverContext>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    // pax serve owns SIGTERM: it drains HTTP and WebSockets, then closes the pools.
    stopOnTerminationSignals: false,
    validationRules: protection.validationRules,
    plugins: [
      ...protection.plugins,
      // PAX sets no cache hints; the default cache-control plugin would wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      // The landing page names the server and its version; production serves the API only.
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      services.metrics.apolloPlugin(),
      httpStatusPlugin(),
      {
        requestDidStart: async () => ({
          didResolveOperation: async ({ contextValue, operation, document, request }) => {
            if (!operation) return;
            try {
              await admission.admit(contextValue.principal, operation, fragmentsOf(document), request.variables);
            } catch (error) {
              if ((error as GraphQLError).extensions?.code === 'UNAUTHENTICATED') refusals.count('http');
              throw error;
            }
          },
          willSendResponse: async ({ contextValue }) => contextValue.services.audit.flushReads(contextValue),
        }),
      },
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: async () => wsCleanup.dispose() }) },
    ],
    formatError: (formatted, error) => formatPaxError(formatted, error, log, 'http'),
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const { ready, ...parts } = await readiness(services);
    if (!ready) log.warn(parts, 'not ready');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', ...parts });
  });
  // On the API port only behind its own token; otherwise on PAX_METRICS_PORT, or not at all.
  if (config.metrics.token && config.metrics.port === undefined) app.get('/metrics', metricsHandler(services.metrics, config.metrics.token));
  const metricsServer = config.metrics.port !== undefined ? await startMetricsServer(services.metrics, config.metrics.port, config.metrics.host, config.metrics.token) : undefined;
  app.use('/signals/v1', signalsRouter(services.signals, (header) => authenticate(header, 'signals')));
  app.use(
    '/graphql',
    express.json({ limit: '8mb' }),
    expressMiddleware(apollo, {
      // Apollo answers a context failure itself, before any plugin: it carries its own 401.
      context: async ({ req }) => {
        try {
          return createContext(services, await authenticate(req.headers.authorization, 'http'), String(req.id), true);
        } catch (error) {
          const headers = new HeaderMap([['www-authenticate', 'Bearer realm="pax", error="invalid_token"']]);
          throw new GraphQLError((error as Error).message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers } } });
        }
      },
    }),
  );
  app.use(taxiiRoutes(services, (authorization) => authenticate(authorization, 'taxii')));
  // The web console at `/`: a client of /graphql, like any other.
  app.use(consoleRouter(config));
  app.use(jsonNotFound);
  app.use(jsonErrorHandler(log));

  await new Promise<void>((resolve) => httpServer.listen(port, resolve));
  const address = httpServer.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const metricsAddress = metricsServer?.address();
  return {
    httpServer,
    port: boundPort,
    url: `http://localhost:${boundPort}/graphql`,
    metricsPort: typeof metricsAddress === 'object' && metricsAddress ? metricsAddress.port : undefined,
    refusals,
    async close() {
      await apollo.stop();
      await new Promise((resolve) => (metricsServer ? metricsServer.close(resolve) : resolve(undefined)));
      await refusals.close();
    },
  };
}
