import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { ConfigError, jwtConfigFromEnv, keyringFromEnv } from './config';

describe('JWT configuration', () => {
  it('refuses to mix HMAC and public-key algorithms (algorithm confusion)', () => {
    expect(() => jwtConfigFromEnv({ PAX_JWT_ALGORITHMS: 'HS256,RS256', PAX_JWT_PUBLIC_KEY: 'pem', PAX_JWT_SECRET: 's' }, false, 'sqlite::memory:')).toThrow(ConfigError);
  });

  it('refuses "none" and unknown algorithms', () => {
    expect(() => jwtConfigFromEnv({ PAX_JWT_ALGORITHMS: 'none', PAX_JWT_SECRET: 's' }, false, 'sqlite::memory:')).toThrow(/unsupported/);
  });

  it('needs a key or secret in production instead of generating a dev secret', () => {
    expect(() => jwtConfigFromEnv({}, true, 'sqlite::memory:')).toThrow(/PAX_JWT_PUBLIC_KEY/);
  });
});

describe('identity provider key sets (JWKS)', () => {
  const jwks = (env: NodeJS.ProcessEnv, production = false) => jwtConfigFromEnv({ PAX_JWT_SECRET: 's', ...env }, production, 'postgres://db/pax');

  it('verifies RS256 and ES256 tokens against the set, cached 10 minutes, refetched for unknown kids at most every 30 s', () => {
    const config = jwks({ PAX_JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json' });
    expect(config).toMatchObject({ algorithms: ['RS256', 'ES256'], jwks: { url: 'https://idp.example/.well-known/jwks.json', cacheSeconds: 600, cooldownSeconds: 30 } });
    expect(config.secret).toBeUndefined();
  });

  it('takes the cache age and the cooldown from the environment', () => {
    const config = jwks({ PAX_JWT_JWKS_URL: 'https://idp.example/jwks', PAX_JWT_JWKS_CACHE_SECONDS: '120', PAX_JWT_JWKS_COOLDOWN_SECONDS: '5' });
    expect(config.jwks).toMatchObject({ cacheSeconds: 120, cooldownSeconds: 5 });
    expect(() => jwks({ PAX_JWT_JWKS_URL: 'https://idp.example/jwks', PAX_JWT_JWKS_COOLDOWN_SECONDS: '0' })).toThrow(/PAX_JWT_JWKS_COOLDOWN_SECONDS must be a positive number/);
  });

  it('needs https in production, and allows http only outside it', () => {
    expect(() => jwks({ PAX_JWT_JWKS_URL: 'http://idp.internal/jwks' }, true)).toThrow(/NODE_ENV=production: PAX_JWT_JWKS_URL must be an https:\/\/ URL/);
    expect(jwks({ PAX_JWT_JWKS_URL: 'https://idp.example/jwks' }, true).jwks?.url).toBe('https://idp.example/jwks');
    expect(jwks({ PAX_JWT_JWKS_URL: 'http://127.0.0.1:8080/jwks' }).jwks?.url).toBe('http://127.0.0.1:8080/jwks');
    expect(() => jwks({ PAX_JWT_JWKS_URL: 'idp.example/jwks' })).toThrow(/must be an https:\/\/ URL/);
  });

  it('refuses HS* algorithms with a key set, and a key set together with a fixed public key', () => {
    expect(() => jwks({ PAX_JWT_JWKS_URL: 'https://idp.example/jwks', PAX_JWT_ALGORITHMS: 'HS256' })).toThrow(/not HS\*/);
    expect(() => jwks({ PAX_JWT_JWKS_URL: 'https://idp.example/jwks', PAX_JWT_PUBLIC_KEY: 'pem' })).toThrow(/not both/);
  });
});

describe('the HS256 secret in production', () => {
  const production = (secret: string) => () => jwtConfigFromEnv({ PAX_JWT_SECRET: secret }, true, 'postgres://db/pax');

  it('refuses a short secret, saying how to generate a good one', () => {
    expect(production('x')).toThrow(ConfigError);
    expect(production('x')).toThrow(/PAX_JWT_SECRET is only 1 byte long; use at least 32 random bytes, e.g. `openssl rand -base64 48`/);
    expect(production(crypto.randomBytes(16).toString('hex').slice(0, 31))).toThrow(/is only 31 bytes long/);
  });

  it.each([
    ['one repeated character', 'a'.repeat(64)],
    ['a repeated word', 'password'.repeat(5)],
    ['a run of characters', 'abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a repeated run', '0123456789abcdef'.repeat(3)],
    ['two alternating characters', 'ab'.repeat(24)],
  ])('refuses %s although it is long enough', (_name, secret) => {
    expect(production(secret)).toThrow(/too regular to be random; use at least 32 random bytes/);
  });

  it('accepts any 32 to 64 random bytes written as hex, base64 or base64url', () => {
    const encodings = fc.constantFrom<BufferEncoding>('hex', 'base64', 'base64url');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 64 }), encodings, (bytes, encoding) => {
        expect(jwtConfigFromEnv({ PAX_JWT_SECRET: Buffer.from(bytes).toString(encoding) }, true, 'postgres://db/pax').secret).toBeDefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves development and tests free to use a short secret', () => {
    expect(jwtConfigFromEnv({ PAX_JWT_SECRET: 'x' }, false, 'sqlite::memory:').secret).toBe('x');
  });
});

describe('master key configuration', () => {
  it('needs PAX_MASTER_KEYS in production', () => {
    expect(() => keyringFromEnv({}, true, 'sqlite:./data/pax.sqlite')).toThrow(/PAX_MASTER_KEYS/);
  });

  it('keeps one generated dev key beside the SQLite file, so sealed rows open after a restart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pax-config-'));
    const url = `sqlite:${path.join(dir, 'pax.sqlite')}`;
    const first = keyringFromEnv({}, false, url);
    const sealed = first.seal(Buffer.from('kept'), 'row');
    expect(keyringFromEnv({}, false, url).open(sealed, 'row').toString()).toBe('kept');
    expect(fs.statSync(path.join(dir, 'dev-master-keys')).mode & 0o777).toBe(0o600);
  });
});
