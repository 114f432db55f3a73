import { AppError } from '../../../shared/errors';
import type { AuditEntry, AuditVerification } from '../../../shared/domain/audit';
import type { IdentitySummary } from '../../../shared/domain/identity';
import { EVIDENCE_SCHEMA_VERSION, type Drift, type Evidence, type Unavailable } from '../../../shared/domain/evidence';
import { x509 } from '../../../certs/x509-provider';
import type { TalosClient } from '../../talos/client';
import { diffConfigs } from '../config/structural-diff';
import { collectNode, type CollectedNode } from './collect-node';
import { buildNodeSbom, serializeSbom, validateSbom } from './sbom';
import { evaluateControls, evaluateItems } from './items';

const DAY = 86_400_000;

export interface CollectInput {
  client: TalosClient;
  cluster: string;
  nodes: string[];
  /** The identity collecting, as the renderer knows it (no key material). */
  collector: IdentitySummary & { caPem: string };
  /** Every identity of this console for the cluster. */
  identities: IdentitySummary[];
  osUser: string;
  generatorVersion: string;
  signingKeyFingerprint: string;
  audit: { entries: AuditEntry[]; verification: AuditVerification };
  period: { from: string | null; to: string };
  now: Date;
  onProgress?: (done: number, total: number, step: string) => void;
}

export interface Collected {
  evidence: Evidence;
  perNode: CollectedNode[];
  /** CycloneDX 1.6 JSON per node (validated), keyed by node. */
  sboms: Map<string, string>;
}

/** Builds and validates each node's SBOM; a node without SBOMItems gets none (and says why). */
async function sbomsOf(perNode: CollectedNode[], now: Date, unavailable: Unavailable[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of perNode) {
    if (!n.sbomItems) continue;
    const text = serializeSbom(
      buildNodeSbom({
        node: n.evidence.node,
        hostname: n.evidence.hostname,
        talosVersion: n.evidence.talos?.tag ?? null,
        items: n.sbomItems,
        images: n.images ?? [],
        timestamp: now,
      }),
    );
    const invalid = await validateSbom(text);
    if (invalid) {
      unavailable.push({
        node: n.evidence.node,
        item: 'SBOM',
        reason: `The SBOM built from the node's data does not validate against CycloneDX 1.6: ${invalid}`,
      });
      continue;
    }
    const file = `nodes/${n.evidence.node}/sbom.cdx.json`;
    n.evidence.sbom = { file, components: (JSON.parse(text) as { components?: unknown[] }).components?.length ?? 0 };
    out.set(n.evidence.node, text);
  }
  return out;
}

/** Drift between nodes of the same role: each node's redacted config against the first of its role. */
function driftOf(perNode: CollectedNode[]): Drift[] {
  const roles = new Map<string, CollectedNode[]>();
  for (const n of perNode) {
    const role = n.evidence.machineType ?? 'unknown';
    roles.set(role, [...(roles.get(role) ?? []), n]);
  }
  return [...roles].map(([role, members]) => {
    const nodes = members.map((m) => m.evidence.node);
    if (members.some((m) => m.configYaml === null)) return { role, nodes, changes: [], inSync: null };
    const [reference, ...rest] = members;
    const changes = rest.flatMap((m) =>
      diffConfigs(reference!.configYaml!, m.configYaml!, true).changes.map((c) => ({
        node: m.evidence.node,
        path: c.path,
        kind: c.kind,
        reference: c.left,
        value: c.right,
      })),
    );
    return { role, nodes, changes, inSync: changes.length === 0 };
  });
}

/**
 * Talos reports RBAC in Version.features.rbac; a refused sensitive read (as a non-admin) confirms it. Both
 * are recorded as the basis of the verdict.
 */
async function rbacState(input: CollectInput): Promise<Evidence['access']['rbac']> {
  const node = input.nodes[0];
  if (!node) return { state: 'unknown', basis: 'no node to ask' };
  const roles = input.collector.roles.join(', ') || 'role-less';
  let reported: boolean | null = null;
  try {
    reported = await input.client.compliance.rbacEnabled(node);
  } catch (error) {
    return { state: 'unknown', basis: `could not ask ${node}: ${(error as Error).message}` };
  }
  const basis =
    reported === null ? `${node} does not report features.rbac in Version` : `${node} reports features.rbac=${reported} in Version`;
  if (input.collector.roles.includes('os:admin') || reported === false)
    return { state: reported === null ? 'unknown' : reported ? 'enabled' : 'disabled', basis };
  try {
    await input.client.getResource(node, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1');
    return { state: 'disabled', basis: `${basis}, yet this ${roles} identity could read the sensitive MachineConfig` };
  } catch (error) {
    if (error instanceof AppError && error.code === 'PERMISSION_DENIED')
      return {
        state: 'enabled',
        basis: `${basis}; ${node} refused the sensitive MachineConfig to this ${roles} identity (PermissionDenied)`,
      };
    return { state: reported ? 'enabled' : 'unknown', basis };
  }
}

function clusterCa(pem: string, now: Date): Evidence['access']['clusterCa'] {
  try {
    const cert = new x509.X509Certificate(pem);
    return {
      subject: cert.subject,
      notAfter: cert.notAfter.toISOString(),
      daysLeft: Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY),
    };
  } catch {
    return null;
  }
}

/** Reads every node (in parallel, each failure recorded) and builds the evidence document. */
export async function collectEvidence(input: CollectInput): Promise<Collected> {
  const { collector, now } = input;
  const isAdmin = collector.roles.includes('os:admin');
  let done = 0;
  const total = input.nodes.length + 1;
  input.onProgress?.(0, total, 'Reading nodes');
  const perNode = await Promise.all(
    input.nodes.map(async (node) => {
      const result = await collectNode(input.client, node, isAdmin);
      input.onProgress?.(++done, total, `Read ${node}`);
      return result;
    }),
  );
  const unavailable: Unavailable[] = perNode.flatMap((n) => n.unavailable);
  const sboms = await sbomsOf(perNode, now, unavailable);
  const drift = driftOf(perNode);
  const access: Evidence['access'] = {
    identities: input.identities.map((i) => ({
      name: i.name,
      subject: i.subject,
      roles: i.roles,
      keyAlgorithm: i.keyAlgorithm,
      fingerprint: i.fingerprint,
      notBefore: i.notBefore,
      notAfter: i.notAfter,
      daysLeft: Math.floor(i.daysLeft),
      practice: i.practice,
    })),
    clusterCa: clusterCa(collector.caPem, now),
    rbac: await rbacState(input),
    limitation:
      'Talos does not record the client certificates its CA has issued, and no API lists them: certificates issued elsewhere (talosctl config new, other consoles, the CA key itself) cannot be enumerated. This list covers the identities held by this console only.',
  };
  if (!access.clusterCa) unavailable.push({ node: null, item: 'cluster CA', reason: "The identity's CA certificate could not be parsed." });
  const base = { nodes: perNode.map((n) => n.evidence), drift, access, changeHistory: input.audit };
  const items = evaluateItems(base);
  const evidence: Evidence = {
    schema: 'nodeglass-evidence',
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    generator: { name: 'Nodeglass', version: input.generatorVersion },
    cluster: input.cluster,
    collectedAt: now.toISOString(),
    period: input.period,
    collector: {
      identity: collector.name,
      subject: collector.subject,
      roles: collector.roles,
      fingerprint: collector.fingerprint,
      osUser: input.osUser,
    },
    signingKeyFingerprint: input.signingKeyFingerprint,
    ...base,
    items,
    controls: evaluateControls(items),
    unavailable,
  };
  input.onProgress?.(total, total, 'Collected');
  return { evidence, perNode, sboms };
}
