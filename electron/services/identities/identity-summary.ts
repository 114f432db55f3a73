import { X509Certificate } from 'node:crypto';
import type { IdentitySummary } from '../../../shared/domain/identity';
import type { StoredIdentity } from '../../../certs/vault';

const DAY = 86_400_000;

/** An identity without its sealed key: what the privileged side may pass around. */
export type IdentityMeta = Omit<StoredIdentity, 'key'>;

const caFingerprints = new Map<string, string>();

/** SHA-256 of the (first) CA certificate, as colon-separated hex like the client certificate's fingerprint. */
export function caFingerprintOf(caPem: string): string {
  let found = caFingerprints.get(caPem);
  if (!found) {
    try {
      found = new X509Certificate(caPem).fingerprint256;
    } catch {
      found = 'unreadable';
    }
    caFingerprints.set(caPem, found);
  }
  return found;
}

export function summarize(meta: IdentityMeta, practice: boolean, now: number, locked = false): IdentitySummary {
  const notAfter = Date.parse(meta.notAfter);
  const daysLeft = (notAfter - now) / DAY;
  const expiry =
    now < Date.parse(meta.notBefore)
      ? 'not-yet-valid'
      : daysLeft < 0
        ? 'expired'
        : daysLeft <= 7
          ? 'imminent'
          : daysLeft <= 30
            ? 'soon'
            : 'ok';
  return {
    id: meta.id,
    name: meta.name,
    cluster: meta.cluster,
    endpoints: meta.endpoints,
    nodes: meta.nodes,
    subject: meta.subject,
    issuer: meta.issuer,
    roles: meta.roles,
    fingerprint: meta.fingerprint,
    keyAlgorithm: meta.keyAlgorithm,
    notBefore: meta.notBefore,
    notAfter: meta.notAfter,
    expiry,
    daysLeft,
    practice,
    warnings: meta.warnings,
    label: meta.label ?? null,
    colour: meta.colour ?? null,
    readOnly: meta.readOnly ?? false,
    locked,
    minted: meta.minted ?? null,
    lifetimeSeconds: Math.round((notAfter - Date.parse(meta.notBefore)) / 1000),
    caFingerprint: caFingerprintOf(meta.caPem),
  };
}

/** `admin@lab` belongs to cluster `lab`. */
export function clusterOf(context: string): string {
  return context.includes('@') ? context.slice(context.indexOf('@') + 1) : context;
}
