import * as grpc from '@grpc/grpc-js';
import {
  MachineStatusEvent,
  MachineStatusEvent_MachineStage as Stage,
  ResetRequest_WipeMode as WipeMode,
  SequenceEvent,
  SequenceEvent_Action,
  TaskEvent,
  TaskEvent_Action,
  type MachineServiceServer,
  type ResetRequest,
} from '../../proto/gen/machine/machine';
import { disksOf, SYSTEM_PARTITIONS } from '../model/disks';
import { setEtcdDataDir } from '../model/etcd-membership';
import type { LabNode } from '../model/node';
import { updateMachineStatus } from '../model/node-resources';
import { GrpcError, type Router } from './call-context';
import type { ApidHooks } from './handler-kit';
import { reboot, timings } from './lifecycle';
import { machineKit } from './machine-kit';

/** Talos' checks on a ResetRequest, before anything happens (messages as machined words them). */
function validateReset(node: LabNode, req: ResetRequest): void {
  if (req.mode === WipeMode.SYSTEM_DISK && req.userDisksToWipe.length)
    throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'user disks wipe is not supported in SYSTEM_DISK wipe mode');
  if (req.mode === WipeMode.USER_DISKS && req.systemPartitionsToWipe.length)
    throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'system partitions wipe is not supported in USER_DISKS wipe mode');
  const disks = disksOf(node);
  for (const path of req.userDisksToWipe) {
    const disk = disks.find((d) => `/dev/${d.name}` === path);
    if (!disk) throw new GrpcError(grpc.status.INVALID_ARGUMENT, `failed to find disk "${path}"`);
    if (disk.system) throw new GrpcError(grpc.status.INVALID_ARGUMENT, `disk "${path}" is the system disk`);
    if (disk.readonly || disk.cdrom) throw new GrpcError(grpc.status.INVALID_ARGUMENT, `disk "${path}" is read-only`);
  }
  const labels = new Set<string>(SYSTEM_PARTITIONS.map((p) => p.label));
  for (const spec of req.systemPartitionsToWipe)
    if (!labels.has(spec.label)) throw new GrpcError(grpc.status.INVALID_ARGUMENT, `failed to find volume "${spec.label}"`);
}

function task(node: LabNode, name: string, action: TaskEvent_Action, actorId: string): void {
  node.publish('TaskEvent', TaskEvent.encode({ task: name, action }).finish(), actorId);
}

/**
 * The reset sequence: drain-free in the lab; graceful resets on a control plane leave etcd first; services stop,
 * the chosen disks are wiped, and the node reboots (or powers off). A node whose system disk was wiped boots into
 * maintenance mode with no config, where the cluster's client certificates no longer reach it: the lab keeps it down.
 */
function runReset(node: LabNode, req: ResetRequest, actorId: string): void {
  node.logs.get('machined')?.buffer.append([`[talos] reset request received. actor id: ${actorId}`]);
  node.publish(
    'SequenceEvent',
    SequenceEvent.encode({ sequence: 'reset', action: SequenceEvent_Action.START, error: undefined }).finish(),
    actorId,
  );
  node.stage = Stage.RESETTING;
  node.ready = false;
  node.publish(
    'MachineStatusEvent',
    MachineStatusEvent.encode({ stage: Stage.RESETTING, status: { ready: false, unmetConditions: [] } }).finish(),
    actorId,
  );
  updateMachineStatus(node);
  let at = timings.stepMs;
  if (req.graceful && node.id.type === 'controlplane' && node.etcd?.member(node)) {
    node.after(at, () => {
      task(node, 'leaveEtcd', TaskEvent_Action.START, actorId);
      const etcd = node.etcd!;
      const index = etcd.members.findIndex((m) => m.node === node);
      if (index >= 0) etcd.members.splice(index, 1);
      setEtcdDataDir(node, 'empty');
      task(node, 'leaveEtcd', TaskEvent_Action.STOP, actorId);
    });
    at += timings.stepMs;
  }
  node.after(at, () => task(node, 'stopAllServices', TaskEvent_Action.START, actorId));
  for (const id of node.services.keys())
    if (id !== 'machined') node.after(at, () => node.setServiceState(id, 'Finished', 'Service finished successfully', actorId));
  node.after((at += timings.stepMs), () => {
    task(node, 'stopAllServices', TaskEvent_Action.STOP, actorId);
    task(node, req.systemPartitionsToWipe.length ? 'resetSystemDiskSpec' : 'resetSystemDisk', TaskEvent_Action.START, actorId);
  });
  node.after((at += timings.stepMs), () => {
    node.down = true;
    node.cutStreams('reset');
  });
}

/** Reset (returns an actor ID) and Rollback (none: it reverts the boot entry and runs the reboot sequence). */
export function resetRollbackHandlers(router: Router, hooks: ApidHooks): Partial<MachineServiceServer> {
  const kit = machineKit(router, hooks);
  return {
    reset: kit.unary('Reset', (node, req: ResetRequest, ctx) => {
      validateReset(node, req);
      const actorId = ctx.actorId();
      runReset(node, req, actorId);
      return { messages: [{ metadata: undefined, actorId }] };
    }),
    rollback: kit.unary('Rollback', (node) => {
      const previous = node.previousVersion;
      if (!previous) throw new GrpcError(grpc.status.UNKNOWN, 'cannot rollback: there is no previous boot entry to roll back to');
      node.logs.get('machined')?.buffer.append([`[talos] rollback via API received: reverting the boot entry to ${previous}`]);
      node.pendingVersion = previous;
      reboot(node, '', 'default', true);
      return { messages: [{ metadata: undefined }] };
    }),
  };
}
