import * as grpc from '@grpc/grpc-js';
import { createTwoFilesPatch } from 'diff';
import {
  ApplyConfigurationRequest_Mode as Mode,
  type ApplyConfiguration,
  type ApplyConfigurationRequest,
} from '../../proto/gen/machine/machine';
import { validateMachineConfig } from '../model/machine-config';
import type { LabNode } from '../model/node';
import { putMachineConfig } from '../model/node-resources';
import { apiActionAllowed } from '../model/service-catalog';
import { GrpcError, type CallContext } from './call-context';

import { startService, stopService, timings } from '../model/service-runner';
import { formatMemberId } from '../model/etcd-cluster';
import { runSequence } from './sequences';

export { timings };

/** ServiceStart/Stop/Restart with Talos' rules and messages. */
export function runServiceAction(node: LabNode, id: string, action: 'start' | 'stop' | 'restart', actorId: string): string {
  const svc = node.services.get(id);
  if (!svc) throw new GrpcError(grpc.status.UNKNOWN, `service "${id}" not defined`);
  if (!apiActionAllowed(id, action))
    throw new GrpcError(grpc.status.UNKNOWN, `service "${id}" doesn't support ${action} operation via API`);
  node.logs.get('machined')?.buffer.append([`[talos] service ${action} request received for "${id}". actor id: ${actorId}`]);
  const running = !['Finished', 'Failed', 'Skipped', 'Initialized'].includes(svc.state);
  if (action === 'start') {
    if (!running) startService(node, id, actorId, 0);
    return `Service "${id}" started`;
  }
  if (action === 'stop') {
    if (running) stopService(node, id, actorId, 0);
    return `Service "${id}" stopped`;
  }
  const at = running ? stopService(node, id, actorId, 0) + timings.stepMs : 0;
  startService(node, id, actorId, at);
  return `Service "${id}" restarted`;
}

export type RebootMode = 'default' | 'powercycle' | 'force';

/** Reboot: the `reboot` sequence (FORCE runs only its last phase; POWERCYCLE restarts without kexec). */
export function reboot(node: LabNode, actorId: string, mode: RebootMode = 'default', takeover = false): string {
  runSequence(node, 'reboot', actorId, { force: mode === 'force', powercycle: mode === 'powercycle', takeover });
  return actorId;
}

export function shutdown(node: LabNode, actorId: string): string {
  runSequence(node, 'shutdown', actorId, { takeover: true });
  return actorId;
}

/** The tag of an installer image reference (`…/installer:v1.14.0`), or InvalidArgument. */
export function imageTag(image: string): string {
  const tag = /:(v[\w.+-]+)$/.exec(image)?.[1];
  if (!image || !tag) throw new GrpcError(grpc.status.INVALID_ARGUMENT, `invalid image reference "${image}"`);
  return tag;
}

/** etcd.ValidateForUpgrade on a control plane: every member must be healthy, unless the upgrade is forced. */
function validateEtcdForUpgrade(node: LabNode): void {
  const etcd = node.etcd;
  if (!etcd) return;
  const unhealthy = etcd.members.find(
    (m) => !m.node.reachable || m.node.services.get('etcd')?.state !== 'Running' || m.node.faults.etcdNoLeader,
  );
  if (unhealthy)
    throw new GrpcError(
      grpc.status.UNKNOWN,
      `error validating etcd for upgrade: etcd member ${formatMemberId(unhealthy.id)} is not healthy; all members must be healthy to perform an upgrade`,
    );
}

export interface UpgradeOptions {
  image: string;
  preserve: boolean;
  stage: boolean;
  force: boolean;
  powercycle: boolean;
}

/**
 * Legacy MachineService/Upgrade: the `upgrade` sequence installs the image in its `upgrade` phase and reboots into
 * it; with `stage` the `stageUpgrade` sequence only reboots and the image is installed as the node boots. Either
 * way the node runs the new version after the reboot. Control planes check etcd first unless forced.
 */
export function upgrade(node: LabNode, options: UpgradeOptions, actorId: string): string {
  const tag = imageTag(options.image);
  if (node.id.type === 'controlplane' && !options.force) validateEtcdForUpgrade(node);
  const install = () => {
    node.pendingVersion = tag;
    node.logs.get('machined')?.buffer.append([`[talos] upgrade to ${options.image} installed (preserve: ${options.preserve})`]);
  };
  if (options.stage) {
    node.logs.get('machined')?.buffer.append([`[talos] staged upgrade to ${options.image}; it is installed on the next boot`]);
    runSequence(node, 'stageUpgrade', actorId, { powercycle: options.powercycle, onTask: { kexecPrepare: install } });
  } else runSequence(node, 'upgrade', actorId, { powercycle: options.powercycle, onTask: { upgrade: install } });
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
    const apply = ++node.configApplies;
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
        if (node.configApplies !== apply) return;
        node.config.active = previous;
        putMachineConfig(node, 'v1alpha1', previous);
      });
    }
    return { metadata: undefined, warnings: [], mode, modeDetails: details };
  } finally {
    node.applyInProgress = false;
  }
}
