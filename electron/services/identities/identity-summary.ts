import type { IdentitySummary } from '../../../shared/domain/identity';
import type { StoredIdentity } from '../../../certs/vault';

const DAY = 86_400_000;

/** An identity without its sealed key: what the privileged side may pass around. */
export type IdentityMeta = Omit<StoredIdentity, 'key'>;

export function summarize(meta: IdentityMeta, practice: boolean, now: number): IdentitySummary {
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
  };
}

/** `admin@lab` belongs to cluster `lab`. */
export function clusterOf(context: string): string {
  return context.includes('@') ? context.slice(context.indexOf('@') + 1) : context;
}
