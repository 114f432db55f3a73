import { memberDatabase } from './etcd-snapshot';
import type { LabNode } from './node';
import { runningMessage } from './service-catalog';

/** Whether a control plane's /var/lib/etcd holds a member's data (even a removed member's) or is empty. */
const dataDirs = new WeakMap<LabNode, 'member' | 'empty'>();

export function etcdDataDir(node: LabNode): 'member' | 'empty' {
  return dataDirs.get(node) ?? (node.etcd?.member(node) ? 'member' : 'empty');
}

export function setEtcdDataDir(node: LabNode, state: 'member' | 'empty'): void {
  dataDirs.set(node, state);
  if (state === 'empty') node.files.remove('/var/lib/etcd/member');
  else populateEtcdData(node);
}

/** /var/lib/etcd on a control plane with data: the bbolt database (as large as the member's DB) and a WAL. */
export function populateEtcdData(node: LabNode): void {
  if (node.id.type !== 'controlplane' || etcdDataDir(node) === 'empty') return;
  const f = node.files;
  f.dir('/var/lib/etcd', 0o700, node.bootTime);
  const size = () => {
    const m = node.etcd?.member(node);
    return Math.ceil((m?.dbSize ?? 4096 * 16) / 4096) * 4096;
  };
  f.file('/var/lib/etcd/member/snap/db', () => memberDatabase(node), 0o600, node.bootTime, size);
  f.file('/var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal', () => Buffer.alloc(2 * 1024 * 1024), 0o600, node.bootTime);
}

/** The pre-state message of an etcd that waits to be bootstrapped or to join. */
export function waitingToJoin(controlPlanes: LabNode[]): string {
  return `etcd is waiting to join the cluster, if this node is the first node in the cluster, please run \`talosctl bootstrap\` against one of the following IPs:\n[${controlPlanes.map((n) => n.id.ip).join(' ')}]`;
}

export function isWaitingToJoin(node: LabNode): boolean {
  const etcd = node.services.get('etcd');
  return etcd?.state === 'Preparing' && etcd.events[etcd.events.length - 1]?.msg.startsWith('etcd is waiting to join') === true;
}

/**
 * Puts the control planes where a fresh cluster is: no etcd members, empty data directories, every etcd
 * waiting for `talosctl bootstrap`.
 */
export function awaitBootstrap(controlPlanes: LabNode[]): void {
  const etcd = controlPlanes[0]?.etcd;
  etcd?.members.splice(0, etcd.members.length);
  for (const node of controlPlanes) {
    setEtcdDataDir(node, 'empty');
    node.setServiceState('etcd', 'Preparing', waitingToJoin(controlPlanes));
  }
}

/** Starts etcd on a node that joined (or bootstrapped) the cluster. */
export function joinEtcd(node: LabNode, stepMs: number): void {
  const etcd = node.etcd;
  const service = node.services.get('etcd');
  if (!etcd || !service || etcd.member(node)) return;
  etcd.members.push({ id: node.etcdMemberId, node, isLearner: false, dbSize: 4096 * 1500, dbSizeInUse: 4096 * 1100 });
  setEtcdDataDir(node, 'member');
  node.setServiceState('etcd', 'Running', runningMessage(service.def, service.pid));
  node.after(stepMs, () => node.setServiceState('etcd', 'Running', 'Health check successful', '', node.now(), { healthy: true }));
}
