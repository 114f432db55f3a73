import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { sha256 } from './manifest';

/** SHA-256 of the public key's DER (SubjectPublicKeyInfo): what `openssl pkey -pubin -outform DER | sha256sum` prints. */
export function publicKeyFingerprint(publicPem: string): string {
  return sha256(createPublicKey(publicPem).export({ format: 'der', type: 'spki' }));
}

/** Ed25519 signature over the bytes as they are (what `openssl pkeyutl -verify -rawin` checks). */
export function signBytes(privateKey: KeyObject, data: Uint8Array): Buffer {
  return sign(null, data, privateKey);
}

export function verifyBytes(publicPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, data, createPublicKey(publicPem), signature);
  } catch {
    return false;
  }
}
