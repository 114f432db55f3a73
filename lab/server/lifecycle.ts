import * as grpc from '@grpc/grpc-js';
import { createTwoFilesPatch } from 'diff';
import {
  ApplyConfigurationRequest_Mode as Mode,
  type ApplyConfiguration,
  type ApplyConfigurationRequest,
  MachineStatusEvent,
  MachineStatusEvent_MachineStage as Stage,
  SequenceEvent,
  SequenceEvent_Action,
  TaskEvent,
  TaskEvent_Action,
} from '../../proto/gen/machine/machine';
import { validateMachineConfig } from '../model/machine-config';
import type { LabNode } from '../model/node';
import { putMachineConfig, updateMachineStatus } from '../model/node-resources';
import { apiActionAllowed, runningMessage } from '../model/service-catalog';
import { GrpcError, type CallContext } from './call-context';

/** How long a simulated reboot keeps the node unreachable. */
export const timings = { stepMs: 250, rebootDowntimeMs: 3000 };

function startSequence(node: LabNode, id: string, actorId: string, at: number): number {
  const svc = node.services.get(id);
  if (!svc) return at;
  node.after(at, () => node.setServiceState(id, 'Starting', 'Starting service', actorId));
  if (svc.def.waitingFor)
    node.after((at += timings.stepMs), () => node.setServiceState(id, 'Waiting', `Waiting for ${svc.def.waitingFor}`, actorId));
  node.after((at += timings.stepMs), () => node.setServiceState(id, 'Preparing', 'Running pre state', actorId));
  node.after(at, () => node.setServiceState(id, 'Preparing', 'Creating service runner', actorId));
  node.after((at += timings.stepMs), () => {
    svc.pid = node.rng.int(4000, 30000);
    node.setServiceState(id, 'Running', runningMessage(svc.def, svc.pid), actorId);
    updateMachineStatus(node);
  });
  if (svc.def.healthCheck)
    node.after((at += timings.stepMs * 2), () =>
      node.setServiceState(id, 'Running', 'Health check successful', actorId, node.now(), { healthy: true }),
    );
  return at;
}

function stopSequence(node: LabNode, id: string, actorId: string, at: number): number {
  node.after(at, () => {
    node.setServiceState(id, 'Stopping', 'Service stopping', actorId);
    updateMachineStatus(node);
  });
  node.after((at += timings.stepMs), () => node.setServiceState(id, 'Finished', 'Service finished successfully', actorId));
  return at;
}

/** ServiceStart/Stop/Restart with Talos' rules and messages. */
export function runServiceAction(node: LabNode, id: string, action: 'start' | 'stop' | 'restart', actorId: string): string {
  const svc = node.services.get(id);
  if (!svc) throw new GrpcError(grpc.status.UNKNOWN, `service "${id}" not defined`);
  if (!apiActionAllowed(id, action))
    throw new GrpcError(grpc.status.UNKNOWN, `service "${id}" doesn't support ${action} operation via API`);
  node.logs.get('machined')?.buffer.append([`[talos] service ${action} request received for "${id}". actor id: ${actorId}`]);
  const running = !['Finished', 'Failed', 'Skipped', 'Initialized'].includes(svc.state);
  if (action === 'start') {
    if (!running) startSequence(node, id, actorId, 0);
    return `Service "${id}" started`;
  }
  if (action === 'stop') {
    if (running) stopSequence(node, id, actorId, 0);
    return `Service "${id}" stopped`;
  }
  const at = running ? stopSequence(node, id, actorId, 0) + timings.stepMs : 0;
  startSequence(node, id, actorId, at);
  return `Service "${id}" restarted`;
}

function powerCycle(node: LabNode, actorId: string, sequence: 'reboot' | 'upgrade', stage: Stage, afterDown?: () => void): void {
  node.logs.get('machined')?.buffer.append([`[talos] ${sequence} via API received. actor id: ${actorId}`]);
  node.publish('SequenceEvent', SequenceEvent.encode({ sequence, action: SequenceEvent_Action.START, error: undefined }).finish(), actorId);
  node.stage = stage;
  node.ready = false;
  node.publish('MachineStatusEvent', MachineStatusEvent.encode({ stage, status: { ready: false, unmetConditions: [] } }).finish(), actorId);
  updateMachineStatus(node);
  node.publish('TaskEvent', TaskEvent.encode({ task: 'stopAllServices', action: TaskEvent_Action.START }).finish(), actorId);
  let at = timings.stepMs;
  for (const id of node.services.keys()) if (id !== 'machined') at = Math.max(at, stopSequence(node, id, actorId, timings.stepMs));
  node.after(at + timings.stepMs, () => {
    node.publish('TaskEvent', TaskEvent.encode({ task: 'stopAllServices', action: TaskEvent_Action.STOP }).finish(), actorId);
    node.down = true;
    node.cutStreams(sequence);
    afterDown?.();
    node.after(timings.rebootDowntimeMs, () => {
      node.down = false;
      node.boot(0);
      node.addKernelRecord('kern', 'info', `Linux version 6.18.44-talos: booted after ${sequence} (actor ${actorId})`);
    });
  });
}

export function reboot(node: LabNode, actorId: string, reason: 'reboot'): string {
  powerCycle(node, actorId, reason, Stage.REBOOTING);
  return actorId;
}

export function upgrade(node: LabNode, image: string, actorId: string): string {
  const tag = /:(v[\w.-]+)$/.exec(image)?.[1];
  if (!image || !tag) throw new GrpcError(grpc.status.INVALID_ARGUMENT, `invalid image reference "${image}"`);
  powerCycle(node, actorId, 'upgrade', Stage.UPGRADING, () => (node.talosVersion = tag));
  return actorId;
}

export function shutdown(node: LabNode, actorId: string): string {
  node.publish(
    'SequenceEvent',
    SequenceEvent.encode({ sequence: 'shutdown', action: SequenceEvent_Action.START, error: undefined }).finish(),
    actorId,
  );
  node.stage = Stage.SHUTTING_DOWN;
  node.publish(
    'MachineStatusEvent',
    MachineStatusEvent.encode({ stage: Stage.SHUTTING_DOWN, status: { ready: false, unmetConditions: [] } }).finish(),
    actorId,
  );
  let at = 0;
  for (const id of node.services.keys()) at = Math.max(at, stopSequence(node, id, actorId, timings.stepMs));
  node.after(at + timings.stepMs, () => {
    node.down = true;
    node.cutStreams('shutdown');
  });
  return actorId;
}

const MODE_TEXT: Record<number, string> = {
  [Mode.NO_REBOOT]: 'Applied configuration without a reboot',
  [Mode.STAGED]: 'Staged configuration to be applied after the next reboot',
  [Mode.TRY]: 'Applied configuration without a reboot',
};

function unifiedDiff(before: string, after: string): string {
  if (before === after) return 'No changes.';
  const patch = createTwoFilesPatch('a', 'b', before, after, '', '', { context: 3 });
  const lines = patch.split('\n').filter((l) => !l.startsWith('Index:') && !l.startsWith('====='));
  return lines
    .map((l) => (l.startsWith('--- a') ? '--- a' : l.startsWith('+++ b') ? '+++ b' : l))
    .join('\n')
    .trimEnd();
}

/** ApplyConfiguration as Talos >= 1.14 handles it: admin only, one at a time, validated, dry run with a diff. */
export function applyConfiguration(node: LabNode, req: ApplyConfigurationRequest, ctx: CallContext): ApplyConfiguration {
  if (!ctx.roles.includes('os:admin')) throw new GrpcError(grpc.status.PERMISSION_DENIED, 'not authorized');
  if (req.mode === Mode.REBOOT)
    throw new GrpcError(grpc.status.UNIMPLEMENTED, 'the REBOOT mode is not supported, please use AUTO or NO_REBOOT modes instead');
  if (node.applyInProgress) throw new GrpcError(grpc.status.FAILED_PRECONDITION, 'another apply configuration is already in progress');
  node.applyInProgress = true;
  try {
    const text = Buffer.from(req.data).toString('utf8');
    const validation = validateMachineConfig(text);
    if (validation.error) throw new GrpcError(grpc.status.INVALID_ARGUMENT, validation.error);
    const mode = req.mode === Mode.AUTO ? Mode.NO_REBOOT : req.mode;
    const base = mode === Mode.STAGED ? node.config.persistent : node.config.active;
    if (req.dryRun) {
      return {
        metadata: undefined,
        warnings: [],
        mode,
        modeDetails: `Dry run summary:\n${MODE_TEXT[mode]} (skipped in dry-run).\nConfig diff:\n\n${unifiedDiff(base, text)}`,
      };
    }
    node.logs
      .get('machined')
      ?.buffer.append([
        `[talos] apply config request: mode ${Mode[req.mode]?.toLowerCase()}(${Mode[mode]?.toLowerCase()}). actor id: ${ctx.actorId()}`,
      ]);
    if (mode !== Mode.STAGED) {
      node.config.active = text;
      putMachineConfig(node, 'v1alpha1', text);
    }
    if (mode !== Mode.TRY) {
      node.config.persistent = text;
      putMachineConfig(node, 'persistent', text);
    }
    let details = MODE_TEXT[mode] ?? '';
    if (mode === Mode.TRY) {
      const seconds = Math.round(Number(req.tryModeTimeout?.seconds ?? 60));
      details += `\nThe config is applied in 'try' mode and will be automatically reverted back in ${Math.floor(seconds / 60)}m${seconds % 60}s`;
      const previous = node.config.persistent;
      node.after(seconds * 1000, () => {
        node.config.active = previous;
        putMachineConfig(node, 'v1alpha1', previous);
      });
    }
    return { metadata: undefined, warnings: [], mode, modeDetails: details };
  } finally {
    node.applyInProgress = false;
  }
}
