import crypto from 'node:crypto';

/** A payload sealed with its own data key; the data key is wrapped by a master key. */
export interface SealedPayload {
  ciphertext: string;
  iv: string;
  authTag: string;
  wrappedKey: string;
  keyId: string;
}

const ALGORITHM = 'aes-256-gcm';

/**
 * Envelope encryption with node's crypto: every disclosure gets a fresh AES-256-GCM data key, and
 * only that 32-byte key is wrapped (also AES-256-GCM) by the current master key. Rotating the master
 * key therefore rewraps small keys and never re-encrypts payloads. The associated data binds a
 * ciphertext to its row, so swapping sealed columns between rows fails to open.
 */
export class Keyring {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly currentKeyId: string,
  ) {
    if (!keys.has(currentKeyId)) throw new Error(`the current master key "${currentKeyId}" is not in the keyring`);
    for (const [id, key] of keys) if (key.length !== 32) throw new Error(`master key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
  }

  seal(plaintext: Buffer, associatedData: string): SealedPayload {
    const dataKey = crypto.randomBytes(32);
    const { iv, authTag, ciphertext } = encrypt(dataKey, plaintext, associatedData);
    const wrapped = this.wrap(dataKey);
    dataKey.fill(0);
    return { ciphertext, iv, authTag, ...wrapped };
  }

  open(sealed: SealedPayload, associatedData: string): Buffer {
    const dataKey = this.unwrap(sealed);
    try {
      return decrypt(dataKey, sealed, associatedData);
    } finally {
      dataKey.fill(0);
    }
  }

  /** The same data key wrapped by the current master key. */
  rewrap(sealed: Pick<SealedPayload, 'wrappedKey' | 'keyId'>): Pick<SealedPayload, 'wrappedKey' | 'keyId'> {
    const dataKey = this.unwrap(sealed);
    try {
      return this.wrap(dataKey);
    } finally {
      dataKey.fill(0);
    }
  }

  private wrap(dataKey: Buffer): Pick<SealedPayload, 'wrappedKey' | 'keyId'> {
    const { iv, authTag, ciphertext } = encrypt(this.keys.get(this.currentKeyId)!, dataKey, `pax-data-key:${this.currentKeyId}`);
    return { wrappedKey: `${iv}.${authTag}.${ciphertext}`, keyId: this.currentKeyId };
  }

  private unwrap(sealed: Pick<SealedPayload, 'wrappedKey' | 'keyId'>): Buffer {
    const master = this.keys.get(sealed.keyId);
    if (!master) throw new Error(`master key "${sealed.keyId}" is not configured; add it to PAX_MASTER_KEYS to open or rewrap this payload`);
    const [iv, authTag, ciphertext] = sealed.wrappedKey.split('.');
    return decrypt(master, { iv, authTag, ciphertext }, `pax-data-key:${sealed.keyId}`);
  }
}

function encrypt(key: Buffer, plaintext: Buffer, associatedData: string) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(associatedData));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), authTag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

function decrypt(key: Buffer, sealed: Pick<SealedPayload, 'iv' | 'authTag' | 'ciphertext'>, associatedData: string): Buffer {
  const decipher = crypto.createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(associatedData));
  decipher.setAuthTag(Buffer.from(sealed.authTag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
}

/**
 * PAX_MASTER_KEYS is `id:base64key[,id:base64key…]`; PAX_MASTER_KEY_ID names the key that wraps new
 * data keys (the first one by default). Older keys stay listed until `pax keys rewrap` has moved
 * every data key off them.
 */
export function parseKeyring(spec: string, currentKeyId?: string): Keyring {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf(':');
    if (at <= 0) throw new Error('PAX_MASTER_KEYS must look like "id:base64key,id2:base64key"');
    keys.set(part.slice(0, at), Buffer.from(part.slice(at + 1), 'base64'));
  }
  if (keys.size === 0) throw new Error('PAX_MASTER_KEYS lists no keys');
  return new Keyring(keys, currentKeyId ?? keys.keys().next().value!);
}

/** A fresh key entry for PAX_MASTER_KEYS, as `pax keys generate` prints it. */
export function generateMasterKey(id: string): string {
  return `${id}:${crypto.randomBytes(32).toString('base64')}`;
}
