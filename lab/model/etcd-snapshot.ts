import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { Rng } from '../rng';
import { PAGE_SIZE, buildBbolt, withSnapshotHash, type Bucket } from './bbolt';
import { formatMemberId, type EtcdCluster } from './etcd-cluster';
import type { LabNode } from './node';

/** `revision` as etcd's key bucket stores it: 8 bytes big-endian main, `_`, 8 bytes sub. */
export function revisionKey(main: number, sub = 0): Buffer {
  const key = Buffer.alloc(17);
  key.writeBigUInt64BE(BigInt(main), 0);
  key.write('_', 8);
  key.writeBigUInt64BE(BigInt(sub), 9);
  return key;
}

/** mvccpb.KeyValue {key=1, create_revision=2, mod_revision=3, version=4, value=5}. */
function keyValue(key: string, create: number, mod: number, version: number, value: Buffer): Buffer {
  const w = new BinaryWriter();
  w.uint32(10).bytes(Buffer.from(key));
  w.uint32(16).int64(create);
  w.uint32(24).int64(mod);
  w.uint32(32).int64(version);
  if (value.length) w.uint32(42).bytes(value);
  return Buffer.from(w.finish());
}

const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};

/** The Kubernetes objects a small Talos cluster keeps in etcd (secrets encrypted with secretbox, as Talos sets up). */
function objectKeys(cluster: EtcdCluster, nodes: LabNode[]): string[] {
  const keys = [
    '/registry/namespaces/default',
    '/registry/namespaces/kube-system',
    '/registry/namespaces/kube-public',
    '/registry/namespaces/kube-node-lease',
    '/registry/services/specs/default/kubernetes',
    '/registry/services/specs/kube-system/kube-dns',
    '/registry/services/endpoints/default/kubernetes',
    '/registry/serviceaccounts/kube-system/coredns',
    '/registry/serviceaccounts/kube-system/kube-proxy',
    '/registry/serviceaccounts/kube-system/flannel',
    '/registry/configmaps/kube-system/coredns',
    '/registry/configmaps/kube-system/kube-proxy',
    '/registry/configmaps/kube-system/kubeadm-config',
    '/registry/daemonsets/kube-system/kube-proxy',
    '/registry/daemonsets/kube-system/kube-flannel',
    '/registry/deployments/kube-system/coredns',
    '/registry/secrets/kube-system/bootstrap-token-abcdef',
    '/registry/clusterroles/system:talos:admin',
    '/registry/clusterrolebindings/system:talos:admin',
    '/registry/priorityclasses/system-cluster-critical',
    '/registry/priorityclasses/system-node-critical',
  ];
  for (const n of nodes) {
    keys.push(`/registry/minions/${n.id.hostname}`, `/registry/leases/kube-node-lease/${n.id.hostname}`);
    for (const c of n.k8sContainers()) keys.push(`/registry/pods/${c.pod}`);
  }
  for (const m of cluster.members) keys.push(`/registry/leases/kube-system/apiserver-${formatMemberId(m.id).slice(0, 12)}`);
  return [...new Set(keys)].sort();
}

function objectValue(key: string, rng: Rng): Buffer {
  if (key.startsWith('/registry/secrets/')) {
    // Talos encrypts secrets at rest with secretbox (cluster.secretboxEncryptionSecret).
    const sealed = Buffer.alloc(96);
    for (let i = 0; i < sealed.length; i++) sealed[i] = rng.int(0, 255);
    return Buffer.concat([Buffer.from('k8s:enc:secretbox:v1:key1:'), sealed]);
  }
  const kind = key.split('/')[2] ?? 'object';
  return Buffer.concat([
    Buffer.from([0x6b, 0x38, 0x73, 0x00]),
    Buffer.from(`\n\u000b\n\u0002v1\u0012\u0005${kind}\u0012`),
    Buffer.from(key),
  ]);
}

/** What the MVCC store holds at `revision`: every key's latest version plus the recent history not yet compacted. */
export function etcdBuckets(cluster: EtcdCluster, nodes: LabNode[], revision: number, seed: number): Bucket[] {
  const rng = new Rng(seed);
  const keys = objectKeys(cluster, nodes);
  const history = Math.min(400, Math.max(0, revision - keys.length - 1));
  const compacted = revision - history;
  const entries: [Buffer, Buffer][] = [];
  const versions = new Map<string, { create: number; version: number }>();
  keys.forEach((key, i) => {
    const rev = 1 + Math.floor(((compacted - 1) * i) / keys.length);
    versions.set(key, { create: rev, version: 1 });
    entries.push([revisionKey(rev), keyValue(key, rev, rev, 1, objectValue(key, rng))]);
  });
  const busy = keys.filter((k) => k.includes('/leases/') || k.includes('/endpoints/'));
  for (let rev = compacted + 1; rev <= revision; rev++) {
    const key = rng.pick(busy.length ? busy : keys);
    const state = versions.get(key)!;
    state.version += 1;
    entries.push([revisionKey(rev), keyValue(key, state.create, rev, state.version, objectValue(key, rng))]);
  }
  return [
    { name: 'alarm', entries: cluster.alarms.map((a, i) => [Buffer.from(`${a.memberId}-${i}`), Buffer.from(a.alarm)]) },
    {
      name: 'auth',
      entries: [
        [Buffer.from('authEnabled'), Buffer.from([0])],
        [Buffer.from('authRevision'), u64(1)],
      ],
    },
    { name: 'authRoles', entries: [] },
    { name: 'authUsers', entries: [] },
    { name: 'cluster', entries: [[Buffer.from('clusterVersion'), Buffer.from('3.6.0')]] },
    { name: 'key', entries },
    { name: 'lease', entries: [] },
    {
      name: 'members',
      entries: cluster.members.map((m) => [
        Buffer.from(BigInt(m.id).toString(16)),
        Buffer.from(JSON.stringify({ id: BigInt(m.id).toString(16), peerURLs: [`https://${m.node.id.ip}:2380`], isLearner: m.isLearner })),
      ]),
    },
    { name: 'members_removed', entries: [] },
    {
      name: 'meta',
      entries: [
        [Buffer.from('consistent_index'), u64(revision * 3 + 17)],
        [Buffer.from('finishedCompactRev'), revisionKey(compacted)],
        [Buffer.from('scheduledCompactRev'), revisionKey(compacted)],
        [Buffer.from('storageVersion'), Buffer.from('3.6.0')],
        [Buffer.from('term'), u64(cluster.raftTerm)],
      ],
    },
  ];
}

/** The snapshot EtcdSnapshot streams: the member's whole database file (its DB size) and its SHA-256. */
export function etcdSnapshot(cluster: EtcdCluster, nodes: LabNode[], member: LabNode, revision: number): Buffer {
  const m = cluster.member(member);
  const pages = Math.ceil((m?.dbSize ?? PAGE_SIZE * 16) / PAGE_SIZE);
  const seed = parseInt(member.machineId.slice(0, 8), 16);
  return withSnapshotHash(buildBbolt(etcdBuckets(cluster, nodes, revision, seed), pages, revision));
}

/** The member's database file as /var/lib/etcd/member/snap/db holds it (no trailer), or an empty one. */
export function memberDatabase(node: LabNode): Buffer {
  const etcd = node.etcd;
  if (!etcd?.member(node)) return buildBbolt([], 16, 1);
  const revision = Math.floor(etcd.statusOf(node, node.now())!.raftIndex * 0.6);
  const snapshot = etcdSnapshot(etcd, [...new Set(etcd.members.map((m) => m.node))], node, revision);
  return snapshot.subarray(0, snapshot.length - 32);
}
