import { X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { parsePemBlocks, relabelForOpenSsl, toPem, KEY_LABELS } from './pem';
import { x509 } from './x509-provider';

export interface ValidatedIdentity {
  context: string;
  endpoints: string[];
  nodes: string[];
  caPem: string;
  certPem: string;
  keyPem: string;
  subject: string;
  issuer: string;
  roles: string[];
  fingerprint: string;
  keyAlgorithm: string;
  notBefore: string;
  notAfter: string;
  warnings: string[];
}

export class ContextProblem extends Error {}

function decodeField(context: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ContextProblem(`Context "${context}": "${field}" is missing.`);
  const clean = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0)
    throw new ContextProblem(`Context "${context}": "${field}" is not valid base64.`);
  return Buffer.from(clean, 'base64').toString('utf8');
}

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

function keyAlgorithmName(cert: X509Certificate): string {
  const key = cert.publicKey;
  if (key.asymmetricKeyType === 'ec') return `ECDSA ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim();
  if (key.asymmetricKeyType === 'rsa') return `RSA ${key.asymmetricKeyDetails?.modulusLength ?? ''}`.trim();
  return key.asymmetricKeyType === 'ed25519' ? 'Ed25519' : String(key.asymmetricKeyType);
}

/** Validates one talosconfig context: PEM types, key/cert match, chain to the CA, validity, EKU and roles. */
export function validateContext(name: string, raw: Record<string, unknown>, now: Date): ValidatedIdentity {
  const caPem = decodeField(name, 'ca', raw.ca);
  const certPem = decodeField(name, 'crt', raw.crt);
  const keyPem = decodeField(name, 'key', raw.key);

  // A private key belongs only in "key": anything else is stored in the vault's clear metadata.
  for (const [field, text] of [
    ['crt', certPem],
    ['ca', caPem],
  ] as const)
    if (/PRIVATE KEY/.test(text))
      throw new ContextProblem(
        `Context "${name}": "${field}" holds a private key. A private key belongs only in "key"; Nodeglass refuses it here so it is never stored unencrypted. Export the file again with the key in "key" only.`,
      );
  const caBlocks = parsePemBlocks(caPem);
  if (caBlocks.length === 0 || caBlocks.some((b) => b.label !== 'CERTIFICATE'))
    throw new ContextProblem(
      `Context "${name}": "ca" must hold PEM CERTIFICATE blocks only (found ${caBlocks.map((b) => b.label).join(', ') || 'no PEM'}).`,
    );
  const certBlocks = parsePemBlocks(certPem);
  if (certBlocks.length === 0 || certBlocks.some((b) => b.label !== 'CERTIFICATE'))
    throw new ContextProblem(
      `Context "${name}": "crt" must hold PEM CERTIFICATE blocks only (found ${certBlocks.map((b) => b.label).join(', ') || 'no PEM'}).`,
    );
  const keyBlocks = parsePemBlocks(keyPem);
  const keyLabel = keyBlocks[0]?.label ?? '';
  if (keyBlocks.length !== 1 || !(KEY_LABELS as readonly string[]).includes(keyLabel))
    throw new ContextProblem(
      `Context "${name}": "key" must be exactly one private key PEM (ED25519 PRIVATE KEY, PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY), found ${keyBlocks.map((b) => b.label).join(', ') || 'no PEM'}.`,
    );
  let cert: X509Certificate;
  let cas: X509Certificate[];
  try {
    cert = new X509Certificate(certPem);
    cas = caBlocks.map((b) => new X509Certificate(`-----BEGIN CERTIFICATE-----\n${b.body}\n-----END CERTIFICATE-----\n`));
  } catch (error) {
    throw new ContextProblem(`Context "${name}": a certificate could not be parsed (${(error as Error).message}).`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(relabelForOpenSsl(keyPem));
  } catch (error) {
    throw new ContextProblem(`Context "${name}": the private key could not be read (${(error as Error).message}).`);
  }
  const spki = (k: ReturnType<typeof createPublicKey>) => k.export({ type: 'spki', format: 'der' });
  if (!spki(createPublicKey(privateKey)).equals(spki(cert.publicKey)))
    throw new ContextProblem(`Context "${name}": the private key does not belong to the client certificate.`);
  if (!cas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey)))
    throw new ContextProblem(`Context "${name}": the client certificate is not signed by the context's CA.`);

  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (now < notBefore)
    throw new ContextProblem(
      `Context "${name}": the client certificate is not valid until ${notBefore.toISOString()}. Check this computer's clock.`,
    );
  if (now > notAfter)
    throw new ContextProblem(
      `Context "${name}": the client certificate expired on ${notAfter.toISOString()}. Generate a new one (talosctl config new).`,
    );

  const parsed = new x509.X509Certificate(certPem);
  const eku = parsed.getExtension(x509.ExtendedKeyUsageExtension);
  const usages = (eku?.usages ?? []).map(String);
  if (!usages.includes(CLIENT_AUTH))
    throw new ContextProblem(
      `Context "${name}": the client certificate lacks the clientAuth extended key usage, so Talos would refuse it.`,
    );
  const warnings: string[] = [];
  if (usages.length !== 1)
    warnings.push(`Context "${name}": the certificate has extended key usages besides clientAuth; Talos 1.2+ refuses such certificates.`);

  const roles = parsed.subjectName.getField('O');
  const endpoints = Array.isArray(raw.endpoints) ? raw.endpoints.map(String).filter(Boolean) : [];
  if (typeof raw.target === 'string' && raw.target) endpoints.push(raw.target);
  if (endpoints.length === 0) warnings.push(`Context "${name}" has no endpoints; add one before connecting.`);
  const nodes = Array.isArray(raw.nodes) ? raw.nodes.map(String).filter(Boolean) : [];

  return {
    context: name,
    endpoints,
    nodes,
    // Stored as the certificate blocks alone, re-encoded: nothing else in the field reaches the vault.
    caPem: caBlocks.map((b) => toPem('CERTIFICATE', Buffer.from(b.body, 'base64'))).join(''),
    certPem: certBlocks.map((b) => toPem('CERTIFICATE', Buffer.from(b.body, 'base64'))).join(''),
    keyPem,
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    roles,
    fingerprint: createHash('sha256').update(cert.raw).digest('hex').match(/../g)!.join(':').toUpperCase(),
    keyAlgorithm: keyAlgorithmName(cert),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    warnings,
  };
}
