import * as grpc from '@grpc/grpc-js';
import {
  EtcdMemberAlarm_AlarmType as AlarmType,
  type BootstrapRequest,
  type EtcdRemoveMemberByIDRequest,
  type MachineServiceServer,
} from '../../proto/gen/machine/machine';
import type { EtcdCluster } from '../model/etcd-cluster';
import { etcdDataDir, isWaitingToJoin, joinEtcd, setEtcdDataDir } from '../model/etcd-membership';
import { etcdSnapshot } from '../model/etcd-snapshot';
import type { LabNode } from '../model/node';
import { GrpcError, requireControlPlane, sleep, type Router } from './call-context';
import { chunked, type ApidHooks } from './handler-kit';
import { data, machineKit } from './machine-kit';

/** How long simulated maintenance takes (tests shorten it). */
export const etcdTimings = { defragMs: 300, stepMs: 150 };

/** The local etcd client: control planes only, and only while etcd runs there. */
function localEtcd(node: LabNode): EtcdCluster {
  requireControlPlane(node, 'etcd');
  if (!node.etcd || node.services.get('etcd')?.state !== 'Running')
    throw new GrpcError(grpc.status.UNKNOWN, 'failed to create etcd client: dial tcp 127.0.0.1:2379: connect: connection refused');
  return node.etcd;
}

/**
 * MemberRemove with etcd's strict reconfiguration check: the started members left must still form a quorum
 * of the members left (so the last member cannot go).
 */
function removeMember(etcd: EtcdCluster, id: string): LabNode {
  const at = etcd.members.findIndex((m) => m.id === id);
  if (at < 0) throw new GrpcError(grpc.status.NOT_FOUND, 'etcdserver: member not found');
  const rest = etcd.members.filter((m, i) => i !== at && !m.isLearner);
  const started = rest.filter((m) => m.node.reachable && m.node.services.get('etcd')?.state === 'Running').length;
  if (rest.length === 0 || started * 2 <= rest.length)
    throw new GrpcError(grpc.status.FAILED_PRECONDITION, 'etcdserver: re-configuration failed due to not enough started members');
  return etcd.members.splice(at, 1)[0]!.node;
}

function stopEtcd(node: LabNode, message: string, end: 'Finished' | 'Failed'): void {
  node.setServiceState('etcd', 'Stopping', end === 'Finished' ? 'Service stopping' : message);
  node.after(etcdTimings.stepMs, () => node.setServiceState('etcd', end, end === 'Finished' ? 'Service finished successfully' : message));
}

/** etcd maintenance and Bootstrap as Talos serves them: control planes only, roles per the RBAC table. */
export function etcdMaintenanceHandlers(router: Router, hooks: ApidHooks): Partial<MachineServiceServer> {
  const kit = machineKit(router, hooks);
  const done = { messages: [{ metadata: undefined }] };
  return {
    etcdSnapshot: kit.stream('EtcdSnapshot', async (node, _req, _ctx, send, signal) => {
      const etcd = localEtcd(node);
      const revision = Math.floor(etcd.statusOf(node, node.now())!.raftIndex * 0.6);
      const chunks: Buffer[] = [];
      chunked(etcdSnapshot(etcd, router.all(), node, revision), (b) => void chunks.push(b));
      for (let i = 0; i < chunks.length; i++) {
        if (signal.aborted) return;
        send(data(chunks[i]!));
        // Yield now and then so a large snapshot neither holds the event loop nor ignores a cancel.
        if (i % 256 === 255) await new Promise((resolve) => setImmediate(resolve));
      }
    }),
    etcdDefragment: kit.unary('EtcdDefragment', async (node) => {
      const etcd = localEtcd(node);
      await sleep(etcdTimings.defragMs);
      etcd.defragment(node);
      return done;
    }),
    etcdAlarmDisarm: kit.unary('EtcdAlarmDisarm', (node) => {
      const etcd = localEtcd(node);
      if (node.faults.etcdNoLeader || etcd.leader() === '0') throw new GrpcError(grpc.status.UNKNOWN, 'etcdserver: no leader');
      const disarmed = etcd.disarmAll().map((a) => ({
        memberId: a.memberId,
        alarm: a.alarm === 'NOSPACE' ? AlarmType.NOSPACE : AlarmType.CORRUPT,
      }));
      return { messages: [{ metadata: undefined, memberAlarms: disarmed }] };
    }),
    etcdForfeitLeadership: kit.unary('EtcdForfeitLeadership', (node) => {
      const next = localEtcd(node).transferLeadership(node);
      return { messages: [{ metadata: undefined, member: next ? next.id.hostname : '' }] };
    }),
    etcdLeaveCluster: kit.unary('EtcdLeaveCluster', (node) => {
      requireControlPlane(node, 'etcd');
      const member = node.etcd?.member(node);
      // A member already gone is fine: Talos then only stops etcd and empties /var/lib/etcd.
      if (member) removeMember(node.etcd!, member.id);
      if (node.services.get('etcd')?.state === 'Running') stopEtcd(node, 'Service stopping', 'Finished');
      setEtcdDataDir(node, 'empty');
      node.logs.get('machined')?.buffer.append(['[talos] etcd: left the cluster and emptied /var/lib/etcd']);
      return done;
    }),
    etcdRemoveMemberById: kit.unary('EtcdRemoveMemberById', (node, req: EtcdRemoveMemberByIDRequest) => {
      const removed = removeMember(localEtcd(node), req.memberId);
      // The removed member's etcd learns it was removed and exits; its data stays until a leave or reset.
      if (removed.services.get('etcd')?.state === 'Running')
        stopEtcd(
          removed,
          'Error running Containerd(etcd), going to restart forever: the member has been permanently removed from the cluster',
          'Failed',
        );
      return done;
    }),
    bootstrap: kit.unary('Bootstrap', (node, req: BootstrapRequest) => {
      requireControlPlane(node, 'bootstrap');
      if (!node.health.timeSynced) throw new GrpcError(grpc.status.FAILED_PRECONDITION, 'time is not in sync yet');
      if (etcdDataDir(node) === 'member') throw new GrpcError(grpc.status.ALREADY_EXISTS, 'etcd data directory is not empty');
      if (!isWaitingToJoin(node)) throw new GrpcError(grpc.status.FAILED_PRECONDITION, 'bootstrap is not available yet');
      if (req.recoverEtcd) throw new GrpcError(grpc.status.FAILED_PRECONDITION, 'open /var/lib/etcd.snapshot: no such file or directory');
      node.logs.get('machined')?.buffer.append(['[talos] bootstrap request received']);
      joinEtcd(node, etcdTimings.stepMs);
      // The other control planes waiting to join find the new cluster shortly after.
      for (const other of router.all())
        if (other !== node && other.etcd === node.etcd && isWaitingToJoin(other))
          node.after(etcdTimings.stepMs * 3, () => joinEtcd(other, etcdTimings.stepMs));
      return done;
    }),
  };
}
