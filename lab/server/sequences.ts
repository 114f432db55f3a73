import { Code } from '../../proto/gen/common/common';
import {
  MachineStatusEvent_MachineStage as Stage,
  PhaseEvent,
  PhaseEvent_Action,
  RestartEvent,
  SequenceEvent,
  SequenceEvent_Action,
  TaskEvent,
  TaskEvent_Action,
} from '../../proto/gen/machine/machine';
import { refreshMachineStatus } from '../model/health-resources';
import type { LabNode } from '../model/node';
import { stopService, timings } from '../model/service-runner';
import { strikeOnPowerOn } from '../model/fault-state';

type Phase = [phase: string, task: string];

/** Talos' stop list: what every reboot, shutdown and staged upgrade runs before the machine goes down. */
const STOP_LIST: Phase[] = [
  ['denyNewServices', 'denyNewServices'],
  ['stopServices', 'stopServicesForUpgrade'],
  ['umount', 'unmountPodMounts'],
  ['unmountBind', 'unmountSystemDiskBindMounts'],
  ['unmountPromotable', 'unmountPromotableSystemPartitions'],
  ['unmountSystem', 'unmountEphemeralPartition'],
  ['volumeFinalize', 'teardownLifecycle'],
  ['stopEverything', 'stopAllServices'],
];
const CLEANUP: Phase[] = [
  ['cleanup', 'stopAllPods'],
  ['dbus', 'stopDBus'],
];
const KEXEC: Phase = ['kexec', 'kexecPrepare'];

export type SequenceName = 'reboot' | 'shutdown' | 'upgrade' | 'stageUpgrade';

/** The phases of each sequence, in Talos' order (talos-api-wave2.md section 6); drain is not simulated. */
export function phasesOf(name: SequenceName, options: { force?: boolean } = {}): Phase[] {
  switch (name) {
    case 'reboot':
      return options.force ? [['reboot', 'reboot']] : [...CLEANUP, ...STOP_LIST, KEXEC, ['reboot', 'reboot']];
    case 'shutdown':
      return [['storeShutdown', 'storeShutdown'], ...CLEANUP, ...STOP_LIST, ['shutdown', 'shutdown']];
    case 'stageUpgrade':
      return [...CLEANUP, ...STOP_LIST, KEXEC, ['reboot', 'reboot']];
    case 'upgrade':
      return [
        ['denyNewServices', 'denyNewServices'],
        ...CLEANUP,
        ['stopServices', 'stopServicesForUpgrade'],
        // The legacy upgrade names its pod-mount phase `unmount`; the stop list calls it `umount`.
        ['unmount', 'unmountPodMounts'],
        ...STOP_LIST.slice(3, 7),
        ['upgrade', 'upgrade'],
        ['meta', 'reloadMeta'],
        KEXEC,
        ['stopEverything', 'stopAllServices'],
        ['reboot', 'reboot'],
      ];
  }
}

const STAGE: Record<SequenceName, Stage> = {
  reboot: Stage.REBOOTING,
  shutdown: Stage.SHUTTING_DOWN,
  upgrade: Stage.UPGRADING,
  stageUpgrade: Stage.UPGRADING,
};

/** unix.Reboot commands, as RestartEvent.cmd carries them and the sequence error prints them (%x). */
export const REBOOT_CMD = { restart: 0x01234567, kexec: 0x45584543, powerOff: 0x4321fedc } as const;

/** Services the upgrade-style stop takes down first (those using EPHEMERAL). */
const EPHEMERAL_USERS = ['kubelet', 'etcd', 'cri'];

export interface SequenceOptions {
  force?: boolean;
  /** Reboot with a plain restart instead of kexec (RebootRequest.Mode POWERCYCLE). */
  powercycle?: boolean;
  /** Cancel a running sequence instead of refusing with LOCKED (Talos' WithTakeover: Shutdown, Rollback). */
  takeover?: boolean;
  /** Work done by a phase's task (e.g. `upgrade` installs the image). */
  onTask?: Partial<Record<string, () => void>>;
}

/**
 * Runs a power sequence on the node, publishing SequenceEvent START, each phase's PhaseEvent/TaskEvent START and
 * STOP, and for the final `reboot`/`shutdown` task the RestartEvent and the sequence's "failure" (STOP, then NOOP
 * FATAL `unix.Reboot(…)`), all with the caller's actor id, as Talos does. Services stop in `stopServices` and
 * `stopEverything` (apid with them, so the API goes dark there). Then the machine restarts (or powers off).
 * A node already running a sequence refuses with NOOP LOCKED.
 */
export function runSequence(node: LabNode, name: SequenceName, actorId: string, options: SequenceOptions = {}): void {
  const publishSeq = (action: SequenceEvent_Action, error?: { code: Code; message: string }) =>
    node.publish(
      'SequenceEvent',
      SequenceEvent.encode({ sequence: name, action, error: error ? { ...error, details: [] } : undefined }).finish(),
      actorId,
    );
  if (node.sequence && options.takeover) {
    const cancelled = node.cancelSequence();
    node.publish(
      'SequenceEvent',
      SequenceEvent.encode({
        sequence: cancelled ?? '',
        action: SequenceEvent_Action.NOOP,
        error: { code: Code.CANCELED, message: 'sequence failed: context canceled', details: [] },
      }).finish(),
    );
  }
  if (node.sequence) {
    publishSeq(SequenceEvent_Action.NOOP, { code: Code.LOCKED, message: 'sequence not started: locked' });
    return;
  }
  node.scheduleSequence(() => schedulePhases(node, name, actorId, options, publishSeq));
}

function schedulePhases(
  node: LabNode,
  name: SequenceName,
  actorId: string,
  options: SequenceOptions,
  publishSeq: (action: SequenceEvent_Action, error?: { code: Code; message: string }) => void,
): void {
  node.sequence = name;
  node.logs.get('machined')?.buffer.append([`[talos] ${name} sequence requested. actor id: ${actorId}`]);
  publishSeq(SequenceEvent_Action.START);
  node.stage = STAGE[name];
  refreshMachineStatus(node);
  const phases = phasesOf(name, options);
  const kexec = !options.powercycle && phases.some(([p]) => p === 'kexec');
  const cmd = name === 'shutdown' ? REBOOT_CMD.powerOff : kexec ? REBOOT_CMD.kexec : REBOOT_CMD.restart;
  let at = timings.stepMs;
  phases.forEach(([phase, task], index) => {
    const last = index === phases.length - 1;
    node.after(at, () => {
      node.publish('PhaseEvent', PhaseEvent.encode({ phase, action: PhaseEvent_Action.START }).finish(), actorId);
      node.publish('TaskEvent', TaskEvent.encode({ task, action: TaskEvent_Action.START }).finish(), actorId);
      // Talos' MachineStatus controller: phase kexec of an install or upgrade sequence means rebooting.
      if (phase === 'kexec' && name === 'upgrade') {
        node.stage = Stage.REBOOTING;
        refreshMachineStatus(node);
      }
      options.onTask?.[task]?.();
      if (last) {
        node.lastRestartCmd = cmd;
        node.publish('RestartEvent', RestartEvent.encode({ cmd: String(cmd) }).finish(), actorId);
      }
    });
    let work = 0;
    if (task === 'stopServicesForUpgrade')
      for (const id of EPHEMERAL_USERS)
        if (node.services.has(id)) work = Math.max(work, stopService(node, id, actorId, at + timings.stepMs) - at);
    if (task === 'stopAllServices')
      for (const [id, svc] of node.services)
        if (id !== 'machined' && !['Finished', 'Failed', 'Skipped'].includes(svc.state))
          work = Math.max(work, stopService(node, id, actorId, at + timings.stepMs) - at);
    at += work + timings.stepMs;
    node.after(at, () => {
      if (task === 'stopAllServices') {
        // apid is gone: the API is dark from here on, and what follows is lost with the in-memory event ring.
        node.down = true;
        node.cutStreams(`${name}: apid stopped`);
      }
      node.publish('TaskEvent', TaskEvent.encode({ task, action: TaskEvent_Action.STOP }).finish(), actorId);
      node.publish('PhaseEvent', PhaseEvent.encode({ phase, action: PhaseEvent_Action.STOP }).finish(), actorId);
      if (!last) return;
      publishSeq(SequenceEvent_Action.STOP);
      publishSeq(SequenceEvent_Action.NOOP, {
        code: Code.FATAL,
        message: `sequence failed: error running phase ${index + 1} in ${name} sequence: task 1/1: failed, unix.Reboot(${cmd.toString(16)})`,
      });
      node.stage = Stage.REBOOTING;
      refreshMachineStatus(node);
      powerOff(node, name === 'shutdown');
    });
    at += timings.stepMs;
  });
}

/** The machine goes dark; unless it was shut down (or a fault keeps it down) it boots again after the downtime. */
function powerOff(node: LabNode, halt: boolean): void {
  node.down = true;
  node.poweredOffAt = node.now();
  node.cutStreams(halt ? 'shutdown' : 'reboot');
  node.sequence = null;
  if (halt && !node.powerOnRequested) return;
  node.powerOnRequested = false;
  node.after(timings.rebootDowntimeMs, () => {
    if (strikeOnPowerOn(node)) return;
    powerOn(node);
  });
}

/** Boots a node that is down (after a shutdown, or once a "never returns" fault is cleared). */
export function powerOn(node: LabNode): void {
  node.down = false;
  node.boot(0, true);
  node.addKernelRecord('kern', 'info', `Linux version 6.18.44-talos (@buildkitsandbox) #1 SMP: boot ${node.bootId}`);
}
