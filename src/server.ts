import http from 'node:http';
import crypto from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import { DocumentNode, GraphQLError, GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { Principal } from './auth/principal';
import { formatPaxError } from './common/error-format';
import { createContext, readiness, Services } from './services';
import { pinoHttp } from 'pino-http';
import { PaxContext } from './context';

export interface PaxServer {
  httpServer: http.Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Bounds on what one operation may ask for; see the README. */
const armor = new ApolloArmor({
  maxDepth: { n: 10 },
  costLimit: { maxCost: 60000, objectCost: 2, scalarCost: 1, depthCostFactor: 1.2 },
  maxAliases: { n: 15 },
  maxTokens: { n: 2000 },
  maxDirectives: { n: 20 },
});

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new GraphQLError('send the token as "Authorization: Bearer <token>"', { extensions: { code: 'UNAUTHENTICATED' } });
  return match[1];
}

/** Composes HTTP (Express + Apollo) and WebSocket (graphql-ws) on one port and the /graphql path. */
export async function startServer(services: Services, schema: GraphQLSchema, port: number): Promise<PaxServer> {
  const { config, log } = services;
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
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  const httpServer = http.createServer(app);
  const protection = armor.protect();

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsPrincipals = new WeakMap<object, Principal>();
  const wsCleanup = useServer<Record<string, unknown>, { request: http.IncomingMessage }>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          const authorization = ctx.connectionParams?.authorization;
          const token = bearer(typeof authorization === 'string' ? authorization : undefined);
          if (!token) throw new Error('send connectionParams.authorization = "Bearer <token>"');
          wsPrincipals.set(ctx.extra, await services.tokens.verify(token));
          return true;
        } catch (error) {
          await services.audit.record({ principal: null, requestId: null }, { action: 'authenticate websocket', outcome: 'UNAUTHENTICATED' });
          ctx.extra.socket.close(CloseCode.Forbidden, `Unauthenticated: ${(error as Error).message}`.slice(0, 120));
          return false;
        }
      },
      context: (ctx) => createContext(services, wsPrincipals.get(ctx.extra) ?? null, crypto.randomUUID(), false),
      // Same depth, cost and alias limits as HTTP; graphql-ws then parses and validates as usual.
      onSubscribe: (_ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document, [...specifiedRules, ...protection.validationRules]);
        return errors.length ? errors : undefined;
      },
      onOperation: () => {
        services.metrics.activeSubscriptions.inc();
      },
      onComplete: () => {
        services.metrics.activeSubscriptions.dec();
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        if (!('errors' in result) || !result.errors) return result;
        return { ...result, errors: result.errors.map((e) => formatPaxError(e.toJSON(), e, log, 'ws')) };
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<PaxContext>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // pax serve owns SIGTERM: it drains HTTP and WebSockets, then closes the pools.
    stopOnTerminationSignals: false,
    validationRules: protection.validationRules,
    plugins: [
      ...protection.plugins,
      // PAX sets no cache hints; the default cache-control plugin would wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      services.metrics.apolloPlugin(),
      { requestDidStart: async () => ({ willSendResponse: async ({ contextValue }) => contextValue.services.audit.flushReads(contextValue) }) },
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
  app.get('/metrics', async (_req, res) => {
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });
  app.use(
    '/graphql',
    express.json({ limit: '8mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = String(req.id);
        let principal: Principal | null = null;
        try {
          const token = bearer(req.headers.authorization);
          if (token) principal = await services.tokens.verify(token);
        } catch (error) {
          await services.audit.record({ principal: null, requestId }, { action: 'authenticate', outcome: 'UNAUTHENTICATED' });
          throw new GraphQLError((error as Error).message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        }
        return createContext(services, principal, requestId, true);
      },
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(port, resolve));
  const address = httpServer.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    httpServer,
    port: boundPort,
    url: `http://localhost:${boundPort}/graphql`,
    close: () => apollo.stop(),
  };
}
