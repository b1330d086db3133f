import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import express, { NextFunction, Request, Response, Router } from 'express';
import { GraphQLError } from 'graphql';
import { Principal } from '../auth/principal';
import { Role } from '../auth/roles';
import { SignalService } from '../modules/signals/signal.service';

const answer = (message: string, code: string, extensions: Record<string, unknown> = {}) => ({ errors: [{ message, extensions: { code, ...extensions } }] });

/** Skips the first `offset` bytes of a stream: a client resuming a snapshot it has partly written. */
function skip(offset: number): Transform {
  let left = offset;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (left >= chunk.length) {
        left -= chunk.length;
        return done();
      }
      const rest = chunk.subarray(left);
      left = 0;
      done(null, rest);
    },
  });
}

const integer = (value: unknown, name: string): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) throw new GraphQLError(`${name} must be a whole number`, { extensions: { code: 'BAD_USER_INPUT' } });
  return Number(value);
};

/**
 * The signal feed over HTTP, for PLATFORM_SYSTEM tokens: a snapshot, change batches after a
 * cursor, and the avatar hashes as an HMA hash list. The key set is public, so that a copy taken
 * from a cache verifies without a token. Bodies are gzip'd when the client accepts it, and streamed.
 */
export function signalsRouter(signals: SignalService, authenticate: (header: string | undefined) => Promise<Principal | null>): Router {
  const router = express.Router();

  const send = async (req: Request, res: Response, type: string, body: AsyncIterable<Buffer | string> | Iterable<Buffer>) => {
    res.setHeader('content-type', type);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('vary', 'accept-encoding');
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) res.setHeader('content-encoding', 'gzip');
    // A failure midway cuts the body short; the missing signature line makes the client refuse it.
    if (gzip) await pipeline(Readable.from(body), zlib.createGzip(), res);
    else await pipeline(Readable.from(body), res);
  };

  router.use((_req, res, next) => {
    if (!signals.enabled) return void res.status(503).json(answer('the signal feed is off: PAX has no signing key (set PAX_SIGNAL_KEYS)', 'UNAVAILABLE'));
    next();
  });

  router.get('/keys', (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=300');
    res.json(signals.publicKeys());
  });

  router.use(async (req, res, next) => {
    try {
      const principal = await authenticate(req.headers.authorization);
      if (!principal) return void res.status(401).setHeader('www-authenticate', 'Bearer realm="pax"').json(answer('send Authorization: Bearer <token> of a PLATFORM_SYSTEM principal', 'UNAUTHENTICATED'));
      if (!principal.roles.includes(Role.PLATFORM_SYSTEM)) return void res.status(403).json(answer('the signal feed is for PLATFORM_SYSTEM tokens', 'FORBIDDEN'));
      next();
    } catch (error) {
      res.status(401).setHeader('www-authenticate', 'Bearer realm="pax", error="invalid_token"').json(answer((error as Error).message, 'UNAUTHENTICATED'));
    }
  });

  router.get('/snapshot', async (req, res, next) => {
    try {
      const offset = integer(req.query.offset, 'offset') ?? 0;
      const snapshot = await signals.snapshot(integer(req.query.cursor, 'cursor'));
      res.setHeader('x-pax-cursor', String(snapshot.cursor));
      res.setHeader('x-pax-count', String(snapshot.count));
      await send(req, res, 'application/x-ndjson', offset ? Readable.from(snapshot.bytes).pipe(skip(offset)) : snapshot.bytes);
    } catch (error) {
      next(error);
    }
  });

  router.get('/changes', async (req, res, next) => {
    try {
      const after = integer(req.query.after, 'after');
      if (after === undefined) throw new GraphQLError('after is required: the cursor of your last snapshot or change batch', { extensions: { code: 'BAD_USER_INPUT' } });
      const batch = await signals.changes(after, integer(req.query.limit, 'limit'));
      res.setHeader('x-pax-cursor', String(batch.cursor));
      res.setHeader('x-pax-head', String(batch.head));
      await send(req, res, 'application/x-ndjson', batch.bytes);
    } catch (error) {
      next(error);
    }
  });

  router.get('/hma/pdq.txt', async (req, res, next) => {
    try {
      await send(req, res, 'text/plain; charset=utf-8', signals.hmaPdq());
    } catch (error) {
      next(error);
    }
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof GraphQLError) || res.headersSent) return next(error);
    const reason = error.extensions.reason;
    res.status(reason === 'CURSOR_EXPIRED' ? 410 : 400).json(answer(error.message, String(error.extensions.code), { ...error.extensions }));
  });
  return router;
}
