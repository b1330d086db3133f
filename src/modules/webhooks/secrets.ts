import crypto from 'node:crypto';
import { Keyring, SealedPayload } from '../disclosures/sealing';

/** The associated data binds a sealed secret to its endpoint, so secrets cannot be swapped between rows. */
const bindingOf = (endpointId: string) => `webhook-endpoint:${endpointId}`;

/** A new signing secret in the Standard Webhooks form (`whsec_` and base64 of 32 random bytes). */
export function newSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}

export function sealSecret(keyring: Keyring, endpointId: string, secret: string): SealedPayload {
  return keyring.seal(Buffer.from(secret), bindingOf(endpointId));
}

export function openSecret(keyring: Keyring, endpointId: string, sealed: SealedPayload): string {
  return keyring.open(sealed, bindingOf(endpointId)).toString();
}
