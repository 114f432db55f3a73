import { z } from 'zod';

/** Practice scenarios the lab can stage: each shows exactly the evidence a real Talos node shows for that condition. */
export const SCENARIO_KINDS = ['crashloop', 'etcd-nospace', 'time-unsynced', 'disk-full', 'not-ready', 'kernel-oom', 'drift'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];
export const scenarioKindSchema = z.enum(SCENARIO_KINDS, {
  error: (issue) => `Unknown scenario ${JSON.stringify(issue.input)}: choose one of ${SCENARIO_KINDS.join(', ')}.`,
});

/** What the practice cluster menu says about each scenario before it is staged. */
export const SCENARIO_CATALOGUE: Record<ScenarioKind, { title: string; description: string; defaultNode: string }> = {
  crashloop: {
    title: 'Crash-looping service',
    description: 'A service (kubelet unless you pick another) exits with code 1 every 15 s and Talos restarts it forever.',
    defaultNode: 'first worker',
  },
  'etcd-nospace': {
    title: 'etcd out of space',
    description: 'etcd hits its 2 GiB quota and raises the NOSPACE alarm; the API server’s writes are refused.',
    defaultNode: 'first control plane',
  },
  'time-unsynced': {
    title: 'Time not synced',
    description: 'The node cannot reach its time server: the clock drifts 47 s ahead and the machine is not ready.',
    defaultNode: 'first worker',
  },
  'disk-full': {
    title: 'Disk full',
    description: '/var (EPHEMERAL) fills to 98.6 % and the kubelet starts evicting pods.',
    defaultNode: 'first worker',
  },
  'not-ready': {
    title: 'Kubernetes node not ready',
    description: 'The kubelet reports “PLEG is not healthy”, so the node and MachineStatus turn not ready.',
    defaultNode: 'first worker',
  },
  'kernel-oom': {
    title: 'Kernel OOM kills',
    description: 'The kernel’s OOM killer kills a java process twice; memory is nearly exhausted.',
    defaultNode: 'first worker',
  },
  drift: {
    title: 'Config drift',
    description: 'One node’s machine config gains a sysctl and a kubelet flag the others of its role lack.',
    defaultNode: 'last node of a role with two',
  },
};

type Typed = { type: 'controlplane' | 'worker' };

/** Nodes a scenario can be staged on: etcd only on control planes, drift only where another node shares the role. */
export function scenarioNodes<T extends Typed>(kind: ScenarioKind, nodes: T[]): T[] {
  if (kind === 'etcd-nospace') return nodes.filter((n) => n.type === 'controlplane');
  if (kind === 'drift') return nodes.filter((n) => nodes.filter((o) => o.type === n.type).length >= 2);
  return nodes;
}

/** The node a scenario picks when none is named (see SCENARIO_CATALOGUE's defaultNode), or null when none fits. */
export function defaultScenarioNode<T extends Typed>(kind: ScenarioKind, nodes: T[]): T | null {
  const controlPlanes = nodes.filter((n) => n.type === 'controlplane');
  const workers = nodes.filter((n) => n.type === 'worker');
  if (kind === 'etcd-nospace') return controlPlanes[0] ?? null;
  if (kind === 'drift') {
    const role = workers.length >= 2 ? workers : controlPlanes.length >= 2 ? controlPlanes : null;
    return role?.[role.length - 1] ?? null;
  }
  return workers[0] ?? nodes[0] ?? null;
}

const target = z.string().trim().min(1).max(253);

export const stageScenarioRequestSchema = z
  .strictObject({
    kind: scenarioKindSchema,
    /** IP or hostname of a lab node; omitted = the scenario's default node. */
    node: target.optional(),
    /** crashloop only: the service that crashes (default kubelet). */
    service: z
      .string()
      .trim()
      .regex(/^[\w-]{1,63}$/, 'A service id is letters, digits, "-" and "_" (like kubelet or etcd).')
      .optional(),
  })
  .refine((r) => r.service === undefined || r.kind === 'crashloop', {
    message: 'Only the crashloop scenario takes a service.',
    path: ['service'],
  });

export const healScenarioRequestSchema = z.strictObject({
  kind: scenarioKindSchema,
  node: target,
  service: z.string().trim().max(63).optional(),
});

export const stagedScenarioSchema = z.object({
  kind: scenarioKindSchema,
  node: z.object({ ip: z.string(), hostname: z.string() }),
  /** crashloop: the service that crashes. */
  service: z.string().optional(),
  /** What a trainee should find, in one sentence. */
  summary: z.string(),
  /** Where the evidence is, as talosctl lines (with -n NODE). */
  evidence: z.array(z.string()),
  /** ms since the epoch (the node's clock). */
  since: z.number(),
});
export type StagedScenarioInfo = z.infer<typeof stagedScenarioSchema>;
