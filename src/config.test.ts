import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
