import { randomUUID } from 'node:crypto';
import type { OperationAction, Plan, PlanRequest, PlanStep } from '../../../shared/domain/operation';
import { roleBlockReason, serviceActionBlock } from '../../../shared/talos-rbac';
import type { TalosClient } from '../../talos/client';
import { fanOut } from '../../talos/fan-out';
import { loadPatch, patchNodeConfig } from '../config/patch-config';
import { readEtcd } from './etcd-reading';
import { sameMember } from './gates';
import { etcdView, etcdWarnings, memberOf, memberRemovalRefusal, quorumRefusal, type EtcdReading } from './quorum';
import { imageVersion, methodOf, stepKind } from './step-kinds';
import { clusterName, orderTargets, readTargets, type Target } from './targets';
import { upgradeMethod, withPathNote } from './upgrade-path';

export const PLAN_TTL_MS = 15 * 60_000;

/** A plan as the host keeps it: what the renderer saw, plus the full action (with the config) it was made from. */
export interface StoredPlan {
  plan: Plan;
  request: PlanRequest;
  targets: (Target & { batch: number })[];
}

export interface PlannerIdentity {
  id: string;
  name: string;
  roles: string[];
}

const ON_FAILURE =
  'The roll stops at the first failed step or gate: the nodes after it are not touched, the failed node is left as it is, and the operation shows which check failed and what the node said. Pause, resume or cancel at any time; a step already sent to a node is never interrupted.';

function drainNote(takesDown: boolean): string {
  return takesDown
    ? 'Nodes are not drained: Nodeglass does not cordon them or evict their pods (talosctl v1.15 upgrade --drain does that through the Kubernetes API). Pods on a node stop when it goes down and Kubernetes reschedules them.'
    : 'Nodes are not drained or cordoned; their pods keep running during each step.';
}

function titleOf(request: PlanRequest, count: number): string {
  const a = request.action;
  const nodes = `${count} node${count === 1 ? '' : 's'}`;
  switch (a.kind) {
    case 'reboot':
      return `Rolling reboot of ${nodes}`;
    case 'shutdown':
      return `Shutdown of ${nodes}, one at a time`;
    case 'upgrade':
      return `Rolling upgrade to ${imageVersion(a.image) ?? a.image} of ${nodes}`;
    case 'apply-config':
      return `Apply config (${a.mode}) to ${nodes}`;
    case 'patch-config':
      return `Patch the config (${a.mode}) of ${nodes}`;
    case 'service':
      return `${a.action[0]!.toUpperCase()}${a.action.slice(1)} ${a.service} on ${nodes}`;
    case 'etcd-defrag':
      return `Defragment etcd on ${nodes}, one member at a time`;
    case 'etcd-alarm-disarm':
      return 'Disarm etcd alarms';
    case 'etcd-forfeit-leadership':
      return `Forfeit etcd leadership on ${nodes}`;
    case 'etcd-leave':
      return `${nodes} leave etcd`;
    case 'etcd-remove-member':
      return `Remove etcd member ${a.memberId}`;
    case 'reset':
      return `Reset ${nodes}`;
    case 'rollback':
      return `Roll back ${nodes} to the previous Talos`;
    case 'bootstrap':
      return 'Bootstrap etcd';
    case 'image-pull':
      return `Pull ${a.image} on ${nodes}`;
  }
}

function roleBlock(request: PlanRequest, roles: string[]): string | null {
  const a = request.action;
  if (a.kind === 'service') return serviceActionBlock(a.service, a.action, roles);
  if ((a.kind === 'apply-config' || a.kind === 'patch-config') && !roles.includes('os:admin'))
    return `ApplyConfiguration needs os:admin; this identity has ${roles.join(', ') || 'no roles'}`;
  return roleBlockReason(methodOf(a), roles);
}

function kindWarnings(request: PlanRequest, targets: Target[]): string[] {
  const a = request.action;
  const out: string[] = [];
  const workers = targets.filter((t) => t.role === 'worker').length;
  if (request.workerBatchSize > 1 && workers > 1 && stepKind(a).takesDown)
    out.push(`Up to ${Math.min(request.workerBatchSize, workers)} workers go down at the same time.`);
  if (a.kind === 'upgrade') {
    if (!imageVersion(a.image)) out.push(`${a.image} has no version tag, so no gate can check the version the nodes come back with.`);
    if (a.stage) out.push('Staged: each node stages the upgrade, reboots and installs it while booting.');
    if (a.force) out.push('Force skips the node’s own etcd health checks before upgrading; the quorum guard still applies.');
  }
  if (a.kind === 'reset') {
    out.push(
      a.mode === 'user-disks'
        ? 'The user disks named are wiped; the system disk is kept.'
        : 'The node’s system disk is wiped: it comes back in maintenance mode without a config, and this identity can no longer reach it until it is configured again.',
    );
    if (!a.graceful) out.push('Not graceful: the node does not leave etcd or drain first; remove its etcd member afterwards.');
  }
  if (a.kind === 'rollback') out.push('Each node boots its previous installation (Talos keeps one); a node that never upgraded refuses.');
  if (a.kind === 'etcd-defrag')
    out.push(
      'Defragmenting blocks each member while it runs; the members go one at a time and the next starts only once this one is healthy.',
    );
  if (a.kind === 'patch-config') {
    out.push(
      `${loadPatch(a.patch).format === 'json6902' ? 'JSON Patch' : 'Strategic merge patch'}: each node's own config is patched, so per-node fields stay as they are; the patch is applied again to the config each node has when its step runs.`,
    );
    if (a.mode === 'staged')
      out.push('Staged: the config takes effect at each node’s next reboot; the gates check the nodes are healthy now.');
    if (a.mode === 'try')
      out.push(`Try: each node reverts to its previous config ${a.tryTimeoutSeconds} s after its step unless the config is applied again.`);
  }
  if (a.kind === 'apply-config') {
    if (targets.length > 1)
      out.push(
        `The same config goes to ${targets.length} nodes: check each dry-run diff for per-node fields (hostname, addresses, certificates).`,
      );
    if (a.mode === 'staged')
      out.push('Staged: the config takes effect at each node’s next reboot; the gates check the nodes are healthy now.');
    if (a.mode === 'try')
      out.push(`Try: each node reverts to its previous config ${a.tryTimeoutSeconds} s after its step unless the config is applied again.`);
  }
  return out;
}

async function dryRuns(
  client: TalosClient,
  request: PlanRequest,
  nodes: string[],
): Promise<Map<string, { text: string; error: string | null }>> {
  const a = request.action;
  const out = new Map<string, { text: string; error: string | null }>();
  if (a.kind === 'patch-config') return patchDryRuns(client, a, nodes);
  if (a.kind !== 'apply-config') return out;
  const results = await fanOut(nodes, (node) =>
    client.applyConfiguration(node, { data: a.yaml, mode: a.mode, dryRun: true, tryTimeoutSeconds: a.tryTimeoutSeconds }),
  );
  for (const r of results) {
    if (r.ok) out.set(r.node, { text: [r.value.modeDetails, ...r.value.warnings.map((w) => `warning: ${w}`)].join('\n'), error: null });
    else out.set(r.node, { text: '', error: r.error.message });
  }
  return out;
}

/** `talosctl patch mc --dry-run` per node: its own config patched, then the node's dry-run diff of that config. */
async function patchDryRuns(
  client: TalosClient,
  a: Extract<OperationAction, { kind: 'patch-config' }>,
  nodes: string[],
): Promise<Map<string, { text: string; error: string | null }>> {
  const patch = loadPatch(a.patch);
  const out = new Map<string, { text: string; error: string | null }>();
  const results = await fanOut(nodes, async (node) => {
    const { before, after } = await patchNodeConfig(client, node, patch);
    if (before === after) return 'Apply was skipped: no changes detected.';
    const r = await client.applyConfiguration(node, { data: after, mode: a.mode, dryRun: true, tryTimeoutSeconds: a.tryTimeoutSeconds });
    return [r.modeDetails, ...r.warnings.map((w) => `warning: ${w}`)].join('\n');
  });
  for (const r of results) out.set(r.node, r.ok ? { text: r.value, error: null } : { text: '', error: r.error.message });
  return out;
}

/** Reads the targets (and etcd when control planes go down), orders them, and writes the plan the operator confirms. */
export async function buildPlan(
  client: TalosClient,
  identity: PlannerIdentity,
  request: PlanRequest,
  now: () => number = Date.now,
): Promise<StoredPlan> {
  const nodes = [...new Set(request.nodes)];
  // A patch that cannot be read is refused before any node is asked.
  if (request.action.kind === 'patch-config') loadPatch(request.action.patch);
  const kind = stepKind(request.action);
  const targets = await readTargets(client, nodes);
  const answering = targets.filter((t) => !t.error);
  const blockers: string[] = [];
  const role = roleBlock(request, identity.roles);
  if (role) blockers.push(`This identity cannot do this: ${role}.`);
  for (const t of targets)
    if (t.error) blockers.push(`${t.node} does not answer (${t.error}); take it out of the plan or bring it back first.`);

  if (kind.controlPlanesOnly)
    for (const t of targets.filter((x) => x.role === 'worker'))
      blockers.push(`${t.node}${t.hostname ? ` (${t.hostname})` : ''} is a worker: etcd runs only on control planes.`);
  if (kind.oneTarget && targets.length > 1)
    blockers.push(`${kind.verb} acts on the whole cluster through one control plane: choose exactly one node.`);
  const ordered = orderTargets(targets, request.workerBatchSize);
  const touchesControlPlanes = ordered.some((t) => t.role !== 'worker');
  const [cluster, etcd, dry] = await Promise.all([
    clusterName(
      client,
      answering.map((t) => t.node),
    ),
    touchesControlPlanes && request.action.kind !== 'service' && request.action.kind !== 'image-pull'
      ? readEtcd(
          client,
          ordered.filter((t) => t.role === 'controlplane').map((t) => t.node),
        )
      : Promise.resolve<EtcdReading | null>(null),
    role
      ? Promise.resolve(new Map<string, { text: string; error: string | null }>())
      : dryRuns(
          client,
          request,
          answering.map((t) => t.node),
        ),
  ]);
  for (const [node, r] of dry) if (r.error) blockers.push(`The dry run on ${node} failed: ${r.error}`);
  if (request.action.kind === 'bootstrap' && etcd && !etcd.error && etcd.members.length)
    blockers.push(
      `etcd is already bootstrapped (${etcd.members.length} member(s)); Talos would answer AlreadyExists. Bootstrap only a fresh cluster, or one being recovered.`,
    );

  const refusals: Plan['refusals'] = [];
  if (etcd && kind.takesDown) {
    const down = new Set<string>();
    for (const t of ordered.filter((x) => x.role !== 'worker')) {
      const reason = quorumRefusal(etcd, t, down);
      if (reason) refusals.push({ node: t.node, reason });
      const member = memberOf(etcd, t);
      if (kind.staysDown && member && !reason) down.add(member.id);
    }
  }

  if (etcd && kind.removesMember) {
    const out = new Set<string>();
    for (const t of ordered.filter((x) => x.role !== 'worker')) {
      const which = kind.removesMember(request.action, t);
      const member = which === 'own' ? memberOf(etcd, t) : etcd.members.find((m) => sameMember(m.id, which.memberId));
      if (which !== 'own' && !member) {
        blockers.push(`There is no etcd member ${which.memberId} (talosctl etcd members lists the ids).`);
        continue;
      }
      const reading = { ...etcd, members: etcd.members.filter((m) => !out.has(m.id)) };
      const reason = memberRemovalRefusal(reading, member, member ? `${member.hostname} (${member.id})` : t.node);
      if (reason) refusals.push({ node: t.node, reason });
      else if (member) out.add(member.id);
    }
  }

  const context = { context: identity.name };
  const steps: PlanStep[] = ordered.map((t, index) => {
    const upgradePath = kind.pathFor?.(t.version, request.action) ?? null;
    const talosctl = kind.talosctl({ ...context, nodes: [t.node] }, request.action);
    return {
      index,
      batch: t.batch,
      node: t.node,
      hostname: t.hostname,
      role: t.role,
      talosctl: upgradePath ? withPathNote(talosctl, upgradePath.kind) : talosctl,
      method: upgradePath ? upgradeMethod(upgradePath.kind) : methodOf(request.action),
      upgradePath,
      takesDown: kind.takesDown,
      gates: kind.gates(t.role, request.action),
      dryRun: dry.get(t.node)?.text ?? null,
      warnings: [
        ...(t.role === 'unknown' ? ['Its machine type could not be read, so it is treated as a control plane (one at a time).'] : []),
        ...refusals.filter((r) => r.node === t.node).map((r) => `Quorum guard: ${r.reason}.`),
      ],
    };
  });

  const created = now();
  const plan: Plan = {
    id: randomUUID(),
    identityId: identity.id,
    identityName: identity.name,
    cluster: cluster ?? identity.name,
    kind: request.action.kind,
    title: titleOf(request, steps.length),
    summary: kind.summary(request.action),
    method: methodOf(request.action),
    steps,
    batches: Math.max(0, ...steps.map((s) => s.batch)),
    workerBatchSize: request.workerBatchSize,
    gateTimeoutSeconds: request.gateTimeoutSeconds,
    onFailure: ON_FAILURE,
    drain: drainNote(kind.takesDown),
    etcd: etcd ? etcdView(etcd) : null,
    warnings: [
      ...(cluster
        ? []
        : [`The cluster's name could not be read (Infos.cluster.talos.dev); the identity's name ${identity.name} stands in.`]),
      ...(etcd && kind.takesDown ? etcdWarnings(etcd) : []),
      ...kindWarnings(request, targets),
    ],
    refusals,
    blockers,
    typeClusterName: kind.destructive && (touchesControlPlanes || kind.confirmAlways === true),
    createdAt: new Date(created).toISOString(),
    expiresAt: new Date(created + PLAN_TTL_MS).toISOString(),
  };
  return { plan, request: { ...request, nodes }, targets: ordered };
}
