import { SCENARIO_KINDS, defaultScenarioNode, type ScenarioKind } from '../../shared/domain/lab-scenarios';
import type { LabNode } from '../model/node';
import { stageCrashLoop } from './crashloop';
import { stageDiskFull, stageKernelOom, stageNotReady, stageTimeUnsynced } from './conditions';
import { stageDrift } from './drift';
import { stageEtcdNoSpace } from './etcd-nospace';

export { SCENARIO_KINDS, type ScenarioKind };

export interface ScenarioRequest {
  kind: ScenarioKind;
  /** IP or hostname; omitted = the scenario's default node (see `defaultNode`). */
  node?: string;
  /** crashloop only: the service that crashes (default kubelet). */
  service?: string;
  /** History written before now (crash cycles, an earlier OOM kill). Startup scenarios default to 10 minutes. */
  backfillMs?: number;
}

export interface StagedScenario {
  kind: ScenarioKind;
  node: { ip: string; hostname: string };
  /** crashloop: the service that crashes. */
  service?: string;
  /** What a trainee should find, in one sentence. */
  summary: string;
  /** Where the evidence is, as talosctl would look (without --context/-n). */
  evidence: string[];
  since: number;
  /** Heals the condition (history already written stays, as on a real node). */
  clear(): void;
}

const DESCRIPTIONS: Record<ScenarioKind, (r: ScenarioRequest) => { summary: string; evidence: string[] }> = {
  crashloop: (r) => ({
    summary: `${r.service ?? 'kubelet'} exits with code 1 every 15 s and Talos restarts it forever`,
    evidence: [`service ${r.service ?? 'kubelet'}`, 'events', `logs ${r.service ?? 'kubelet'}`, 'get machinestatus'],
  }),
  'etcd-nospace': () => ({
    summary: 'etcd hit its 2 GiB backend quota and raised the NOSPACE alarm; writes are refused',
    evidence: ['etcd alarm list', 'etcd status', 'logs etcd'],
  }),
  'time-unsynced': () => ({
    summary: 'the node cannot reach its time server: TimeStatus synced=false and the clock is 47 s ahead',
    evidence: ['get timestatus', 'get machinestatus', 'time', 'logs controller-runtime'],
  }),
  'disk-full': () => ({
    summary: '/var (EPHEMERAL) is 98.6 % full and the kubelet is evicting pods',
    evidence: ['mounts', 'logs kubelet'],
  }),
  'not-ready': () => ({
    summary: 'the Kubernetes node is NotReady (PLEG is not healthy), so MachineStatus is not ready',
    evidence: ['get nodestatus', 'get machinestatus', 'logs kubelet'],
  }),
  'kernel-oom': () => ({
    summary: 'the kernel OOM killer killed a java process; memory is nearly exhausted',
    evidence: ['dmesg', 'memory'],
  }),
  drift: () => ({
    summary: "this node's machine config has a sysctl and a kubelet flag the other nodes of its role lack",
    evidence: ['get machineconfig v1alpha1 -o yaml'],
  }),
};

/** The node a scenario picks when none is named: etcd on the first control plane, drift on the last node of a role with two. */
export function defaultNode(kind: ScenarioKind, nodes: LabNode[]): LabNode {
  const picked = defaultScenarioNode(
    kind,
    nodes.map((n) => ({ node: n, type: n.id.type })),
  )?.node;
  if (picked) return picked;
  if (kind === 'etcd-nospace') throw new Error('etcd-nospace needs a control plane');
  throw new Error('drift needs two nodes of one role (e.g. --nodes 3 gives two workers)');
}

/** Stages a scenario on the lab's nodes and returns how to find and heal it. */
export function stageScenario(nodes: LabNode[], request: ScenarioRequest): StagedScenario {
  if (!SCENARIO_KINDS.includes(request.kind))
    throw new Error(`unknown scenario "${String(request.kind)}" (choose one of ${SCENARIO_KINDS.join(', ')})`);
  const node = request.node
    ? nodes.find((n) => n.id.ip === request.node || n.id.hostname === request.node)
    : defaultNode(request.kind, nodes);
  if (!node) throw new Error(`no lab node "${request.node}" (nodes: ${nodes.map((n) => n.id.hostname).join(', ')})`);
  if (request.kind === 'drift' && nodes.filter((n) => n.id.type === node.id.type).length < 2)
    throw new Error(`drift needs another ${node.id.type} to differ from; ${node.id.hostname} is the only one`);
  const backfillMs = request.backfillMs ?? 0;
  const clear = {
    crashloop: () => stageCrashLoop(node, request.service ?? 'kubelet', backfillMs),
    'etcd-nospace': () => stageEtcdNoSpace(node),
    'time-unsynced': () => stageTimeUnsynced(node),
    'disk-full': () => stageDiskFull(node),
    'not-ready': () => stageNotReady(node),
    'kernel-oom': () => stageKernelOom(node, backfillMs),
    drift: () => stageDrift(node),
  }[request.kind]();
  let cleared = false;
  return {
    kind: request.kind,
    node: { ip: node.id.ip, hostname: node.id.hostname },
    ...(request.kind === 'crashloop' ? { service: request.service ?? 'kubelet' } : {}),
    ...DESCRIPTIONS[request.kind](request),
    since: node.now(),
    clear() {
      if (cleared) return;
      cleared = true;
      clear();
    },
  };
}

/** `KIND[=SERVICE][@NODE]` (NODE an IP or hostname; SERVICE for crashloop), as the CLI's --scenario takes it. */
export function parseScenarioArg(arg: string): ScenarioRequest {
  const match = /^([a-z-]+)(?:=([\w-]+))?(?:@([\w.:-]+))?$/.exec(arg);
  const kind = match?.[1] ?? arg;
  if (!match || !SCENARIO_KINDS.includes(kind as ScenarioKind))
    throw new Error(`--scenario ${arg}: expected KIND[=SERVICE][@NODE] with KIND one of ${SCENARIO_KINDS.join(', ')}`);
  if (match[2] && kind !== 'crashloop') throw new Error(`--scenario ${arg}: only crashloop takes =SERVICE`);
  return { kind: kind as ScenarioKind, ...(match[2] ? { service: match[2] } : {}), ...(match[3] ? { node: match[3] } : {}) };
}
