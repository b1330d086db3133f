import crypto, { KeyObject } from 'node:crypto';
import type { SignalEntry } from '../modules/mirrors/engine/mirror-index';

/**
 * The wire format of the signal feed, `pax-signals/1` (specified in docs/signals.md): a document is
 * UTF-8 NDJSON, one header line, one line per entry or change, and a last line carrying an Ed25519
 * signature over the SHA-256 of every byte before it. The signature travels inside the document, so
 * a copy from a cache or a mirror verifies like one fresh from PAX; the digest lets PAX sign as it
 * streams and a client verify as it reads, before it applies anything.
 */
export const FORMAT = 'pax-signals/1';

export type DocumentHeader =
  | { format: typeof FORMAT; kind: 'snapshot'; cursor: number; count: number }
  | { format: typeof FORMAT; kind: 'changes'; after: number; cursor: number; count: number };

export type SignalChange = { seq: number; op: 'upsert'; entry: SignalEntry } | { seq: number; op: 'tombstone'; id: string };

export interface DocumentSignature {
  alg: 'Ed25519';
  kid: string;
  sha256: string;
  value: string;
}

export interface SignatureLine {
  signature: DocumentSignature;
}

/** A public key of the feed, as `GET /signals/v1/keys` lists it (RFC 8037 JWK). */
export interface SignalPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** The bytes the signature covers: a fixed prefix and the hex digest, so a signature never verifies for another format. */
const signedMessage = (sha256: string) => Buffer.from(`${FORMAT} sha256:${sha256}`);

export class SignatureError extends Error {}

/** Writes one document line by line, hashing as it goes; `finish` returns the signature line. */
export class DocumentSigner {
  private readonly hash = crypto.createHash('sha256');

  constructor(private readonly key: SigningKey) {}

  line(value: unknown): Buffer {
    const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
    this.hash.update(bytes);
    return bytes;
  }

  /** A line already serialised (an entry as stored): hashed and passed on as it is. */
  raw(json: string): Buffer {
    const bytes = Buffer.from(`${json}\n`);
    this.hash.update(bytes);
    return bytes;
  }

  finish(): Buffer {
    const sha256 = this.hash.digest('hex');
    const value = crypto.sign(null, signedMessage(sha256), this.key.privateKey).toString('base64');
    return Buffer.from(`${JSON.stringify({ signature: { alg: 'Ed25519', kid: this.key.kid, sha256, value } } satisfies SignatureLine)}\n`);
  }
}

export type KeySet = Map<string, KeyObject>;

export function keySetOf(jwks: { keys: SignalPublicJwk[] }): KeySet {
  return new Map(jwks.keys.filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519').map((k) => [k.kid, crypto.createPublicKey({ key: { kty: k.kty, crv: k.crv, x: k.x }, format: 'jwk' })]));
}

/**
 * Reads a document as its bytes arrive: every line but the last is hashed and handed to `onLine`;
 * `end` checks that the last line is a valid signature over them and returns the header. Callers
 * stage what `onLine` gives them and commit only after `end` returns.
 */
export class DocumentVerifier {
  private readonly hash = crypto.createHash('sha256');
  private pending: Buffer | null = null;
  private partial: Buffer[] = [];
  private header: DocumentHeader | null = null;
  private lines = 0;

  constructor(
    private readonly keys: KeySet,
    private readonly onLine: (value: unknown, header: DocumentHeader) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
      this.partial.push(chunk.subarray(start, end + 1));
      this.complete(this.partial.length === 1 ? this.partial[0] : Buffer.concat(this.partial));
      this.partial = [];
      start = end + 1;
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  }

  end(): { header: DocumentHeader; kid: string; signature: DocumentSignature } {
    if (this.partial.length || !this.pending || !this.header) throw new SignatureError('the document is truncated: it does not end with its signature line');
    let line: Partial<SignatureLine>;
    try {
      line = JSON.parse(this.pending.toString('utf8'));
    } catch {
      throw new SignatureError('the document is truncated or damaged: its last line is not a signature');
    }
    const signature = line.signature;
    // Strict base64: a lenient decoder ignores a stray character, and an altered byte must never verify.
    if (!signature || signature.alg !== 'Ed25519' || typeof signature.kid !== 'string' || typeof signature.value !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(signature.value)) {
      throw new SignatureError('the document is truncated or damaged: its last line is not a signature');
    }
    if (this.hash.digest('hex') !== signature.sha256) throw new SignatureError('the document does not match its signature: it was altered or truncated');
    verifyDigest(this.keys, signature);
    const expected = this.header.count + 1;
    if (this.lines !== expected) throw new SignatureError(`the document holds ${this.lines - 1} records, its header says ${this.header.count}`);
    return { header: this.header, kid: signature.kid, signature };
  }

  private complete(line: Buffer): void {
    if (this.pending) this.accept(this.pending);
    this.pending = line;
  }

  private accept(line: Buffer): void {
    this.hash.update(line);
    this.lines++;
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      throw new SignatureError(`line ${this.lines} is not JSON: the document was altered or truncated`);
    }
    if (!this.header) {
      const header = value as DocumentHeader;
      if (header?.format !== FORMAT) throw new SignatureError(`this is not a ${FORMAT} document`);
      this.header = header;
      return;
    }
    this.onLine(value, this.header);
  }
}

/** Checks that a key of the set signed this digest; says which key is missing or that the signature is wrong. */
export function verifyDigest(keys: KeySet, signature: DocumentSignature): void {
  const key = keys.get(signature.kid);
  if (!key) throw new SignatureError(`the document is signed with key "${signature.kid}", which is not in the key set; fetch /signals/v1/keys again`);
  if (!crypto.verify(null, signedMessage(signature.sha256), key, Buffer.from(signature.value, 'base64'))) throw new SignatureError('the signature does not verify: the document was altered');
}

/** Verifies a whole document held in memory; returns its header and records. */
export function verifyDocument(bytes: Buffer, keys: KeySet): { header: DocumentHeader; records: unknown[] } {
  const records: unknown[] = [];
  const verifier = new DocumentVerifier(keys, (value) => records.push(value));
  verifier.push(bytes);
  return { header: verifier.end().header, records };
}
