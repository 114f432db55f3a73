import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { relabelForOpenSsl } from '../certs/pem';
import { createCa, issueClientCert, issueServerCert, type KeyType, type LeafOptions, type Minted } from '../certs/pki';
import { b64, stringifyTalosconfig, type Talosconfig } from '../certs/talosconfig';
import { LabNode, type MachineType } from './model/node';
import { putMembers } from './model/node-resources';
import { EtcdCluster } from './model/etcd-cluster';
import { apidRequestLine } from './model/log-formats';
import { Rng } from './rng';
import { armedFaults, clearFaults, injectFault, type FaultKind, type FaultRequest, type InjectedFault } from './faults';
import { powerOn } from './server/sequences';
import { stageScenario, type ScenarioKind, type ScenarioRequest, type StagedScenario } from './scenarios';
import { startApid } from './server/apid';
import type { Router } from './server/call-context';

export interface LabOptions {
  port?: number;
  /** A loopback address to listen on (127.0.0.1 unless a test needs another). */
  host?: string;
  nodes?: number;
  controlPlanes?: number;
  cluster?: string;
  /** Where to write the talosconfig; omit to keep it in memory only. */
  talosconfigPath?: string;
  logRate?: number;
  /** Simulated network round trip added to every call (ms), like a cluster far away. */
  latencyMs?: number;
  seed?: number;
  now?: () => number;
  /** Practice scenarios staged at start, with 10 minutes of history unless a request says otherwise. */
  scenarios?: (ScenarioKind | ScenarioRequest)[];
  /** Faults armed at start (they strike at each node's next boot unless `now`). */
  faults?: FaultRequest[];
}

export interface Lab {
  endpoint: string;
  port: number;
  cluster: string;
  nodes: LabNode[];
  talosconfig: string;
  talosconfigPath: string | null;
  ca: Minted;
  /** The control planes' etcd cluster (members, leader, DB sizes, quota, alarms). */
  etcd: EtcdCluster;
  /** Mints another client identity signed by the lab CA (for tests of roles, key types and validity). */
  issueClient(roles: string[], options?: LeafOptions & { keyType?: KeyType }): Promise<Minted>;
  node(target: string): LabNode;
  setUnreachable(target: string, unreachable: boolean): void;
  setDelay(target: string, ms: number): void;
  dropStreams(target: string): void;
  /** Makes a node answer a method (like `Hostname` or `EtcdAlarmList`) with Unimplemented, as an older Talos does; `false` restores it. */
  setMissingMethod(target: string, method: string, missing: boolean): void;
  setLogRate(linesPerSecond: number, target?: string, logId?: string): void;
  /** Stages a practice scenario on the running lab (history starts now unless `backfillMs` is given). */
  stage(scenario: ScenarioKind | ScenarioRequest): StagedScenario;
  /** Scenarios staged and not cleared. */
  scenarios(): StagedScenario[];
  /** Heals every staged scenario, or those `which` picks; returns how many were healed. */
  clearScenarios(which?: (scenario: StagedScenario) => boolean): number;
  /** Arms a fault for rolling operations (never-returns, service-unhealthy, etcd-no-leader). */
  injectFault(request: FaultRequest): InjectedFault;
  /** Disarms and heals the faults of one node (or all): health checks pass again, a node kept dark boots. */
  clearFaults(target?: string): void;
  /** Faults armed or struck, per node. */
  faults(): { node: string; kind: FaultKind; service: string; struck: boolean }[];
  /** Boots a node that is down after a shutdown. */
  powerOn(target: string): void;
  refusedConnections: string[];
  stop(): Promise<void>;
}

export function nodeLayout(count: number, controlPlanes: number, cluster: string): { ip: string; hostname: string; type: MachineType }[] {
  const out: { ip: string; hostname: string; type: MachineType }[] = [];
  for (let i = 0; i < count; i++) {
    const cp = i < controlPlanes;
    const n = cp ? i + 1 : i - controlPlanes + 1;
    const third = Math.floor((i + 2) / 250);
    out.push({
      ip: `10.5.${third}.${((i + 2) % 250) + (third ? 0 : 0)}`,
      hostname: `${cluster}-${cp ? 'controlplane' : 'worker'}-${n}`,
      type: cp ? 'controlplane' : 'worker',
    });
  }
  return out;
}

/** Starts a practice cluster: an apid-like endpoint on 127.0.0.1 over real mTLS, with simulated nodes behind it. */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const cluster = options.cluster ?? 'lab';
  const count = options.nodes ?? 3;
  const controlPlanes = Math.min(options.controlPlanes ?? 1, count);
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.now;
  const rng = new Rng(seed);
  const layout = nodeLayout(count, controlPlanes, cluster);
  const endpointIp = layout[0]?.ip ?? '10.5.0.2';
  if (options.host && !options.host.startsWith('127.'))
    throw new Error(`The practice cluster listens on loopback only, not ${options.host}.`);
  const nodes = layout.map(
    (l, index) => new LabNode({ ...l, cluster, index, endpointIp }, seed * 7919 + index, now, options.logRate ?? 20),
  );
  for (const node of nodes) node.faults.delayMs = options.latencyMs ?? 0;
  const etcd = new EtcdCluster(nodes.filter((n) => n.id.type === 'controlplane'));
  for (const node of nodes) node.boot(rng.int(2, 30) * 3_600_000 + rng.int(0, 3_599_999));
  putMembers(nodes);
  const staged: StagedScenario[] = [];
  const stage = (scenario: ScenarioKind | ScenarioRequest, backfillMs = 0) => {
    const request = typeof scenario === 'string' ? { kind: scenario } : scenario;
    const result = stageScenario(nodes, { backfillMs, ...request });
    staged.push(result);
    return result;
  };
  const findNode = (target: string) => {
    const found = nodes.find((n) => n.id.ip === target || n.id.hostname === target);
    if (!found) throw new Error(`no lab node "${target}" (nodes: ${nodes.map((n) => n.id.hostname).join(', ')})`);
    return found;
  };
  // Every node lists every member; an upgraded node's Member shows its new version once it has booted.
  for (const n of nodes) n.bootHooks.add(() => putMembers(nodes));
  // Staged before apid listens, so a scenario or fault that cannot apply fails startLab cleanly.
  try {
    for (const scenario of options.scenarios ?? []) stage(scenario, 600_000);
    for (const fault of options.faults ?? []) injectFault(findNode(fault.node), fault);
  } catch (error) {
    for (const n of nodes) n.stop();
    throw error;
  }

  const ca = await createCa();
  const server = await issueServerCert(
    ca,
    `${cluster}-controlplane-1`,
    ['127.0.0.1', '::1', ...layout.filter((l) => l.type === 'controlplane').map((l) => l.ip)],
    ['localhost', `${cluster}-controlplane-1`],
  );
  // Every call looks its node up by address or name: a map, not a scan of all nodes (identities never change).
  const byTarget = new Map<string, LabNode>();
  for (const n of nodes) {
    if (!byTarget.has(n.id.ip)) byTarget.set(n.id.ip, n);
    if (!byTarget.has(n.id.hostname)) byTarget.set(n.id.hostname, n);
  }
  const router: Router = {
    osCa: ca,
    endpointNode: () => nodes[0]!,
    find: (target) => byTarget.get(target),
    all: () => nodes,
  };
  const refusedConnections: string[] = [];
  const apidRng = new Rng(seed + 1);
  const { server: grpcServer, port } = await startApid({
    caPem: ca.certPem,
    serverCertPem: server.certPem,
    serverKeyPem: relabelForOpenSsl(server.keyPem),
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    router,
    hooks: {
      onCall: (_node, method, code, roles) =>
        nodes[0]?.logs.get('apid')?.buffer.append([apidRequestLine(now(), apidRng, method, code, roles)]),
    },
    onRefused: (reason) => refusedConnections.push(reason),
  });
  const endpoint = `${options.host ?? '127.0.0.1'}:${port}`;

  const clients = await Promise.all(['os:admin', 'os:operator', 'os:reader'].map((role) => issueClientCert(ca, [role])));
  const config: Talosconfig = { context: `admin@${cluster}`, contexts: {} };
  const ips = nodes.map((n) => n.id.ip);
  ['admin', 'operator', 'reader'].forEach((name, i) => {
    const client = clients[i]!;
    config.contexts[`${name}@${cluster}`] = {
      endpoints: [endpoint],
      nodes: [...ips],
      ca: b64(ca.certPem),
      crt: b64(client.certPem),
      key: b64(client.keyPem),
    };
  });
  const talosconfig = stringifyTalosconfig(config);
  let talosconfigPath: string | null = null;
  if (options.talosconfigPath) {
    talosconfigPath = path.resolve(options.talosconfigPath);
    await mkdir(path.dirname(talosconfigPath), { recursive: true });
    await writeFile(talosconfigPath, talosconfig, { mode: 0o600 });
  }

  const node = (target: string) => {
    const found = router.find(target);
    if (!found) throw new Error(`no lab node ${target}`);
    return found;
  };

  return {
    endpoint,
    port,
    cluster,
    nodes,
    talosconfig,
    talosconfigPath,
    ca,
    etcd,
    refusedConnections,
    issueClient: (roles, opts = {}) => issueClientCert(ca, roles, opts),
    node,
    setUnreachable(target, unreachable) {
      const n = node(target);
      n.faults.unreachable = unreachable;
      if (unreachable) n.cutStreams('node unreachable');
    },
    setDelay: (target, ms) => (node(target).faults.delayMs = ms),
    dropStreams: (target) => node(target).cutStreams('stream dropped by fault injection'),
    setMissingMethod(target, method, missing) {
      const set = node(target).faults.missingMethods;
      if (missing) set.add(method);
      else set.delete(method);
    },
    setLogRate(rate, target, logId) {
      for (const n of target ? [node(target)] : nodes) {
        for (const [id, source] of n.logs) {
          if (logId && id !== logId) continue;
          n.catchUp(source);
          source.rate = rate;
        }
      }
    },
    stage: (scenario) => stage(scenario),
    scenarios: () => [...staged],
    clearScenarios(which = () => true) {
      const healed = staged.filter(which);
      for (const s of healed) {
        staged.splice(staged.indexOf(s), 1);
        s.clear();
      }
      return healed.length;
    },
    injectFault: (request) => injectFault(findNode(request.node), request),
    clearFaults(target) {
      for (const n of target ? [findNode(target)] : nodes) clearFaults(n);
    },
    faults: () => nodes.flatMap((n) => armedFaults(n).map((f) => ({ node: n.id.hostname, ...f }))),
    powerOn(target) {
      const n = findNode(target);
      if (n.sequence === 'shutdown') n.powerOnRequested = true;
      else if (n.down && !n.sequence) powerOn(n);
    },
    async stop() {
      for (const n of nodes) n.stop();
      await new Promise<void>((resolve) => grpcServer.tryShutdown(() => resolve()));
      grpcServer.forceShutdown();
      // Its keys (admin among them) are of no use once the cluster is gone, and must not linger on disk.
      if (talosconfigPath) await rm(talosconfigPath, { force: true });
    },
  };
}
