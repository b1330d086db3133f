import crypto from 'node:crypto';
import http from 'node:http';
import express, { RequestHandler } from 'express';
import { jsonNotFound } from './errors';
import type { PaxMetrics } from '../observability/metrics';

const digest = (value: string) => crypto.createHash('sha256').update(value).digest();

/** Prometheus text, for a scraper that shows `token` as a bearer token when one is configured. */
export function metricsHandler(metrics: PaxMetrics, token?: string): RequestHandler {
  const expected = token ? digest(`Bearer ${token}`) : null;
  return async (req, res) => {
    if (expected && !crypto.timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      res.status(401).set('www-authenticate', 'Bearer realm="pax-metrics"').json({ errors: [{ message: 'send the metrics token as a bearer token', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

/** `/metrics` on a port of its own (PAX_METRICS_PORT), which the network keeps away from partners. */
export async function startMetricsServer(metrics: PaxMetrics, port: number, host: string, token?: string): Promise<http.Server> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(metrics, token));
  app.use(jsonNotFound);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}
