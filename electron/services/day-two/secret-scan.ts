import { BASE64_PEM, isBase64PrivateKey, PEM_PRIVATE_KEY } from '../secrets/private-keys';

/**
 * What a support bundle must never hold. Talos only redacts sensitive resource types; logs and other specs can
 * still carry keys (a PEM block in a log line, a base64 PEM in a config dump, a bootstrap token), so every file is
 * scanned and scrubbed before it goes into the zip, and the finished zip is scanned once more.
 */
const PATTERNS: { name: string; re: RegExp; when?: (match: string) => boolean }[] = [
  { name: 'PEM private key', re: PEM_PRIVATE_KEY },
  { name: 'base64 PEM private key', re: BASE64_PEM, when: isBase64PrivateKey },
  { name: 'Kubernetes bootstrap token', re: /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g },
  { name: 'bearer token', re: /\b(Bearer|token:?)\s+[A-Za-z0-9\-_.=]{20,}/gi },
  { name: 'secretbox/aescbc key', re: /\b(secret|aescbcEncryptionSecret|secretboxEncryptionSecret)\s*:\s*[A-Za-z0-9+/]{32,}={0,2}/g },
];

export interface ScanHit {
  pattern: string;
  count: number;
}

/** The secrets found in `text`, by pattern. */
export function findSecrets(text: string): ScanHit[] {
  return PATTERNS.flatMap(({ name, re, when }) => {
    const count = (text.match(re) ?? []).filter((m) => !when || when(m)).length;
    return count ? [{ pattern: name, count }] : [];
  });
}

/** `text` with every secret replaced by `<REDACTED>`, and what was replaced. */
export function scrubSecrets(text: string): { text: string; hits: ScanHit[] } {
  const hits = findSecrets(text);
  if (!hits.length) return { text, hits };
  let out = text;
  for (const { re, when } of PATTERNS) out = out.replace(re, (m) => (!when || when(m) ? '<REDACTED>' : m));
  return { text: out, hits };
}
