import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { errorCode, signRaw, startExchange, TEST_SECRET, TestExchange } from './helpers/exchange';

const ME = '{ me { sub roles partner { slug kind platforms } } }';
const now = () => Math.floor(Date.now() / 1000);
const good = () => ({ sub: 'analyst-1', partner: 'pta', roles: ['AGENCY_ANALYST'], iss: 'pax-dev', aud: 'pax', exp: now() + 600 });

function unsigned(claims: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

describe('authentication: every bad token is UNAUTHENTICATED', () => {
  let exchange: TestExchange;
  beforeAll(async () => {
    exchange = await startExchange();
    await exchange.services.partners.add({ slug: 'retired', kind: 'AGENCY' as never });
    await exchange.services.partners.setActive('retired', false);
  });
  afterAll(() => exchange.close());

  it('accepts a good token and reports who the caller is', async () => {
    const response = await exchange.gql(signRaw(good()), ME);
    expect(response.data?.me).toEqual({ sub: 'analyst-1', roles: ['AGENCY_ANALYST'], partner: { slug: 'pta', kind: 'AGENCY', platforms: [] } });
  });

  const rejected: [string, () => string][] = [
    ['alg none', () => unsigned(good())],
    ['an algorithm outside the list (HS512)', () => signRaw(good(), { algorithm: 'HS512' })],
    ['a bad signature', () => signRaw(good(), {}, 'another-secret-another-secret-0000')],
    ['a tampered payload', () => {
      const [h, , s] = signRaw(good()).split('.');
      return `${h}.${Buffer.from(JSON.stringify({ ...good(), roles: ['AGENCY_SUPERVISOR'] })).toString('base64url')}.${s}`;
    }],
    ['an expired token', () => signRaw({ ...good(), exp: now() - 10 })],
    ['a token not valid yet', () => signRaw({ ...good(), nbf: now() + 600 })],
    ['a wrong issuer', () => signRaw({ ...good(), iss: 'someone-else' })],
    ['a wrong audience', () => signRaw({ ...good(), aud: 'another-api' })],
    ['no expiry', () => signRaw((({ exp: _exp, ...rest }) => rest)(good()))],
    ['no sub', () => signRaw((({ sub: _sub, ...rest }) => rest)(good()))],
    ['an unknown partner', () => signRaw({ ...good(), partner: 'nobody' })],
    ['a deactivated partner', () => signRaw({ ...good(), partner: 'retired' })],
    ['a role that does not fit the partner kind', () => signRaw({ ...good(), roles: ['PLATFORM_REVIEWER'] })],
    ['a platform token claiming an agency role', () => signRaw({ ...good(), partner: 'x', roles: ['PLATFORM_REVIEWER', 'AGENCY_SUPERVISOR'] })],
    ['an unknown role', () => signRaw({ ...good(), roles: ['ROOT'] })],
    ['no roles', () => signRaw({ ...good(), roles: [] })],
    ['garbage', () => 'not.a.token'],
  ];

  it.each(rejected)('refuses %s over HTTP', async (_name, token) => {
    const response = await exchange.gql(token(), ME);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(response.data ?? null).toBeNull();
  });

  it.each(rejected.slice(0, 4).concat(rejected.slice(10, 13)))('refuses %s on the WebSocket', async (_name, token) => {
    const client = exchange.wsClient({ authorization: `Bearer ${token()}` });
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      client.on('closed', (event) => resolve(event as { code: number; reason: string }));
      client.subscribe({ query: 'subscription { takedownStatusChanged { entry { toStatus } } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    });
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/^Unauthenticated/);
  });

  it('refuses a missing token on every operation and a malformed Authorization header', async () => {
    expect(errorCode(await exchange.gql(null, ME))).toBe('UNAUTHENTICATED');
    expect(errorCode(await exchange.gql(null, '{ organisations { totalCount } }'))).toBe('UNAUTHENTICATED');
    const response = await fetch(exchange.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${signRaw(good())}` },
      body: JSON.stringify({ query: ME }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('authentication with an identity provider key (RS256)', () => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let exchange: TestExchange;
  beforeAll(async () => {
    exchange = await startExchange({ PAX_JWT_SECRET: '', PAX_JWT_PUBLIC_KEY: pem, PAX_JWT_ALGORITHMS: 'RS256,ES256', PAX_JWT_ISSUER: 'https://idp.example', PAX_JWT_AUDIENCE: 'pax-prod' });
  });
  afterAll(() => exchange.close());

  const claims = () => ({ ...good(), iss: 'https://idp.example', aud: 'pax-prod' });

  it('accepts a token signed by the provider key', async () => {
    const token = jwt.sign(claims(), privateKey, { algorithm: 'RS256' });
    expect((await exchange.gql(token, ME)).data?.me.sub).toBe('analyst-1');
  });

  it('refuses HS256 signed with the public key as secret (algorithm confusion), and the dev secret', async () => {
    const confused = jwt.sign(claims(), pem, { algorithm: 'HS256' });
    expect(errorCode(await exchange.gql(confused, ME))).toBe('UNAUTHENTICATED');
    const dev = jwt.sign(claims(), TEST_SECRET, { algorithm: 'HS256' });
    expect(errorCode(await exchange.gql(dev, ME))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token from another key', async () => {
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(errorCode(await exchange.gql(jwt.sign(claims(), other, { algorithm: 'RS256' }), ME))).toBe('UNAUTHENTICATED');
  });
});
