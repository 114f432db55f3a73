import { ConnectRecord_State as State, ConnectRecord_TimerActive as Timer, type ConnectRecord } from '../../proto/gen/machine/machine';
import { Rng } from '../rng';
import type { LabNode } from './node';
import { containers, processes } from './node-stats';

/** Where the practice cluster's operator workstation appears to connect from. */
export const WORKSTATION_IP = '10.5.0.1';

/** Service users Talos runs its daemons as (everything else runs as root). */
const UID: Record<string, number> = { apid: 50, trustd: 51, etcd: 60 };

interface Socket {
  l4proto: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  local: [string, number];
  remote: [string, number];
  state: State;
  /** The command name as /proc/<pid>/comm has it; '' for kernel sockets and TIME_WAIT. */
  process: string;
  netns: string;
}

const ANY4: [string, number] = ['0.0.0.0', 0];
const ANY6: [string, number] = ['::', 0];

/** The netns name of a pod sandbox (the base name of its /var/run/netns path). */
export function podNetns(networkNamespace: string): string {
  return networkNamespace.slice(networkNamespace.lastIndexOf('/') + 1);
}

/**
 * The node's sockets, like /proc/net/{tcp,udp}{,6} of each namespace: the listeners of a Talos node
 * (apid 50000, trustd 50001, kubelet 10250, etcd 2379/2380, kube-apiserver 6443, KubePrism 7445, host DNS)
 * and the connections a running cluster keeps open between them.
 */
function sockets(node: LabNode, cluster: LabNode[]): Socket[] {
  const cp = node.id.type === 'controlplane';
  const ip = node.id.ip;
  const rng = new Rng(parseInt(node.machineId.slice(8, 16), 16));
  const eph = () => rng.int(32768, 60999);
  const listen = (l4proto: Socket['l4proto'], local: [string, number], process: string, netns = ''): Socket => ({
    l4proto,
    local,
    remote: l4proto.endsWith('6') ? ANY6 : ANY4,
    state: l4proto.startsWith('udp') ? State.CLOSE : State.LISTEN,
    process,
    netns,
  });
  const conn = (
    l4proto: Socket['l4proto'],
    local: [string, number],
    remote: [string, number],
    process: string,
    state = State.ESTABLISHED,
  ) => ({ l4proto, local, remote, state, process, netns: '' }) as Socket;
  const running = (id: string) => node.services.get(id)?.state === 'Running';

  const out: Socket[] = [];
  if (running('apid')) out.push(listen('tcp6', ['::', 50000], 'apid'));
  if (cp && running('trustd')) out.push(listen('tcp6', ['::', 50001], 'trustd'));
  if (cp && running('etcd')) out.push(listen('tcp6', ['::', 2379], 'etcd'), listen('tcp6', ['::', 2380], 'etcd'));
  if (cp) {
    out.push(
      listen('tcp6', ['::', 6443], 'kube-apiserver'),
      listen('tcp', ['127.0.0.1', 10257], 'kube-controller'),
      listen('tcp', ['127.0.0.1', 10259], 'kube-scheduler'),
    );
  }
  if (running('kubelet')) out.push(listen('tcp6', ['::', 10250], 'kubelet'), listen('tcp', ['127.0.0.1', 10248], 'kubelet'));
  out.push(
    listen('tcp', ['127.0.0.1', 7445], 'machined'),
    listen('tcp', ['127.0.0.53', 53], 'machined'),
    listen('udp', ['127.0.0.53', 53], 'machined'),
    listen('tcp', ['169.254.116.108', 53], 'machined'),
    listen('udp', ['169.254.116.108', 53], 'machined'),
    listen('tcp', ['127.0.0.1', 10249], 'kube-proxy'),
    listen('tcp6', ['::', 10256], 'kube-proxy'),
    listen('udp', ['0.0.0.0', 8472], ''),
  );
  if (running('containerd')) out.push(listen('tcp', ['127.0.0.1', eph()], 'containerd'));

  const controlPlanes = cluster.filter((n) => n.id.type === 'controlplane' && n !== node && n.reachable);
  const workers = cluster.filter((n) => n.id.type !== 'controlplane' && n !== node && n.reachable);
  const firstCp = cluster.find((n) => n.id.type === 'controlplane');
  // kubelet and kube-proxy reach the API server through KubePrism on 127.0.0.1:7445; KubePrism dials a control plane.
  for (const client of ['kubelet', 'kube-proxy']) {
    const port = eph();
    out.push(
      conn('tcp', ['127.0.0.1', port], ['127.0.0.1', 7445], client),
      conn('tcp', ['127.0.0.1', 7445], ['127.0.0.1', port], 'machined'),
    );
  }
  if (firstCp) out.push(conn('tcp', [ip, eph()], [firstCp.id.ip, 6443], 'machined'));
  if (cp) {
    for (const peer of controlPlanes) {
      out.push(conn('tcp', [ip, 2380], [peer.id.ip, eph()], 'etcd'), conn('tcp', [ip, eph()], [peer.id.ip, 2380], 'etcd'));
    }
    const port = eph();
    out.push(
      conn('tcp', ['127.0.0.1', port], ['127.0.0.1', 2379], 'kube-apiserver'),
      conn('tcp', ['127.0.0.1', 2379], ['127.0.0.1', port], 'etcd'),
    );
    for (const worker of workers) {
      out.push(conn('tcp', [ip, 6443], [worker.id.ip, eph()], 'kube-apiserver'));
      if (node === firstCp) out.push(conn('tcp', [ip, eph()], [worker.id.ip, 50000], 'apid'));
    }
    const lastWorker = workers[workers.length - 1];
    if (lastWorker) out.push(conn('tcp', [ip, 50001], [lastWorker.id.ip, eph()], '', State.TIME_WAIT));
  } else if (firstCp) {
    out.push(conn('tcp', [ip, 50000], [firstCp.id.ip, eph()], 'apid'));
  }
  if (node.id.index === 0) out.push(conn('tcp', [ip, 50000], [WORKSTATION_IP, eph()], 'apid'));

  // CoreDNS, the one pod here with its own network namespace.
  for (const c of node.k8sContainers().filter((c) => c.name === 'coredns')) {
    const netns = podNetns(`/var/run/netns/cni-${c.podId.slice(0, 8)}`);
    out.push(
      listen('tcp6', ['::', 53], 'coredns', netns),
      listen('udp6', ['::', 53], 'coredns', netns),
      listen('tcp6', ['::', 8080], 'coredns', netns),
      listen('tcp6', ['::', 8181], 'coredns', netns),
      listen('tcp6', ['::', 9153], 'coredns', netns),
    );
  }
  return out;
}

export interface NetstatQuery {
  filter: 'all' | 'connected' | 'listening';
  pid: boolean;
  l4proto: { tcp: boolean; tcp6: boolean; udp: boolean; udp6: boolean };
  hostnetwork: boolean;
  netns: string[];
  allnetns: boolean;
}

/** The namespaces a node has besides the host's (`/var/run/netns`). */
export function namedNetns(node: LabNode): string[] {
  return node
    .k8sContainers()
    .filter((c) => c.name === 'coredns')
    .map((c) => `cni-${c.podId.slice(0, 8)}`);
}

/** Netstat as Talos answers it: host sockets only with hostnetwork, no protocol selected = nothing. */
export function netstat(node: LabNode, cluster: LabNode[], q: NetstatQuery): ConnectRecord[] {
  const pids = new Map(processes(node).map((p) => [p.command, p.pid]));
  for (const c of containers(node, 'k8s.io')) if (c.status === 'CONTAINER_RUNNING' && !pids.has(c.name)) pids.set(c.name, c.pid);
  const rng = new Rng(parseInt(node.machineId.slice(16, 24), 16));
  return sockets(node, cluster)
    .filter((s) => (s.netns === '' ? q.hostnetwork : q.allnetns || q.netns.includes(s.netns)))
    .filter((s) => q.l4proto[s.l4proto])
    .filter((s) => {
      const listening = (s.remote[0] === '0.0.0.0' || s.remote[0] === '::') && s.remote[1] === 0;
      return q.filter === 'all' || (q.filter === 'listening' ? listening : !listening);
    })
    .map((s) => {
      const owned = s.process !== '' && s.state !== State.TIME_WAIT;
      const pid = pids.get(s.process) ?? 0;
      const established = s.state === State.ESTABLISHED;
      return {
        l4proto: s.l4proto,
        localip: s.local[0],
        localport: s.local[1],
        remoteip: s.remote[0],
        remoteport: s.remote[1],
        state: s.state,
        txqueue: '0',
        rxqueue: '0',
        tr: s.state === State.TIME_WAIT ? Timer.TIMEWAIT : established ? Timer.KEEPALIVE : Timer.OFF,
        timerwhen: established ? String(rng.int(100, 7_200_000)) : s.state === State.TIME_WAIT ? String(rng.int(100, 6000)) : '0',
        retrnsmt: '0',
        uid: UID[s.process] ?? 0,
        timeout: '0',
        inode: owned ? String(rng.int(10_000, 900_000)) : '0',
        ref: owned ? '1' : '0',
        // kernel.kptr_restrict=2 (KSPP) hides socket addresses from /proc/net.
        pointer: '0',
        process: q.pid && owned ? { pid, name: s.process } : undefined,
        netns: s.netns,
      };
    });
}
