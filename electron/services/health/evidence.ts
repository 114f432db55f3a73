import type {
  ClusterMember,
  MachineStatusEvidence,
  NodeStatusEvidence,
  StaticPodStatusEvidence,
  TimeStatusEvidence,
  Diagnostic,
} from '../../../shared/domain/health-evidence';
import type { CallFailure, TalosEtcd, TalosMemory, TalosMount, TalosService, TalosVersion } from '../../../shared/domain/talos';
import { AppError } from '../../../shared/errors';
import type { TalosClient } from '../../talos/client';
import { gather } from '../partial';

/** Logs read on every node for evidence and error rates; a crash-looping service's own log is added. */
export const EVIDENCE_LOGS = { everyNode: ['kubelet', 'controller-runtime'], controlPlane: ['etcd'] };
/** Lines read from the end of each log: enough for the error-rate window without pulling a whole log. */
export const LOG_TAIL = 10_000;

export type Role = 'controlplane' | 'worker' | 'unknown';

/** Everything the checks and rules read about one node. A part is null when its call failed (see `failures`). */
export interface NodeEvidence {
  node: string;
  /** Version answered: the node is reachable through apid. */
  answered: boolean;
  hostname: string | null;
  role: Role;
  version: TalosVersion | null;
  services: TalosService[] | null;
  machineStatus: MachineStatusEvidence | null;
  timeStatus: TimeStatusEvidence | null;
  staticPods: StaticPodStatusEvidence[] | null;
  nodeStatuses: NodeStatusEvidence[] | null;
  diagnostics: Diagnostic[] | null;
  memory: TalosMemory | null;
  load: { load1: number; load5: number; load15: number } | null;
  cpus: number | null;
  mounts: TalosMount[] | null;
  etcd: Pick<TalosEtcd, 'members' | 'status' | 'alarms'> | null;
  /** dmesg lines, raw as Talos formats them. */
  dmesg: string[] | null;
  /** The end of each evidence log, by service id. */
  logs: Record<string, string[]>;
  /** The active machine config (os:admin only: MachineConfigs is sensitive), or null. */
  config: string | null;
  failures: CallFailure[];
}

export interface ClusterEvidence {
  nodes: NodeEvidence[];
  members: ClusterMember[] | null;
  /** The identity's certificate and its CA, for the expiry checks. */
  identity: { notAfter: string | null; caNotAfter: string | null; roles: string[] };
  collectedAt: number;
}

async function readLog(client: TalosClient, node: string, id: string): Promise<string[]> {
  const lines: string[] = [];
  await client.logs(node, { namespace: 'system', id, follow: false, tailLines: LOG_TAIL }, (l) => lines.push(...l));
  return lines;
}

async function readDmesg(client: TalosClient, node: string): Promise<string[]> {
  const lines: string[] = [];
  await client.dmesg(node, { follow: false, tail: false }, (l) => lines.push(...l));
  return lines;
}

const machineTypeOf = (spec: unknown): Role =>
  spec === 'controlplane' || spec === 'init' ? 'controlplane' : spec === 'worker' ? 'worker' : 'unknown';

/** Reads one node's evidence; calls run side by side and each failure is kept with its reason, never turned into "healthy". */
export async function collectNode(client: TalosClient, node: string, admin: boolean): Promise<NodeEvidence> {
  const failures: CallFailure[] = [];
  const note = (call: string, error: unknown) => {
    const e = error instanceof AppError ? error : new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
    failures.push({ call, code: e.code, message: e.message });
  };
  let version: TalosVersion | null = null;
  try {
    version = await client.version(node);
  } catch (error) {
    note('Version', error);
    return emptyEvidence(node, failures);
  }
  const { values: v, failures: first } = await gather({
    Hostname: () => client.hostname(node),
    ServiceList: () => client.services(node),
    MachineType: () => client.getResource(node, 'config', 'MachineTypes.config.talos.dev', 'machine-type'),
    MachineStatus: () => client.evidence.machineStatus(node),
    TimeStatus: () => client.evidence.timeStatus(node),
    NodeStatuses: () => client.evidence.nodeStatuses(node),
    Diagnostics: () => client.evidence.diagnostics(node),
    Memory: () => client.memory(node),
    LoadAvg: () => client.loadAvg(node),
    SystemStat: () => client.systemStat(node),
    Mounts: () => client.mounts(node),
    Dmesg: () => readDmesg(client, node),
  }).catch((error: unknown) => {
    note('all calls', error);
    return { values: null, failures: [] as CallFailure[] };
  });
  failures.push(...first);
  if (!v) return { ...emptyEvidence(node, failures), answered: true, version };
  const role = v.MachineType ? machineTypeOf(v.MachineType.spec) : 'unknown';

  const crashing = (v.ServiceList ?? []).filter((s) => s.events.some((e) => /going to restart/.test(e.msg))).map((s) => s.id);
  const logIds = [...new Set([...EVIDENCE_LOGS.everyNode, ...(role === 'controlplane' ? EVIDENCE_LOGS.controlPlane : []), ...crashing])];
  const cp = role === 'controlplane';
  const { values: more, failures: second } = await gather({
    StaticPodStatuses: () => (cp ? client.evidence.staticPodStatuses(node) : Promise.resolve(null)),
    EtcdMemberList: () => (cp ? client.etcdMembers(node) : Promise.resolve(null)),
    EtcdStatus: () => (cp ? client.etcdStatus(node) : Promise.resolve(null)),
    EtcdAlarmList: () => (cp ? client.etcdAlarms(node) : Promise.resolve(null)),
    MachineConfig: () =>
      admin ? client.getResource(node, 'config', 'MachineConfigs.config.talos.dev', 'v1alpha1') : Promise.resolve(null),
    Logs: async () => {
      const logs: Record<string, string[]> = {};
      await Promise.all(
        logIds.map(async (id) => {
          try {
            logs[id] = await readLog(client, node, id);
          } catch (error) {
            note(`Logs ${id}`, error);
          }
        }),
      );
      return logs;
    },
  }).catch(() => ({ values: null, failures: [] as CallFailure[] }));
  failures.push(...second);
  const config = more?.MachineConfig
    ? typeof more.MachineConfig.spec === 'string'
      ? more.MachineConfig.spec
      : more.MachineConfig.yaml
    : null;

  return {
    node,
    answered: true,
    hostname: v.Hostname,
    role,
    version,
    services: v.ServiceList,
    machineStatus: v.MachineStatus,
    timeStatus: v.TimeStatus,
    staticPods: more?.StaticPodStatuses ?? null,
    nodeStatuses: v.NodeStatuses,
    diagnostics: v.Diagnostics,
    memory: v.Memory,
    load: v.LoadAvg,
    cpus: v.SystemStat?.cpus ?? null,
    mounts: v.Mounts,
    etcd: cp && more ? { members: more.EtcdMemberList, status: more.EtcdStatus, alarms: more.EtcdAlarmList } : null,
    dmesg: v.Dmesg,
    logs: more?.Logs ?? {},
    config,
    failures,
  };
}

/** A node that did not answer: nothing known, and why. */
export function emptyEvidence(node: string, failures: CallFailure[]): NodeEvidence {
  return {
    node,
    answered: false,
    hostname: null,
    role: 'unknown',
    version: null,
    services: null,
    machineStatus: null,
    timeStatus: null,
    staticPods: null,
    nodeStatuses: null,
    diagnostics: null,
    memory: null,
    load: null,
    cpus: null,
    mounts: null,
    etcd: null,
    dmesg: null,
    logs: {},
    config: null,
    failures,
  };
}
