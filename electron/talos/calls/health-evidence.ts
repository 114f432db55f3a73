import { parse } from 'yaml';
import { StateService, type Resource } from '../../../proto/gen/cosi/resource/state';
import { AppError } from '../../../shared/errors';
import type {
  ClusterMember,
  Diagnostic,
  MachineStatusEvidence,
  MountStatusEvidence,
  NodeStatusEvidence,
  StaticPodStatusEvidence,
  TimeStatusEvidence,
  VolumeStatusEvidence,
} from '../../../shared/domain/health-evidence';
import type { TalosConnection } from '../connection';

/** Type and default namespace of each evidence resource (resolve through ResourceDefinitions for other versions). */
export const EVIDENCE_TYPES = {
  machineStatus: { namespace: 'runtime', type: 'MachineStatuses.runtime.talos.dev' },
  timeStatus: { namespace: 'runtime', type: 'TimeStatuses.v1alpha1.talos.dev' },
  staticPodStatus: { namespace: 'k8s', type: 'StaticPodStatuses.kubernetes.talos.dev' },
  member: { namespace: 'cluster', type: 'Members.cluster.talos.dev' },
  etcdMember: { namespace: 'etcd', type: 'EtcdMembers.etcd.talos.dev' },
  nodeStatus: { namespace: 'k8s', type: 'NodeStatuses.kubernetes.talos.dev' },
  diagnostic: { namespace: 'runtime', type: 'Diagnostics.runtime.talos.dev' },
  volumeStatus: { namespace: 'runtime', type: 'VolumeStatuses.block.talos.dev' },
  mountStatus: { namespace: 'runtime', type: 'MountStatuses.runtime.talos.dev' },
} as const;

type Kind = keyof typeof EVIDENCE_TYPES;
type Spec = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const bool = (v: unknown) => v === true;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strings = (v: unknown) => (Array.isArray(v) ? v.map(str) : []);

function specOf(resource: Resource | undefined, node: string): { id: string; spec: Spec } {
  const id = resource?.metadata?.id ?? '';
  let spec: unknown;
  try {
    spec = parse(resource?.spec?.yamlSpec ?? '');
  } catch (error) {
    throw new AppError(
      'INTERNAL',
      `${node} sent ${resource?.metadata?.type ?? 'a resource'} ${id} whose spec is not YAML (${(error as Error).message}).`,
    );
  }
  return { id, spec: spec && typeof spec === 'object' ? (spec as Spec) : {} };
}

async function getOne(connection: TalosConnection, node: string, kind: Kind, id: string): Promise<Spec> {
  const { namespace, type } = EVIDENCE_TYPES[kind];
  const response = await connection.unary(StateService.get, { namespace, type, id, options: undefined }, node);
  return specOf(response.resource, node).spec;
}

async function listAll(connection: TalosConnection, node: string, kind: Kind): Promise<{ id: string; spec: Spec }[]> {
  const { namespace, type } = EVIDENCE_TYPES[kind];
  const out: { id: string; spec: Spec }[] = [];
  await connection.stream(StateService.list, { namespace, type, options: undefined }, node, (r) => out.push(specOf(r.resource, node)));
  return out;
}

export function toMachineStatus(spec: Spec): MachineStatusEvidence {
  const status = (spec.status ?? {}) as Spec;
  const unmet = Array.isArray(status.unmetConditions) ? (status.unmetConditions as Spec[]) : [];
  return {
    stage: str(spec.stage) || 'unknown',
    ready: bool(status.ready),
    unmetConditions: unmet.map((c) => ({ name: str(c.name), reason: str(c.reason) })),
  };
}

export async function machineStatus(connection: TalosConnection, node: string): Promise<MachineStatusEvidence> {
  return toMachineStatus(await getOne(connection, node, 'machineStatus', 'machine'));
}

export async function timeStatus(connection: TalosConnection, node: string): Promise<TimeStatusEvidence> {
  const spec = await getOne(connection, node, 'timeStatus', 'node');
  return { synced: bool(spec.synced), epoch: num(spec.epoch) ?? 0, syncDisabled: bool(spec.syncDisabled) };
}

export function toStaticPodStatus(id: string, spec: Spec): StaticPodStatusEvidence {
  const conditions = (Array.isArray(spec.conditions) ? (spec.conditions as Spec[]) : []).map((c) => ({
    type: str(c.type),
    status: str(c.status),
  }));
  const containers = Array.isArray(spec.containerStatuses) ? (spec.containerStatuses as Spec[]) : [];
  const pod = id.slice(id.indexOf('/') + 1);
  const component = /^(kube-apiserver|kube-controller-manager|kube-scheduler)-/.exec(pod)?.[1] ?? pod;
  return {
    id,
    component,
    phase: str(spec.phase) || 'Unknown',
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    conditions,
    restartCount: containers.reduce((sum, c) => sum + (num(c.restartCount) ?? 0), 0),
    podIP: str(spec.podIP),
    startTime: str(spec.startTime) || null,
  };
}

export async function staticPodStatuses(connection: TalosConnection, node: string): Promise<StaticPodStatusEvidence[]> {
  return (await listAll(connection, node, 'staticPodStatus')).map(({ id, spec }) => toStaticPodStatus(id, spec));
}

export function toClusterMember(id: string, spec: Spec): ClusterMember {
  const operatingSystem = str(spec.operatingSystem);
  const controlPlane = spec.controlPlane as Spec | undefined;
  return {
    id,
    nodeId: str(spec.nodeId),
    hostname: str(spec.hostname),
    addresses: strings(spec.addresses),
    machineType: str(spec.machineType),
    operatingSystem,
    talosVersion: /\((v[^)]+)\)/.exec(operatingSystem)?.[1] ?? null,
    controlPlanePort: controlPlane ? num(controlPlane.port) : null,
  };
}

export async function clusterMembers(connection: TalosConnection, node: string): Promise<ClusterMember[]> {
  return (await listAll(connection, node, 'member')).map(({ id, spec }) => toClusterMember(id, spec));
}

/** EtcdMembers `local`: the member id (`%016x`) while etcd runs and is healthy on this node, else null. */
export async function localEtcdMember(connection: TalosConnection, node: string): Promise<string | null> {
  try {
    return str((await getOne(connection, node, 'etcdMember', 'local')).memberID) || null;
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

export async function nodeStatuses(connection: TalosConnection, node: string): Promise<NodeStatusEvidence[]> {
  return (await listAll(connection, node, 'nodeStatus')).map(({ id, spec }) => ({
    nodename: id,
    nodeReady: bool(spec.nodeReady),
    unschedulable: bool(spec.unschedulable),
    labels: Object.fromEntries(Object.entries((spec.labels ?? {}) as Spec).map(([k, v]) => [k, str(v)])),
  }));
}

export async function diagnostics(connection: TalosConnection, node: string): Promise<Diagnostic[]> {
  return (await listAll(connection, node, 'diagnostic')).map(({ id, spec }) => ({
    id,
    message: str(spec.message),
    details: strings(spec.details),
  }));
}

export async function volumeStatuses(connection: TalosConnection, node: string): Promise<VolumeStatusEvidence[]> {
  return (await listAll(connection, node, 'volumeStatus')).map(({ id, spec }) => ({
    id,
    phase: str(spec.phase),
    type: str(spec.type),
    location: str(spec.location),
    sizeBytes: num(spec.size),
    prettySize: str(spec.prettySize),
    filesystem: str(spec.filesystem),
    errorMessage: str(spec.errorMessage),
  }));
}

export async function mountStatuses(connection: TalosConnection, node: string): Promise<MountStatusEvidence[]> {
  return (await listAll(connection, node, 'mountStatus')).map(({ id, spec }) => ({
    id,
    source: str(spec.source),
    target: str(spec.target),
    filesystemType: str(spec.filesystemType),
    options: strings(spec.options),
    encrypted: bool(spec.encrypted),
  }));
}

/** Follows MachineStatus (COSI Watch on the single resource), as the dashboard does; the promise ends with the stream. */
export function watchMachineStatus(
  connection: TalosConnection,
  node: string,
  onStatus: (status: MachineStatusEvidence | null) => void,
  signal?: AbortSignal,
): Promise<void> {
  const { namespace, type } = EVIDENCE_TYPES.machineStatus;
  return connection.stream(
    StateService.watch,
    { namespace, type, id: 'machine', options: undefined, apiVersion: 1 },
    node,
    (response) => {
      for (const event of response.event) {
        if (!event.resource) continue;
        // DESTROYED (2) leaves no status; CREATED/UPDATED carry the new one.
        onStatus(event.eventType === 2 ? null : toMachineStatus(specOf(event.resource, node).spec));
      }
    },
    signal,
  );
}

/** The evidence calls bound to one connection: `client.evidence.machineStatus(node)` and so on. */
export function evidenceCalls(connection: TalosConnection) {
  return {
    machineStatus: (node: string) => machineStatus(connection, node),
    watchMachineStatus: (node: string, onStatus: (status: MachineStatusEvidence | null) => void, signal?: AbortSignal) =>
      watchMachineStatus(connection, node, onStatus, signal),
    timeStatus: (node: string) => timeStatus(connection, node),
    staticPodStatuses: (node: string) => staticPodStatuses(connection, node),
    clusterMembers: (node: string) => clusterMembers(connection, node),
    localEtcdMember: (node: string) => localEtcdMember(connection, node),
    nodeStatuses: (node: string) => nodeStatuses(connection, node),
    diagnostics: (node: string) => diagnostics(connection, node),
    volumeStatuses: (node: string) => volumeStatuses(connection, node),
    mountStatuses: (node: string) => mountStatuses(connection, node),
  };
}
export type EvidenceCalls = ReturnType<typeof evidenceCalls>;
