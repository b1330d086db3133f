import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, Router } from 'express';
import type { PaxConfig } from '../config';
import { demoPersonas } from '../cli/demo-seed';

/**
 * The paths the console's router owns; a deep link typed into the address bar gets index.html.
 * Everything else (`/graphql`, `/healthz`, unknown paths) keeps its JSON answers.
 */
const CONSOLE_ROUTES = /^\/(?:(?:sign-in|queue|requests|alerts|organisations|accounts|approvals|disclosures|report)(?:\/[^.]*)?)?$/;

/** A Host header fit to be named in a CSP source; anything else falls back to 'self' alone. */
const PLAIN_HOST = /^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/i;

/**
 * No inline script or style, nothing from another origin, no framing. The WebSocket is named with
 * the host the page came from because older browsers do not let 'self' cover ws: and wss:.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const socket = host && PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${socket}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

function secure(req: Request, res: Response): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.headers.host));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
}

/** The folder holding package.json, from src/http in the sources or dist/src/http once built. */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const CONSOLE_DIR = path.join(packageRoot(), 'dist', 'console');

const isLoopback = (address: string | undefined) => address === '::1' || /^(?:::ffff:)?127\./.test(address ?? '');

/**
 * Serves the built console (`npm run build`) at `/`. It is a client of `/graphql` like any other:
 * the only thing served here that is not a static file is the demo personas' tokens, in development
 * with demo seeding on and to loopback clients only, which `pax serve` prints at start anyway.
 */
export function consoleRouter(config: PaxConfig, dir = CONSOLE_DIR): Router {
  const router = Router();
  const index = path.join(dir, 'index.html');

  router.get('/console/demo-personas.json', (req, res, next) => {
    // A staging instance left outside production must not hand tokens to whoever reaches it: the
    // personas are for the developer at this machine only.
    const personas = isLoopback(req.socket.remoteAddress) ? demoPersonas(config) : [];
    if (!personas.length) return next();
    secure(req, res);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ personas });
  });

  router.use('/assets', (req, res, next) => {
    secure(req, res);
    next();
  });
  // Asset names carry a content hash, so they never change under one name.
  router.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: true }));

  router.get(CONSOLE_ROUTES, (req, res) => {
    secure(req, res);
    if (!fs.existsSync(index)) {
      res.status(503).type('text/plain').send('The PAX console is not built: run `npm run build` (the API is at /graphql).\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
