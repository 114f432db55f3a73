import { talosctl } from '../../../shared/talosctl';
import { reset, rollback } from '../../talos/calls/reset-rollback';
import { controlPlaneGates, gates } from './gate-ids';
import type { Of, StepKind } from './step-kinds';

/**
 * etcd maintenance, the rare lifecycle calls and image pulls as plan steps: each one call per node through the
 * same plan, quorum guard, audit trail and gates as reboots.
 */
const etcdDefrag: StepKind<Of<'etcd-defrag'>> = {
  method: '/machine.MachineService/EtcdDefragment',
  verb: 'etcd defrag',
  takesDown: false,
  staysDown: false,
  destructive: false,
  controlPlanesOnly: true,
  gates: () => gates('etcd'),
  talosctl: (t) => talosctl.etcdDefrag(t),
  summary: () => 'etcd defragment, one member at a time',
  send: async (c, n) => {
    await c.etcdOps.defragment(n);
    return { actorId: null, message: 'Defragmented this member' };
  },
};

const etcdAlarmDisarm: StepKind<Of<'etcd-alarm-disarm'>> = {
  method: '/machine.MachineService/EtcdAlarmDisarm',
  verb: 'etcd alarm disarm',
  takesDown: false,
  staysDown: false,
  destructive: false,
  controlPlanesOnly: true,
  oneTarget: true,
  gates: () => gates('alarms'),
  talosctl: (t) => talosctl.etcdAlarmDisarm(t),
  summary: () => 'etcd alarm disarm (every alarm of the cluster)',
  send: async (c, n) => {
    const disarmed = await c.etcdOps.alarmDisarm(n);
    return {
      actorId: null,
      message: disarmed.length
        ? `Disarmed ${disarmed.map((a) => `${a.alarm} on ${a.memberId}`).join(', ')}`
        : 'There was no alarm to disarm',
    };
  },
};

const etcdForfeit: StepKind<Of<'etcd-forfeit-leadership'>> = {
  method: '/machine.MachineService/EtcdForfeitLeadership',
  verb: 'etcd forfeit-leadership',
  takesDown: false,
  staysDown: false,
  destructive: false,
  controlPlanesOnly: true,
  gates: () => gates('etcd'),
  talosctl: (t) => talosctl.etcdForfeitLeadership(t),
  summary: () => 'etcd forfeit leadership',
  send: async (c, n) => {
    const next = await c.etcdOps.forfeitLeadership(n);
    return { actorId: null, message: next ? `Leadership moved to ${next}` : 'This member was not the leader; nothing changed' };
  },
};

const etcdLeave: StepKind<Of<'etcd-leave'>> = {
  method: '/machine.MachineService/EtcdLeaveCluster',
  verb: 'etcd leave',
  takesDown: false,
  staysDown: false,
  destructive: true,
  controlPlanesOnly: true,
  removesMember: () => 'own',
  gates: () => gates('left'),
  talosctl: (t) => talosctl.etcdLeave(t),
  summary: () => 'etcd leave (the member is removed and its data emptied)',
  send: async (c, n) => {
    await c.etcdOps.leaveCluster(n);
    return { actorId: null, message: 'Left the etcd cluster; etcd stopped and /var/lib/etcd emptied' };
  },
};

const etcdRemoveMember: StepKind<Of<'etcd-remove-member'>> = {
  method: '/machine.MachineService/EtcdRemoveMemberByID',
  verb: 'etcd remove-member',
  takesDown: false,
  staysDown: false,
  destructive: true,
  controlPlanesOnly: true,
  oneTarget: true,
  removesMember: (a) => ({ memberId: a.memberId }),
  gates: () => gates('removed'),
  talosctl: (t, a) => talosctl.etcdRemoveMember(t, a.memberId),
  summary: (a) => `etcd remove-member ${a.memberId}`,
  send: async (c, n, a) => {
    await c.etcdOps.removeMemberById(n, a.memberId);
    return { actorId: null, message: `Removed member ${a.memberId}` };
  },
};

const resetKind: StepKind<Of<'reset'>> = {
  method: '/machine.MachineService/Reset',
  verb: 'reset',
  takesDown: true,
  staysDown: true,
  destructive: true,
  confirmAlways: true,
  removesMember: () => 'own',
  gates: () => gates('off'),
  talosctl: (t, a) => talosctl.reset(t, a),
  summary: (a) =>
    `reset (${a.graceful ? 'graceful' : 'not graceful'}, wipe ${a.mode}${a.systemLabels.length ? ` ${a.systemLabels.join(',')}` : ''}${a.userDisks.length ? ` ${a.userDisks.join(',')}` : ''}, then ${a.reboot ? 'reboot' : 'power off'})`,
  send: async (c, n, a) => ({ actorId: await reset(c.connection, n, a), message: 'Reset requested' }),
};

const rollbackKind: StepKind<Of<'rollback'>> = {
  method: '/machine.MachineService/Rollback',
  verb: 'rollback',
  takesDown: true,
  staysDown: false,
  destructive: true,
  confirmAlways: true,
  gates: (role) => gates('down', 'boot', 'ready', 'services', ...controlPlaneGates(role)),
  talosctl: (t) => talosctl.rollback(t),
  summary: () => 'rollback to the previous Talos installation',
  send: async (c, n) => {
    await rollback(c.connection, n);
    return { actorId: null, message: 'Rollback requested (Talos gives rollbacks no actor id)' };
  },
};

const bootstrapKind: StepKind<Of<'bootstrap'>> = {
  method: '/machine.MachineService/Bootstrap',
  verb: 'bootstrap',
  takesDown: false,
  staysDown: false,
  destructive: true,
  confirmAlways: true,
  controlPlanesOnly: true,
  oneTarget: true,
  gates: () => gates('etcd'),
  talosctl: (t) => talosctl.bootstrap(t),
  summary: () => 'bootstrap etcd on one control plane',
  send: async (c, n) => {
    await c.etcdOps.bootstrap(n);
    return { actorId: null, message: 'Bootstrap requested: etcd starts on this node' };
  },
};

const imagePull: StepKind<Of<'image-pull'>> = {
  method: '/machine.ImageService/Pull',
  verb: 'image pull',
  takesDown: false,
  staysDown: false,
  destructive: false,
  gates: () => gates('image'),
  talosctl: (t, a) => talosctl.imagePull(t, a.image, a.store),
  summary: (a) => `pull ${a.image}${a.store === 'cri' ? '' : ` into ${a.store}`}`,
  send: async (c, n, a) => ({ actorId: null, message: `Pulled ${await c.images.pull(n, a.store, a.image)}` }),
};

export const DAY_TWO_KINDS = {
  'etcd-defrag': etcdDefrag,
  'etcd-alarm-disarm': etcdAlarmDisarm,
  'etcd-forfeit-leadership': etcdForfeit,
  'etcd-leave': etcdLeave,
  'etcd-remove-member': etcdRemoveMember,
  reset: resetKind,
  rollback: rollbackKind,
  bootstrap: bootstrapKind,
  'image-pull': imagePull,
} as const;
