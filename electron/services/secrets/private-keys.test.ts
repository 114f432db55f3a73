import { describe, expect, it } from 'vitest';
import { scanForSecrets } from '../bundles/secret-scan';
import { findSecrets } from '../day-two/secret-scan';
import { hasBase64PrivateKey, hasPemPrivateKey } from './private-keys';

const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----\n';
const cert = '-----BEGIN CERTIFICATE-----\nMIIBxTCCAWugAwIBAgIRAJ\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('private keys in text', () => {
  it('finds PEM blocks, whole or cut off, and base64 PEM keys as Talos configs embed them', () => {
    expect(hasPemPrivateKey(`log: ${key}`)).toBe(true);
    expect(hasPemPrivateKey('-----BEGIN PRIVATE KEY-----\nMC4CAQAw')).toBe(true);
    expect(hasBase64PrivateKey(`    key: ${b64(key)}`)).toBe(true);
  });

  it('finds a key anywhere in a base64 run, also after a certificate (crt and key in one blob)', () => {
    expect(hasBase64PrivateKey(`bundle: ${b64(cert + key)}`)).toBe(true);
  });

  it('leaves certificates alone', () => {
    expect(hasPemPrivateKey(cert)).toBe(false);
    expect(hasBase64PrivateKey(`crt: ${b64(cert)}`)).toBe(false);
  });

  it('is what both bundle scanners go by: the incident bundle refuses and the support bundle scrubs the same keys', () => {
    const text = `ca:\n  crt: ${b64(cert)}\n  key: ${b64(cert + key)}\n`;
    expect(scanForSecrets(new Map([['config.yaml', utf8(text)]])).map((f) => f.what)).toContain('a base64-encoded PEM private key');
    expect(findSecrets(text).map((h) => h.pattern)).toEqual(['base64 PEM private key']);
    expect(scanForSecrets(new Map([['config.yaml', utf8(`ca:\n  crt: ${b64(cert)}\n`)]]))).toEqual([]);
  });
});
