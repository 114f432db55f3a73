import * as grpc from '@grpc/grpc-js';
import { EtcdMemberAlarm_AlarmType as AlarmType, type EtcdMember, type EtcdMemberStatus } from '../../proto/gen/machine/machine';
import type { EtcdCluster } from '../model/etcd-cluster';
import type { LabNode } from '../model/node';
import { GrpcError, requireControlPlane } from './call-context';

/** The local etcd client Talos opens on a control plane; it fails while etcd does not run there. */
function localEtcd(node: LabNode): EtcdCluster {
  requireControlPlane(node, 'etcd');
  const etcd = node.etcd;
  if (!etcd || node.services.get('etcd')?.state !== 'Running')
    throw new GrpcError(grpc.status.UNKNOWN, 'failed to create etcd client: dial tcp 127.0.0.1:2379: connect: connection refused');
  return etcd;
}

/** EtcdMemberList (talosctl sends query_local=true, a serializable read answered from the local member). */
export function etcdMemberList(node: LabNode): { legacyMembers: string[]; members: EtcdMember[] } {
  const etcd = localEtcd(node);
  return {
    legacyMembers: [],
    members: etcd.members.map((m) => ({
      id: m.id,
      hostname: m.node.id.hostname,
      peerUrls: [`https://${m.node.id.ip}:2380`],
      clientUrls: [`https://${m.node.id.ip}:2379`],
      isLearner: m.isLearner,
    })),
  };
}

export function etcdStatus(node: LabNode): EtcdMemberStatus {
  const status = localEtcd(node).statusOf(node, node.now())!;
  return {
    ...status,
    dbSize: String(status.dbSize),
    dbSizeInUse: String(status.dbSizeInUse),
    raftIndex: String(status.raftIndex),
    raftTerm: String(status.raftTerm),
    raftAppliedIndex: String(status.raftAppliedIndex),
  };
}

/** Alarms are cluster state: every member lists all of them; the request goes through raft, so it needs a leader. */
export function etcdAlarmList(node: LabNode): { memberId: string; alarm: AlarmType }[] {
  const etcd = localEtcd(node);
  if (node.faults.etcdNoLeader || etcd.leader() === '0') throw new GrpcError(grpc.status.UNKNOWN, 'etcdserver: no leader');
  return etcd.alarms.map((a) => ({ memberId: a.memberId, alarm: a.alarm === 'NOSPACE' ? AlarmType.NOSPACE : AlarmType.CORRUPT }));
}
