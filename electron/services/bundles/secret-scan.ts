import { parseAllDocuments } from 'yaml';
import { isSecretField, REDACTED } from '../config/redact';

export interface SecretFinding {
  file: string;
  what: string;
}

const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
/** base64 of "-----BEGIN " as Talos embeds PEM blocks in configs and talosconfigs. */
const PEM_BASE64 = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]{20,}/g;

function base64PrivateKey(text: string): boolean {
  for (const match of text.matchAll(PEM_BASE64)) {
    const head = Buffer.from(match[0].slice(0, 80), 'base64').toString('latin1');
    if (/PRIVATE KEY/.test(head)) return true;
  }
  return false;
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
    if (PEM_PRIVATE.test(text)) findings.push({ file, what: 'a PEM private key block' });
    if (base64PrivateKey(text)) findings.push({ file, what: 'a base64-encoded PEM private key' });
    for (const path of structuredSecrets(file, text)) findings.push({ file, what: `an unredacted secret at ${path}` });
  }
  return findings;
}
