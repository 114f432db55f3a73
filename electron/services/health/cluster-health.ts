import { worstVerdict, type ClusterHealth, type HealthCheck, type NodeHealth } from '../../../shared/domain/health';
import type { ClusterMember } from '../../../shared/domain/health-evidence';
import { talosctl, type CommandTarget } from '../../../shared/talosctl';
import type { TalosClient } from '../../talos/client';
import { fanOut } from '../../talos/fan-out';
import { caNotAfter, clusterChecks, nodeChecks } from './checks';
import { configDrift } from './config-drift';
import { collectNode, emptyEvidence, type ClusterEvidence, type NodeEvidence } from './evidence';
import { findings } from './rules';

export interface HealthIdentity {
  context: string;
  roles: string[];
  notAfter: string;
  caPem: string;
}

/** Reads every node's evidence side by side (one node failing never hides the others). */
export async function collectCluster(
  client: TalosClient,
  nodes: string[],
  identity: HealthIdentity,
  now: () => number,
): Promise<ClusterEvidence> {
  const admin = identity.roles.includes('os:admin');
  const results = await fanOut(nodes, (node) => collectNode(client, node, admin), 32);
  const evidence: NodeEvidence[] = results.map((r) => (r.ok ? r.value : emptyEvidence(r.node, [{ call: 'Version', ...r.error }])));
  let members: ClusterMember[] | null = null;
  const endpointNode = evidence.find((e) => e.answered && e.role === 'controlplane') ?? evidence.find((e) => e.answered);
  if (endpointNode) members = await client.evidence.clusterMembers(endpointNode.node).catch(() => null);
  // A node whose role could not be read takes it from Members (its machineType).
  for (const e of evidence) {
    if (e.role !== 'unknown' || !members) continue;
    const m = members.find((x) => x.addresses.includes(e.node) || x.hostname === e.hostname);
    if (m?.machineType === 'controlplane' || m?.machineType === 'worker') e.role = m.machineType;
  }
  return {
    nodes: evidence,
    members,
    identity: { notAfter: identity.notAfter, caNotAfter: caNotAfter(identity.caPem), roles: identity.roles },
    collectedAt: now(),
  };
}

function driftCheck(c: ClusterEvidence, t: CommandTarget): Omit<HealthCheck, 'checkedAt'> {
  const admin = c.identity.roles.includes('os:admin');
  const base = {
    id: 'config-drift',
    title: 'Machine configs agree within each role',
    node: null,
    talosctl: talosctl.get(t, 'machineconfig', 'v1alpha1', { yaml: true }),
  };
  if (!admin)
    return {
      ...base,
      verdict: 'unknown',
      summary: `MachineConfigs is sensitive: comparing configs needs os:admin; this identity has ${c.identity.roles.join(', ') || 'no role'}`,
      evidence: [],
    };
  const answered = c.nodes.filter((n) => n.answered);
  const missing = answered.filter((n) => !n.config);
  const drifts = configDrift(c.nodes);
  if (drifts.length)
    return {
      ...base,
      verdict: 'warn',
      summary: drifts.map((d) => `${d.hostname} differs in ${d.paths.length} setting(s)`).join('; '),
      evidence: drifts.flatMap((d) => d.paths.slice(0, 5).map((p) => `${d.hostname}: ${p}`)),
    };
  if (missing.length)
    return { ...base, verdict: 'unknown', summary: `no config from ${missing.map((n) => n.node).join(', ')}`, evidence: [] };
  return { ...base, verdict: 'pass', summary: 'no structural differences (secrets and per-node fields excluded)', evidence: [] };
}

/** Turns collected evidence into the health report: checks with verdicts, findings, and a verdict per node. */
export function assessHealth(c: ClusterEvidence, context: string, now: number): ClusterHealth {
  const t: CommandTarget = { context, nodes: c.nodes.map((n) => n.node) };
  const stamp = <T extends Omit<HealthCheck, 'checkedAt'>>(x: T): HealthCheck => ({ ...x, checkedAt: c.collectedAt });
  const perNode = c.nodes.flatMap((e) => nodeChecks(e, t, now)).map(stamp);
  const cluster = [...clusterChecks(c, t, now), driftCheck(c, t)].map(stamp);
  const nodes: NodeHealth[] = c.nodes.map((e) => ({
    node: e.node,
    hostname: e.hostname,
    role: e.role,
    verdict: e.answered ? worstVerdict(perNode.filter((x) => x.node === e.node).map((x) => x.verdict)) : 'unknown',
    answered: e.answered,
    failures: e.failures,
  }));
  const checks = [...cluster, ...perNode];
  return {
    checkedAt: c.collectedAt,
    verdict: worstVerdict(checks.map((x) => x.verdict)),
    nodes,
    checks,
    findings: findings(c, t, now),
  };
}
