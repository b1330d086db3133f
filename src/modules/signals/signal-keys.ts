import crypto from 'node:crypto';
import type { SignalPublicJwk, SigningKey } from '../../matcher/codec';

/**
 * The feed's signing keys, from PAX_SIGNAL_KEYS: `kid:base64(PKCS#8 DER)` separated by commas. The
 * first key signs; every key listed is published, so after a rotation (a new key put first) copies
 * signed with the old one still verify until it is dropped from the list.
 */
export function parseSignalKeys(text: string): SigningKey[] {
  const keys = text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const at = part.indexOf(':');
    if (at <= 0) throw new Error('PAX_SIGNAL_KEYS: each key is kid:base64 (generate one with `pax signals keygen`)');
    const kid = part.slice(0, at);
    let privateKey: crypto.KeyObject;
    try {
      privateKey = crypto.createPrivateKey({ key: Buffer.from(part.slice(at + 1), 'base64'), format: 'der', type: 'pkcs8' });
    } catch (error) {
      throw new Error(`PAX_SIGNAL_KEYS: key "${kid}" is not a PKCS#8 private key (${(error as Error).message})`);
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`PAX_SIGNAL_KEYS: key "${kid}" is ${privateKey.asymmetricKeyType}, not Ed25519`);
    return { kid, privateKey };
  });
  if (!keys.length) throw new Error('PAX_SIGNAL_KEYS lists no key');
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new Error('PAX_SIGNAL_KEYS: key ids must be unique');
  return keys;
}

/** A new key in PAX_SIGNAL_KEYS form. */
export function generateSignalKey(kid: string): string {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  return `${kid}:${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`;
}

/** The public half of every key, as a JWK set. */
export function publicKeySet(keys: SigningKey[]): { keys: SignalPublicJwk[] } {
  return {
    keys: keys.map(({ kid, privateKey }) => {
      const { x } = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
      return { kty: 'OKP', crv: 'Ed25519', x: x!, kid, alg: 'EdDSA', use: 'sig' };
    }),
  };
}
