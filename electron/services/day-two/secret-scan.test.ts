import { describe, expect, it } from 'vitest';
import { findSecrets, scrubSecrets } from './secret-scan';

describe('support bundle secret scan', () => {
  it('finds and scrubs PEM keys, base64 PEM keys as configs embed them, and bootstrap tokens', () => {
    const pem = '-----BEGIN ED25519 PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIF\n-----END ED25519 PRIVATE KEY-----';
    const b64 = Buffer.from(pem).toString('base64');
    const text = `log line\nkey: ${b64}\n${pem}\ntoken: abcdef.0123456789abcdef\nkeep this`;
    expect(findSecrets(text).map((h) => h.pattern)).toEqual([
      'PEM private key',
      'base64 PEM private key',
      'Kubernetes bootstrap token',
      'bearer token',
    ]);
    const scrubbed = scrubSecrets(text);
    expect(findSecrets(scrubbed.text)).toEqual([]);
    expect(scrubbed.text).toContain('keep this');
    expect(scrubbed.text).not.toContain('MC4CAQAw');
  });

  it('leaves ordinary logs and certificates alone', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(findSecrets(`${cert}\n[talos] service[etcd](Running): Health check successful`)).toEqual([]);
  });
});
