import { formatMemberId } from '../model/etcd-cluster';
import { isoNano } from '../model/log-formats';
import type { LabNode } from '../model/node';

/** A CRI log line holding a klog record: `<RFC3339Nano> stderr F E1129 04:51:02.123456       1 file.go:71] …`. */
function klogLine(node: LabNode, level: 'I' | 'W' | 'E', body: string): string {
  const iso = new Date(node.now()).toISOString();
  const header = `${level}${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 23)}${String(node.rng.int(0, 999)).padStart(3, '0')}`;
  return `${isoNano(node.now(), node.rng)} stderr F ${header}       1 ${body}`;
}

/**
 * etcd ran out of its backend quota: every member's DB is at the quota (2 GiB) with most of it free space that a
 * defragment would give back, and the member on `node` raised the NOSPACE alarm, which every control plane lists
 * (EtcdAlarmList) and reports in EtcdStatus.errors. etcd and kube-apiserver log the refused writes. The fix is
 * `talosctl etcd defrag` on each member, then `talosctl etcd alarm disarm`.
 */
export function stageEtcdNoSpace(node: LabNode): () => void {
  const etcd = node.etcd;
  const member = etcd?.member(node);
  if (!etcd || !member) throw new Error(`etcd-nospace needs a control plane; ${node.id.hostname} is a ${node.id.type}`);
  const before = etcd.members.map((m) => ({ m, dbSize: m.dbSize, dbSizeInUse: m.dbSizeInUse }));
  for (const m of etcd.members) {
    m.dbSize = etcd.quotaBytes + m.node.rng.int(4096, 1_200_000);
    m.dbSizeInUse = Math.round(etcd.quotaBytes * (0.36 + m.node.rng.next() * 0.04));
  }
  etcd.raiseAlarm(member.id, 'NOSPACE');
  let active = true;
  const hexId = formatMemberId(member.id);
  const etcdLog = node.logs.get('etcd');
  const line = (level: string, caller: string, msg: string, extra: Record<string, unknown>) =>
    JSON.stringify({ level, ts: isoNano(node.now(), node.rng).replace(/\d{3}Z$/, 'Z'), caller, msg, ...extra });
  etcdLog?.buffer.append([
    line('warn', 'etcdserver/server.go:2384', 'alarm raised', { alarm: 'NOSPACE', from: hexId }),
    line('warn', 'etcdserver/util.go:170', 'apply request took too long', {
      took: '1.2ms',
      'expected-duration': '100ms',
      prefix: '',
      request: 'header:<ID:7587883746539781378 > put:<key:"/registry/leases/kube-node-lease/lab" >',
      error: 'etcdserver: mvcc: database space exceeded',
    }),
  ]);
  const refuse = () => {
    if (!active) return;
    for (const m of etcd.members) {
      if (!m.node.reachable) continue;
      const apiserver = [...m.node.logs.entries()].find(([id]) => id.includes(':kube-apiserver:'))?.[1];
      apiserver?.buffer.append([klogLine(m.node, 'E', 'status.go:71] "Unhandled Error" err="etcdserver: mvcc: database space exceeded"')]);
    }
    node.after(10_000, refuse);
  };
  refuse();
  return () => {
    active = false;
    for (const { m, dbSize, dbSizeInUse } of before) Object.assign(m, { dbSize, dbSizeInUse });
    etcd.disarmAll();
  };
}
