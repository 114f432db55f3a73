/** PEM helpers. Talos writes Ed25519 keys as PKCS#8 under the non-standard label `ED25519 PRIVATE KEY`. */

export interface PemBlock {
  label: string;
  body: string;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

export function parsePemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(PEM_RE)].map((m) => ({ label: m[1] ?? '', body: (m[2] ?? '').replace(/\s+/g, '') }));
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** OpenSSL (and so Node) rejects the `ED25519 PRIVATE KEY` label; the body is plain PKCS#8. */
export function relabelForOpenSsl(keyPem: string): string {
  return keyPem.replace(/-----(BEGIN|END) ED25519 PRIVATE KEY-----/g, '-----$1 PRIVATE KEY-----');
}

export const KEY_LABELS = ['ED25519 PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'] as const;
