import type { GateSpec, NodeRole, OperationAction, UpgradePlanPath } from '../../../shared/domain/operation';
import { controlPlaneGates, gates, type GateId } from './gate-ids';
import { talosctl, type CommandTarget } from '../../../shared/talosctl';
import type { TalosClient } from '../../talos/client';
import { lifecycleCalls } from '../../talos/calls/lifecycle';
import { DAY_TWO_KINDS } from './day-two-kinds';
import { upgradeCurrentPath } from './upgrade-current';
import { upgradePathFor } from './upgrade-path';
import { loadPatch, patchNodeConfig } from '../config/patch-config';

export { GATES, gates, controlPlaneGates, type GateId } from './gate-ids';

export interface SentStep {
  actorId: string | null;
  message: string;
}

/** What a step's call may use besides the action: the upgrade path planned for the node, and a progress line. */
export interface SendContext {
  upgradePath: UpgradePlanPath | null;
  report(detail: string): void;
}

/**
 * What one kind of operation does on one node: the call (method and talosctl line), whether the node goes away
 * during it, whether it is destructive (typed cluster name when control planes are touched), and its gates.
 * New kinds (etcd maintenance, reset, rollback) are one more entry here.
 */
export interface StepKind<A extends OperationAction = OperationAction> {
  method: string;
  verb: string;
  /** The node stops answering during the step. */
  takesDown: boolean;
  /** The node stays down afterwards (shutdown): its etcd member does not come back during the roll. */
  staysDown: boolean;
  destructive: boolean;
  gates(role: NodeRole, action: A): GateSpec[];
  talosctl(target: CommandTarget, action: A): string;
  summary(action: A): string;
  send(client: TalosClient, node: string, action: A, context: SendContext): Promise<SentStep>;
  /** upgrade: which call the node takes, from its version (current LifecycleService path or legacy). */
  pathFor?(version: string, action: A): UpgradePlanPath;
  /** Only control planes run etcd: a worker target blocks the plan. */
  controlPlanesOnly?: boolean;
  /** Acts on the whole cluster: one target is enough (more block the plan). */
  oneTarget?: boolean;
  /** Rare and dangerous: the cluster name is typed even when only workers are touched. */
  confirmAlways?: boolean;
  /** Takes an etcd member out for good: the guard checks quorum of the members that remain. */
  removesMember?: (action: A, target: { node: string; hostname: string }) => { memberId: string } | 'own';
}

/**
 * The checks once a node is back, the specific ones first so a failure names its cause (etcd has no leader, kubelet
 * fails its health check) rather than only MachineStatus' summary of it; MachineStatus ready comes last.
 */
const afterBoot = (role: NodeRole): GateId[] => [...controlPlaneGates(role), 'services', 'ready'];

/** The version an installer image installs, from its tag (`…/installer:v1.13.9` → `v1.13.9`), or null. */
export function imageVersion(image: string): string | null {
  return /:(v\d+\.\d+\.\d+[\w.-]*)(@sha256:[0-9a-f]{64})?$/.exec(image)?.[1] ?? null;
}

export type Of<K extends OperationAction['kind']> = Extract<OperationAction, { kind: K }>;

const reboot: StepKind<Of<'reboot'>> = {
  method: '/machine.MachineService/Reboot',
  verb: 'reboot',
  takesDown: true,
  staysDown: false,
  destructive: true,
  gates: (role) => gates('down', 'boot', ...afterBoot(role)),
  talosctl: (t, a) => talosctl.reboot(t, a.mode),
  summary: (a) => `reboot${a.mode === 'default' ? '' : ` (${a.mode})`}`,
  send: async (c, n, a) => ({ actorId: await lifecycleCalls(c.connection).reboot(n, a.mode), message: 'Reboot requested' }),
};

const shutdown: StepKind<Of<'shutdown'>> = {
  method: '/machine.MachineService/Shutdown',
  verb: 'shutdown',
  takesDown: true,
  staysDown: true,
  destructive: true,
  gates: () => gates('off'),
  talosctl: (t, a) => talosctl.shutdown(t, a.force),
  summary: (a) => `shutdown${a.force ? ' (force)' : ''}`,
  send: async (c, n, a) => ({ actorId: await lifecycleCalls(c.connection).shutdown(n, a.force), message: 'Shutdown requested' }),
};

const upgrade: StepKind<Of<'upgrade'>> = {
  method: '/machine.MachineService/Upgrade',
  verb: 'upgrade',
  takesDown: true,
  staysDown: false,
  destructive: true,
  gates: (role, a) => gates('down', 'boot', ...(imageVersion(a.image) ? (['version'] as const) : []), ...afterBoot(role)),
  talosctl: (t, a) => talosctl.upgrade(t, a.image, a),
  summary: (a) =>
    `upgrade to ${imageVersion(a.image) ?? a.image}${[
      a.stage && 'staged',
      a.force && 'force',
      a.preserve && 'preserve',
      a.rebootMode === 'powercycle' && 'power cycle',
    ]
      .filter(Boolean)
      .map((f) => `, ${f}`)
      .join('')}`,
  pathFor: upgradePathFor,
  send: async (c, n, a, context) => {
    if (context.upgradePath?.kind === 'current') {
      const sent = await upgradeCurrentPath(c, n, a, context.report);
      if (sent) return sent;
    }
    const u = await lifecycleCalls(c.connection).upgrade(n, a);
    return { actorId: u.actorId, message: `${u.ack} (legacy MachineService/Upgrade)` };
  },
};

const applyConfig: StepKind<Of<'apply-config'>> = {
  method: '/machine.MachineService/ApplyConfiguration',
  verb: 'apply-config',
  takesDown: false,
  staysDown: false,
  destructive: false,
  gates: (role) => gates(...afterBoot(role)),
  talosctl: (t, a) => talosctl.applyConfig(t, 'config.yaml', a.mode, false, a.tryTimeoutSeconds),
  summary: (a) => `apply-config (${a.mode})`,
  send: async (c, n, a) => {
    const r = await c.applyConfiguration(n, { data: a.yaml, mode: a.mode, dryRun: false, tryTimeoutSeconds: a.tryTimeoutSeconds });
    return { actorId: null, message: [r.modeDetails, ...r.warnings.map((w) => `warning: ${w}`)].filter(Boolean).join('\n') };
  },
};

/** Talos skips the apply when the patch changes nothing (talosctl: "Apply was skipped: no changes detected."). */
const patchConfigKind: StepKind<Of<'patch-config'>> = {
  method: '/machine.MachineService/ApplyConfiguration',
  verb: 'patch mc',
  takesDown: false,
  staysDown: false,
  destructive: false,
  gates: (role) => gates(...afterBoot(role)),
  talosctl: (t, a) => talosctl.patchMachineConfig(t, 'patch.yaml', a.mode, false, a.tryTimeoutSeconds),
  summary: (a) => `patch mc (${loadPatch(a.patch).format === 'json6902' ? 'JSON Patch' : 'strategic merge'}, ${a.mode})`,
  send: async (c, n, a) => {
    const { before, after } = await patchNodeConfig(c, n, loadPatch(a.patch));
    if (before === after) return { actorId: null, message: 'Apply was skipped: no changes detected.' };
    const r = await c.applyConfiguration(n, { data: after, mode: a.mode, dryRun: false, tryTimeoutSeconds: a.tryTimeoutSeconds });
    return {
      actorId: null,
      message: [
        `patched MachineConfigs.config.talos.dev/v1alpha1 at the node ${n}`,
        r.modeDetails,
        ...r.warnings.map((w) => `warning: ${w}`),
      ]
        .filter(Boolean)
        .join('\n'),
    };
  },
};

const service: StepKind<Of<'service'>> = {
  method: '/machine.MachineService/ServiceRestart',
  verb: 'service',
  takesDown: false,
  staysDown: false,
  destructive: false,
  gates: (_role, a) => gates('service', ...(a.action === 'stop' ? [] : (['ready'] as const))),
  talosctl: (t, a) => talosctl.serviceAction(t, a.service, a.action),
  summary: (a) => `${a.action} service ${a.service}`,
  send: async (c, n, a) => ({ actorId: null, message: await c.serviceAction(n, a.service, a.action) }),
};

const KINDS = {
  reboot,
  shutdown,
  upgrade,
  'apply-config': applyConfig,
  'patch-config': patchConfigKind,
  service,
  ...DAY_TWO_KINDS,
} as const;

export function stepKind<A extends OperationAction>(action: A): StepKind<A> {
  return KINDS[action.kind] as unknown as StepKind<A>;
}

/** The method a step calls: ServiceStart/Stop/Restart depend on the service action. */
export function methodOf(action: OperationAction): string {
  if (action.kind === 'service') return `/machine.MachineService/Service${action.action[0]!.toUpperCase()}${action.action.slice(1)}`;
  return stepKind(action).method;
}
