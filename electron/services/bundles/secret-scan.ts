import { parseAllDocuments } from 'yaml';
import { isSecretField, REDACTED } from '../config/redact';
import { hasBase64PrivateKey, hasPemPrivateKey } from '../secrets/private-keys';

export interface SecretFinding {
  file: string;
  what: string;
}

/** What redaction leaves in place of a secret: the config redactor's marker, the audit trail's, or nothing. */
const REMOVED = new Set(['', REDACTED, '[removed]']);

function walk(value: unknown, path: string, found: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, found));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      if (typeof v === 'string' && !REMOVED.has(v) && isSecretField(k, v)) found.push(p);
      else walk(v, p, found);
    }
}

/** Secret-named fields holding a value that is not the redaction marker, in a JSON or YAML file. */
function structuredSecrets(name: string, text: string): string[] {
  const found: string[] = [];
  try {
    if (name.endsWith('.json')) walk(JSON.parse(text), '', found);
    else if (/\.ya?ml$/.test(name)) for (const doc of parseAllDocuments(text)) walk(doc.toJS(), '', found);
  } catch {
    // not parseable: the pattern checks still apply
  }
  return found;
}

/**
 * Looks for private keys and unredacted secrets in a bundle's files before anything is written: PEM
 * private-key blocks (plain or base64 as in Talos configs), and secret-named fields of JSON/YAML files that
 * still carry a value. Keys are never allowed to leave through a bundle.
 */
export function scanForSecrets(files: ReadonlyMap<string, Uint8Array>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const [file, data] of files) {
    if (file.endsWith('.pdf')) continue; // printed from report.html, which is scanned
    const text = Buffer.from(data).toString('utf8');
    if (hasPemPrivateKey(text)) findings.push({ file, what: 'a PEM private key block' });
    if (hasBase64PrivateKey(text)) findings.push({ file, what: 'a base64-encoded PEM private key' });
    for (const path of structuredSecrets(file, text)) findings.push({ file, what: `an unredacted secret at ${path}` });
  }
  return findings;
}
