import crypto, { KeyObject } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { errorCode, GraphQLResponse, startExchange, TestExchange } from './helpers/exchange';

const ME = '{ me { sub partner { slug } } }';
const ISSUER = 'https://idp.example';
const CACHE_SECONDS = 4;
const COOLDOWN_SECONDS = 1;
const now = () => Math.floor(Date.now() / 1000);
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const good = () => ({ sub: 'analyst-1', partner: 'pta', roles: ['AGENCY_ANALYST'], iss: ISSUER, aud: 'pax', exp: now() + 600 });

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  jwk: crypto.JsonWebKey;
}

function signingKey(kid: string, alg: SigningKey['alg']): SigningKey {
  const { privateKey, publicKey } = alg === 'RS256' ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }) : crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

const publicPem = (key: SigningKey) => crypto.createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }).toString();

const sign = (key: SigningKey, claims: object = good(), kid = key.kid) => jwt.sign(claims, key.privateKey, { algorithm: key.alg, keyid: kid });

interface KeySetServer {
  url: string;
  /** What the provider publishes. */
  keys: SigningKey[];
  /** When set, the provider answers 500. */
  failing: boolean;
  hits: () => number;
  close: () => Promise<void>;
}

/** The identity provider: publishes its keys on 127.0.0.1 and counts how often PAX fetches them. */
async function startKeySet(): Promise<KeySetServer> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    if (provider.failing) res.writeHead(500).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: provider.keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const provider: KeySetServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    keys: [],
    failing: false,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return provider;
}

const accepted = (response: GraphQLResponse) => response.data?.me?.sub === 'analyst-1';

/**
 * One key rotation at the identity provider, step by step in order: the steps share the
 * provider, and what each may fetch depends on when the one before it fetched.
 */
describe('identity provider keys from a JWKS URL', () => {
  const first = signingKey('key-2026-01', 'RS256');
  const second = signingKey('key-2026-02', 'ES256');
  let provider: KeySetServer;
  let exchange: TestExchange;
  const me = (token: string) => exchange.gql(token, ME);

  beforeAll(async () => {
    provider = await startKeySet();
    provider.keys = [first];
    exchange = await startExchange({
      PAX_JWT_JWKS_URL: provider.url,
      PAX_JWT_ISSUER: ISSUER,
      PAX_JWT_JWKS_CACHE_SECONDS: String(CACHE_SECONDS),
      PAX_JWT_JWKS_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS),
    });
  });
  afterAll(async () => {
    await exchange.close();
    await provider.close();
  });

  it('accepts tokens signed with a published key, fetching the set once and then using its cache', async () => {
    expect(provider.hits()).toBe(0);
    expect(await me(sign(first))).toMatchObject({ data: { me: { sub: 'analyst-1', partner: { slug: 'pta' } } } });
    for (let i = 0; i < 5; i++) expect(accepted(await me(sign(first)))).toBe(true);
    expect(provider.hits()).toBe(1);
  });

  const refused: [string, () => string][] = [
    ['HS256 signed with the public key as secret (algorithm confusion)', () => jwt.sign(good(), publicPem(first), { algorithm: 'HS256', keyid: first.kid })],
    ['an algorithm outside the list (RS512)', () => jwt.sign(good(), first.privateKey, { algorithm: 'RS512', keyid: first.kid })],
    ['a bad signature', () => sign({ ...first, privateKey: signingKey('other', 'RS256').privateKey })],
    ['an expired token', () => sign(first, { ...good(), exp: now() - 10 })],
    ['no expiry', () => sign(first, (({ exp: _exp, ...rest }) => rest)(good()))],
    ['no sub', () => sign(first, (({ sub: _sub, ...rest }) => rest)(good()))],
    ['a wrong issuer', () => sign(first, { ...good(), iss: 'pax-dev' })],
    ['a wrong audience', () => sign(first, { ...good(), aud: 'another-api' })],
    ['an unknown partner', () => sign(first, { ...good(), partner: 'nobody' })],
    ['a role that does not fit the partner kind', () => sign(first, { ...good(), roles: ['PLATFORM_REVIEWER'] })],
  ];

  it.each(refused)('keeps every other rule: refuses %s, without fetching the set again', async (_name, token) => {
    const before = provider.hits();
    const response = await me(token());
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(response.data ?? null).toBeNull();
    expect(provider.hits()).toBe(before);
  });

  it('refuses tokens naming kids the set does not hold, fetching the set at most once per cooldown', async () => {
    await sleep(COOLDOWN_SECONDS + 0.2);
    const before = provider.hits();
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 40 }, () => me(sign(first, good(), crypto.randomBytes(8).toString('hex')))));
    const elapsedSeconds = (Date.now() - started) / 1000;
    expect(responses.map(errorCode)).toEqual(Array(40).fill('UNAUTHENTICATED'));
    expect(responses[0].errors?.[0].message).toMatch(/no applicable key found/);
    const fetches = provider.hits() - before;
    expect(fetches).toBeGreaterThanOrEqual(1);
    expect(fetches).toBeLessThanOrEqual(1 + Math.floor(elapsedSeconds / COOLDOWN_SECONDS));
  });

  it('accepts a rotated-in key (new kid) after one refetch, while the old key still works', async () => {
    provider.keys = [first, second];
    await sleep(COOLDOWN_SECONDS + 0.2);
    const before = provider.hits();
    expect(accepted(await me(sign(second)))).toBe(true);
    expect(accepted(await me(sign(first)))).toBe(true);
    expect(provider.hits()).toBe(before + 1);
  });

  it('refuses a removed key once the cached set expires', async () => {
    provider.keys = [second];
    const before = provider.hits();
    expect(accepted(await me(sign(first)))).toBe(true);
    expect(provider.hits()).toBe(before);

    await sleep(CACHE_SECONDS + 0.2);
    const refused = await me(sign(first));
    expect(errorCode(refused)).toBe('UNAUTHENTICATED');
    expect(provider.hits()).toBe(before + 1);
    expect(accepted(await me(sign(second)))).toBe(true);
    expect(provider.hits()).toBe(before + 1);
  });

  it('asks a failing provider once per cooldown, not once per token, and says why it refuses', async () => {
    provider.failing = true;
    await sleep(COOLDOWN_SECONDS + 0.2);
    const before = provider.hits();
    const started = Date.now();
    const responses: GraphQLResponse[] = [];
    for (let i = 0; i < 20; i++) responses.push(await me(sign(first, good(), crypto.randomBytes(8).toString('hex'))));
    const elapsedSeconds = (Date.now() - started) / 1000;
    for (const response of responses) {
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
      expect(response.errors?.[0].message).toBe("invalid token: the identity provider's key set could not be fetched; try again later");
    }
    const fetches = provider.hits() - before;
    expect(fetches).toBeGreaterThanOrEqual(1);
    expect(fetches).toBeLessThanOrEqual(1 + Math.floor(elapsedSeconds / COOLDOWN_SECONDS));
  });
});
