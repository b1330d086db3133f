import { generateMasterKey, parseKeyring } from './sealing';

describe('sealing disclosed data', () => {
  const first = generateMasterKey('k1');
  const second = generateMasterKey('k2');
  const secret = Buffer.from('{"subscriber":"SECRET-PAYLOAD"}');

  it('opens what it sealed, and never stores the plaintext', () => {
    const keyring = parseKeyring(first);
    const sealed = keyring.seal(secret, 'disclosure-1');
    expect(JSON.stringify(sealed)).not.toContain('SECRET');
    expect(keyring.open(sealed, 'disclosure-1').toString()).toBe(secret.toString());
  });

  it('refuses a payload moved to another row or tampered with', () => {
    const keyring = parseKeyring(first);
    const sealed = keyring.seal(secret, 'disclosure-1');
    expect(() => keyring.open(sealed, 'disclosure-2')).toThrow();
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] ^= 1;
    expect(() => keyring.open({ ...sealed, ciphertext: bytes.toString('base64') }, 'disclosure-1')).toThrow();
  });

  it('rotates the master key by rewrapping the data key only', () => {
    const old = parseKeyring(first);
    const sealed = old.seal(secret, 'd');
    const rotated = parseKeyring(`${second},${first}`, 'k2');
    const moved = { ...sealed, ...rotated.rewrap(sealed) };
    expect(moved.keyId).toBe('k2');
    expect(moved.ciphertext).toBe(sealed.ciphertext);
    expect(parseKeyring(second).open(moved, 'd').toString()).toBe(secret.toString());
    expect(() => parseKeyring(second).open(sealed, 'd')).toThrow(/master key "k1" is not configured/);
  });

  it('refuses a malformed or short key', () => {
    expect(() => parseKeyring('nocolon')).toThrow(/id:base64key/);
    expect(() => parseKeyring('k:AAAA')).toThrow(/32 bytes/);
    expect(() => parseKeyring(first, 'k9')).toThrow(/not in the keyring/);
  });
});
