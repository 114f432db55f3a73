import { isSecretField, REDACTED, redactConfig } from '../config/redact';

export const WITHHELD = '[withheld]';

export interface RedactedSpec {
  spec: unknown;
  /** Paths whose values are secret material. */
  redacted: string[];
  /** Paths whose values the redactor could not classify: withheld, not shown. */
  withheld: string[];
}

/** Values that identify or address things and are never secret in a Talos resource. */
const PUBLIC_KEYS = new Set([
  'ips',
  'dnsnames',
  'fqdn',
  'name',
  'names',
  'hostname',
  'endpoint',
  'endpoints',
  'certsanips',
  'certsandnsnames',
  'namespace',
  'id',
  'version',
  'type',
  'kind',
  'cluster',
  'clustername',
  'nodename',
  'phase',
  'enabled',
]);

const PEM_CERT = /^-----BEGIN CERTIFICATE-----/;
const PEM_CERT_BASE64 = /^LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t/; // base64 of "-----BEGIN CERTIFICATE-----"
const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

type Class = 'secret' | 'public' | 'unknown';

function classify(key: string, value: unknown): Class {
  if (isSecretField(key, value) || (typeof value === 'string' && PEM_PRIVATE.test(value))) return 'secret';
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || value === '') return 'public';
  if (typeof value !== 'string') return 'unknown';
  if (PEM_CERT.test(value) || PEM_CERT_BASE64.test(value)) return 'public';
  return PUBLIC_KEYS.has(key.toLowerCase()) ? 'public' : 'unknown';
}

function walk(value: unknown, key: string, path: string, out: Omit<RedactedSpec, 'spec'>): unknown {
  if (Array.isArray(value)) return value.map((item, i) => walk(item, key, `${path}[${i}]`, out));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v, k, path ? `${path}.${k}` : k, out)]),
    );
  }
  const kind = classify(key, value);
  if (kind === 'public') return value;
  (kind === 'secret' ? out.redacted : out.withheld).push(path || '(spec)');
  return kind === 'secret' ? REDACTED : WITHHELD;
}

/**
 * The spec of a sensitive resource as it may be shown: secret values redacted, values the redactor cannot
 * classify withheld, structure and plainly public values (names, addresses, certificates, flags) kept.
 * A machine config (a YAML body) goes through the Config screen's redactor.
 */
export function redactSpec(spec: unknown): RedactedSpec {
  if (typeof spec === 'string') {
    try {
      const config = redactConfig(spec);
      return { spec: config.yaml, redacted: config.redactedPaths, withheld: [] };
    } catch {
      return { spec: WITHHELD, redacted: [], withheld: ['(spec)'] };
    }
  }
  const out = { redacted: [], withheld: [] };
  return { spec: walk(spec, '', '', out), ...out };
}
