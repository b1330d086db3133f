import { ConfigError, jwtConfigFromEnv } from './config';

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
