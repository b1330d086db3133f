import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import express from 'express';
import { Role } from '../src/auth/roles';
import { loadConfig } from '../src/config';
import { consoleRouter } from '../src/http/console';
import { generateMasterKey } from '../src/modules/disclosures/sealing';
import { startExchange, TEST_SECRET } from './helpers/exchange';

const ME = '{ me { sub roles partner { slug } } }';

/** The console's HTTP side without a browser: personas, routes, headers (the browser suite is `npm run test:console`). */
describe('serving the console', () => {
  async function serve(dir: string) {
    const app = express().use(consoleRouter(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', PAX_JWT_SECRET: TEST_SECRET, PAX_SEED_DEMO: 'false' }), dir));
    app.use((_req, res) => res.status(404).json({ fellThrough: true }));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it('answers console routes and typed deep links with index.html under a strict CSP, and leaves other paths alone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pax-console-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    const { base, close } = await serve(dir);
    try {
      for (const route of ['/', '/queue', '/requests/0197a0a0-0000-7000-8000-000000000000', '/disclosures/x', '/report']) {
        const response = await fetch(`${base}${route}`);
        expect([route, response.status, await response.text()]).toEqual([route, 200, '<!doctype html><div id="root"></div>']);
        expect(response.headers.get('content-security-policy')).toBe(
          `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws://${base.slice(7)} wss://${base.slice(7)}; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'`,
        );
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const script = await fetch(`${base}/assets/index-abc.js`);
      expect(script.headers.get('cache-control')).toMatch(/immutable/);
      expect(script.headers.get('content-security-policy')).toContain("default-src 'none'");
      for (const other of ['/graphql', '/healthz', '/metrics', '/nowhere', '/queue.php', '/assets/missing.js', '/console/demo-personas.json']) {
        expect([other, (await fetch(`${base}${other}`)).status]).toEqual([other, 404]);
      }
    } finally {
      await close();
    }
  });

  it('says to run npm run build when the console is not built', async () => {
    const { base, close } = await serve(path.join(os.tmpdir(), 'pax-console-absent'));
    try {
      const response = await fetch(`${base}/requests/1`);
      expect(response.status).toBe(503);
      expect(await response.text()).toMatch(/run `npm run build`/);
    } finally {
      await close();
    }
  });

  it('offers working demo persona tokens in development with demo seeding on, to loopback clients, and nowhere else', async () => {
    const dev = await startExchange({ PAX_SEED_DEMO: 'true' });
    const unseeded = await startExchange();
    const production = await startExchange({ NODE_ENV: 'production', PAX_MASTER_KEYS: generateMasterKey('prod'), PAX_SEED_DEMO: 'true' });
    try {
      const personas = await fetch(dev.url.replace('/graphql', '/console/demo-personas.json'));
      expect(personas.headers.get('cache-control')).toBe('no-store');
      const body = (await personas.json()) as { personas: { sub: string; roles: Role[]; token: string }[] };
      expect(body.personas.map((p) => p.sub)).toEqual(['pta-supervisor', 'pta-analyst', 'pta-disclosure-reader', 'moi-analyst', 'x-reviewer', 'meta-reviewer']);
      for (const persona of body.personas) {
        expect((await dev.gql(persona.token, ME)).data.me).toMatchObject({ sub: persona.sub, roles: persona.roles });
      }
      const refusals = [unseeded, production].map((refusing) => refusing.url.replace('/graphql', '/console/demo-personas.json'));
      // The same development server, reached from another machine's side: through a non-loopback address of this host.
      const outside = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (outside) refusals.push(dev.url.replace('/graphql', '/console/demo-personas.json').replace(/127\.0\.0\.1|localhost/, outside.address));
      else process.stdout.write('NOTE: no non-loopback IPv4 address here; the loopback-only rule of the demo personas is not exercised\n');
      for (const url of refusals) {
        const response = await fetch(url);
        expect(response.status).toBe(404);
        expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('NOT_FOUND');
      }
    } finally {
      await Promise.all([dev.close(), unseeded.close(), production.close()]);
    }
  });
});
