import { parse } from 'yaml';
import { MachineStatusEvent, MachineStatusEvent_MachineStage as Stage } from '../../proto/gen/machine/machine';
import { formatMemberId } from './etcd-cluster';
import type { LabNode } from './node';
import { STAGE_NAMES } from './stages';

/** Resource types that carry health evidence (talos-api-wave2.md section 1). */
export const HEALTH_TYPES = {
  machineStatus: 'MachineStatuses.runtime.talos.dev',
  service: 'Services.v1alpha1.talos.dev',
  timeStatus: 'TimeStatuses.v1alpha1.talos.dev',
  nodename: 'Nodenames.kubernetes.talos.dev',
  nodeStatus: 'NodeStatuses.kubernetes.talos.dev',
  staticPodStatus: 'StaticPodStatuses.kubernetes.talos.dev',
  networkStatus: 'NetworkStatuses.net.talos.dev',
  etcdMember: 'EtcdMembers.etcd.talos.dev',
  diagnostic: 'Diagnostics.runtime.talos.dev',
  volumeStatus: 'VolumeStatuses.block.talos.dev',
  mountStatus: 'MountStatuses.runtime.talos.dev',
  blockMountStatus: 'MountStatuses.block.talos.dev',
} as const;

const T = HEALTH_TYPES;
const CONTROL_PLANE_PODS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** The system disk as Talos lays it out (vda4 META, vda5 STATE, vda6 EPHEMERAL); sizes match the Mounts RPC. */
export const VOLUMES = [
  { id: 'META', partition: 4, size: 1 * MiB, filesystem: 'talosmeta', target: null },
  { id: 'STATE', partition: 5, size: 100 * MiB, filesystem: 'xfs', target: '/system/state' },
  { id: 'EPHEMERAL', partition: 6, size: 40 * GiB, filesystem: 'xfs', target: '/var' },
] as const;

function prettySize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toFixed(1))} ${units[unit]}`;
}

/** Volumes and mounts: fixed for the node's life. */
export function putVolumes(node: LabNode): void {
  const r = node.resources;
  const y = (spec: unknown) => node.resourceYaml(spec);
  for (const v of VOLUMES) {
    const location = `/dev/vda${v.partition}`;
    r.put(
      'runtime',
      T.volumeStatus,
      v.id,
      y({
        phase: 'ready',
        type: 'partition',
        location,
        mountLocation: location,
        partitionIndex: v.partition,
        parentLocation: '/dev/vda',
        partitionUUID: node.rng.uuid(),
        ...(v.filesystem === 'xfs' ? { uuid: node.rng.uuid() } : {}),
        size: v.size,
        filesystem: v.filesystem,
        prettySize: prettySize(v.size),
        ...(v.target ? { mountSpec: { targetPath: v.target, selinuxLabel: 'system_u:object_r:system_t:s0' } } : {}),
      }),
      { owner: 'block.VolumeManagerController' },
    );
    if (!v.target) continue;
    r.put(
      'runtime',
      T.mountStatus,
      v.id,
      y({
        source: location,
        target: v.target,
        filesystemType: v.filesystem,
        options: ['rw', 'relatime', 'attr2', 'inode64'],
        encrypted: false,
      }),
      { owner: 'runtime.MountStatusController' },
    );
    r.put(
      'runtime',
      T.blockMountStatus,
      v.id,
      y({
        spec: { volumeID: v.id, parentID: '', readOnly: false, detached: false, requesters: [v.id === 'STATE' ? 'machined' : 'EPHEMERAL'] },
        source: location,
        target: v.target,
        filesystem: v.filesystem,
        readOnly: false,
        projectQuotaSupport: v.id === 'EPHEMERAL',
        detached: false,
      }),
      { owner: 'block.MountController' },
    );
  }
  r.put(
    'network',
    T.networkStatus,
    'status',
    y({ addressReady: true, connectivityReady: true, hostnameReady: true, etcFilesReady: true }),
    {
      owner: 'network.StatusController',
    },
  );
}

/** A static pod's status as kubelet reports it (Talos stores the Kubernetes PodStatus as the spec). */
function podStatus(node: LabNode, component: string, ready: boolean) {
  const started = new Date(node.bootTime + 20_000 + CONTROL_PLANE_PODS.indexOf(component) * 700).toISOString().replace(/\.\d+Z$/, 'Z');
  const readyText = ready ? 'True' : 'False';
  const container = node.k8sContainers().find((c) => c.name === component);
  return {
    phase: 'Running',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: started },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: started },
      { type: 'Ready', status: readyText, lastProbeTime: null, lastTransitionTime: started },
      { type: 'ContainersReady', status: readyText, lastProbeTime: null, lastTransitionTime: started },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: started },
    ],
    hostIP: node.id.ip,
    hostIPs: [{ ip: node.id.ip }],
    podIP: node.id.ip,
    podIPs: [{ ip: node.id.ip }],
    startTime: started,
    containerStatuses: [
      {
        name: component,
        state: { running: { startedAt: started } },
        lastState: {},
        ready,
        restartCount: 0,
        image: `registry.k8s.io/${component}:v1.36.3`,
        imageID: `registry.k8s.io/${component}@sha256:${node.rng.hex(64)}`,
        containerID: `containerd://${container?.containerId ?? node.rng.hex(64)}`,
        started: true,
      },
    ],
    qosClass: 'Burstable',
  };
}

/** Evidence that follows the node's conditions: time, Kubernetes node, static pods, etcd membership. */
export function putHealthEvidence(node: LabNode): void {
  const r = node.resources;
  const y = (spec: unknown) => node.resourceYaml(spec);
  const h = node.health;
  r.put('runtime', T.timeStatus, 'node', y({ synced: h.timeSynced, epoch: h.timeEpoch, syncDisabled: false }), {
    owner: 'time.SyncController',
  });
  r.put(
    'k8s',
    T.nodeStatus,
    node.id.hostname,
    y({
      nodeReady: h.kubeNodeReady,
      unschedulable: false,
      labels: {
        'kubernetes.io/hostname': node.id.hostname,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...(node.id.type === 'controlplane' ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      podCIDRs: [`10.244.${node.id.index}.0/24`],
    }),
    { owner: 'k8s.NodeStatusController' },
  );
  if (node.id.type === 'controlplane') {
    for (const c of CONTROL_PLANE_PODS)
      r.put('k8s', T.staticPodStatus, `kube-system/${c}-${node.id.hostname}`, y(podStatus(node, c, !h.staticPodsNotReady.has(c))), {
        owner: 'k8s.StaticPodStatusController',
      });
  }
  const etcd = node.services.get('etcd');
  const member = node.etcd?.member(node);
  if (member && etcd?.state === 'Running' && etcd.healthy)
    r.put('etcd', T.etcdMember, 'local', y({ memberID: formatMemberId(member.id) }), { owner: 'etcd.MemberController' });
  else r.destroy('etcd', T.etcdMember, 'local');
}

const spec = (node: LabNode, ns: string, type: string, id: string) => node.resources.get(ns, type, id);

function servicesCheck(node: LabNode): string | null {
  const required = ['apid', 'machined', 'kubelet', ...(node.id.type === 'controlplane' ? ['etcd', 'trustd'] : [])];
  const problems: string[] = [];
  const running = new Set<string>();
  for (const s of node.resources.list('runtime', T.service)) {
    const v = parse(s.yamlSpec) as { running?: boolean; healthy?: boolean; unknown?: boolean };
    if (!v.running) {
      problems.push(`${s.id} not running`);
      continue;
    }
    running.add(s.id);
    if (!v.unknown && !v.healthy) problems.push(`${s.id} not healthy`);
  }
  for (const id of required) if (!running.has(id)) problems.push(`${id} not running`);
  return problems.length ? problems.join(', ') : null;
}

function staticPodsCheck(node: LabNode): string | null {
  const problems: string[] = [];
  for (const s of node.resources.list('k8s', T.staticPodStatus)) {
    const status = parse(s.yamlSpec) as { phase?: string; conditions?: { type: string; status: string }[] };
    if (status.phase === 'Pending' || status.phase === 'Failed' || status.phase === 'Unknown')
      problems.push(`${s.id} ${status.phase.toLowerCase()}`);
    else if (status.phase === 'Running' && status.conditions?.find((c) => c.type === 'Ready')?.status !== 'True')
      problems.push(`${s.id} not ready`);
  }
  return problems.length ? problems.join(', ') : null;
}

function nodeReadyCheck(node: LabNode): string | null {
  const nodename = spec(node, 'k8s', T.nodename, 'nodename');
  if (!nodename) return null;
  const name = (parse(nodename.yamlSpec) as { nodename: string }).nodename;
  const status = spec(node, 'k8s', T.nodeStatus, name);
  if (!status) return `node "${name}" status is not available yet`;
  return (parse(status.yamlSpec) as { nodeReady?: boolean }).nodeReady ? null : `node "${name}" is not ready`;
}

function networkCheck(node: LabNode): string | null {
  const status = spec(node, 'network', T.networkStatus, 'status');
  if (!status) return 'network status is not available yet';
  const s = parse(status.yamlSpec) as Record<string, boolean>;
  const waiting = [
    ['addressReady', 'address'],
    ['connectivityReady', 'connectivity'],
    ['etcFilesReady', 'etc-files'],
    ['hostnameReady', 'hostname'],
  ]
    .filter(([key]) => !s[key!])
    .map(([, name]) => name);
  return waiting.length ? `waiting on: ${waiting.join(', ')}` : null;
}

export interface MachineStatusSpec {
  stage: string;
  status: { ready: boolean; unmetConditions: { name: string; reason: string }[] };
}

/** Talos' MachineStatusController: readiness checks run only while booting or running, in this order. */
export function computeMachineStatus(node: LabNode): MachineStatusSpec {
  const unmet: { name: string; reason: string }[] = [];
  if (node.stage === Stage.BOOTING || node.stage === Stage.RUNNING) {
    const checks: [string, (n: LabNode) => string | null][] = [
      ['time', (n) => (n.health.timeSynced ? null : 'time is not synced')],
      ['network', networkCheck],
      ['services', servicesCheck],
      ['staticPods', staticPodsCheck],
      ['nodeReady', nodeReadyCheck],
    ];
    for (const [name, check] of checks) {
      const reason = check(node);
      if (reason) unmet.push({ name, reason });
    }
  }
  return { stage: STAGE_NAMES[node.stage] ?? 'unknown', status: { ready: unmet.length === 0, unmetConditions: unmet } };
}

const stageByName = (name: string): Stage => Number(Object.entries(STAGE_NAMES).find(([, v]) => v === name)?.[0] ?? Stage.UNKNOWN) as Stage;

/**
 * Writes MachineStatus and, when it changed and `publish` is set, a MachineStatusEvent as Talos' publisher does
 * (without an actor id). Boot history passes `publish: false`, having written its own back-dated events.
 */
export function refreshMachineStatus(node: LabNode, publish = true): MachineStatusSpec {
  putHealthEvidence(node);
  const status = computeMachineStatus(node);
  const before = node.resources.get('runtime', T.machineStatus, 'machine')?.yamlSpec;
  const text = node.resourceYaml(status);
  node.resources.put('runtime', T.machineStatus, 'machine', text, { owner: 'runtime.MachineStatusController' });
  if (publish && before !== text)
    node.publish('MachineStatusEvent', MachineStatusEvent.encode({ stage: stageByName(status.stage), status: status.status }).finish());
  return status;
}
