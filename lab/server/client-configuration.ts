import * as grpc from '@grpc/grpc-js';
import type { GenerateClientConfiguration, GenerateClientConfigurationRequest } from '../../proto/gen/machine/machine';
import { issueClientCert, type Minted } from '../../certs/pki';
import { b64, stringifyTalosconfig } from '../../certs/talosconfig';
import type { LabNode } from '../model/node';
import { GrpcError } from './call-context';

/** Talos' `role.Parse`: empty entries are ignored, unknown ones kept, the set is sorted. */
function parseRoles(roles: string[]): string[] {
  return [...new Set(roles.map((r) => r.trim()).filter(Boolean))].sort();
}

function ttlMs(duration: GenerateClientConfigurationRequest['crtTtl']): number {
  if (!duration) return 0;
  return Number(duration.seconds) * 1000 + Math.trunc(duration.nanos / 1e6);
}

/**
 * GenerateClientConfiguration as machined answers it (admin only through RBAC): workers refuse, `crt_ttl` must be
 * positive, the certificate is signed by the OS CA with the roles as Subject O, and the talosconfig has one context
 * named `<role>@<cluster>` for a single role (else the cluster name) and `endpoints: []`.
 */
export async function generateClientConfiguration(
  node: LabNode,
  req: GenerateClientConfigurationRequest,
  osCa: Minted,
): Promise<GenerateClientConfiguration> {
  if (node.id.type !== 'controlplane')
    throw new GrpcError(grpc.status.FAILED_PRECONDITION, "client configuration (talosconfig) can't be generated on worker nodes");
  const ttl = ttlMs(req.crtTtl);
  if (ttl <= 0) throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'crt_ttl should be positive');
  const roles = parseRoles(req.roles);
  // Certificates are checked against the wall clock by TLS, so they use it even when the lab runs on a test clock.
  const now = Date.now();
  const cert = await issueClientCert(osCa, roles, { notBefore: new Date(now), notAfter: new Date(now + ttl) });
  const context = roles.length === 1 ? `${roles[0]!.replace(/^os:/, '')}@${node.id.cluster}` : node.id.cluster;
  const talosconfig = stringifyTalosconfig({
    context,
    contexts: { [context]: { endpoints: [], ca: b64(osCa.certPem), crt: b64(cert.certPem), key: b64(cert.keyPem) } },
  });
  return {
    metadata: undefined,
    ca: Buffer.from(osCa.certPem),
    crt: Buffer.from(cert.certPem),
    key: Buffer.from(cert.keyPem),
    talosconfig: Buffer.from(talosconfig),
  };
}
