import { hasLifecycleService, LEGACY_UPGRADE_UNTIL } from '../../../shared/talos-version';
import type { UpgradePlanPath } from '../../../shared/domain/operation';
import type { Of } from './step-kinds';

export const UPGRADE_METHODS = {
  current: ['/machine.ImageService/Pull', '/machine.LifecycleService/Upgrade', '/machine.MachineService/Reboot'],
  legacy: ['/machine.MachineService/Upgrade'],
} as const;

/**
 * How talosctl upgrades a node of this version: newer than v1.13.0-alpha.2 it pulls the installer into the system
 * containerd (ImageService/Pull), installs it (LifecycleService/Upgrade: a stream of installer messages, no
 * sequence) and reboots; older nodes only have the legacy MachineService/Upgrade sequence. Stage, force and preserve
 * are fields of the legacy request only, so a plan that asks for them keeps the legacy call on every node.
 */
export function upgradePathFor(version: string, action: Of<'upgrade'>): UpgradePlanPath {
  const legacyOnly = [action.stage && '--stage', action.force && '--force', action.preserve && '--preserve'].filter(Boolean);
  const has = hasLifecycleService(version);
  if (legacyOnly.length)
    return {
      kind: 'legacy',
      why: `${legacyOnly.join(', ')} ${legacyOnly.length === 1 ? 'is an option' : 'are options'} of the legacy MachineService/Upgrade only`,
    };
  if (has === false)
    return { kind: 'legacy', why: `the node runs ${version}, which has no LifecycleService (it came after ${LEGACY_UPGRADE_UNTIL})` };
  return {
    kind: 'current',
    why:
      has === null
        ? `the node's version ${version || '(unknown)'} could not be compared; a node that answers UNIMPLEMENTED gets the legacy call, as talosctl does`
        : `the node runs ${version}, newer than ${LEGACY_UPGRADE_UNTIL}`,
  };
}

export function upgradeMethod(path: UpgradePlanPath['kind']): string {
  return UPGRADE_METHODS[path].join(' → ');
}

/** The talosctl line with the calls it makes on this node as a shell comment (talosctl picks the path itself). */
export function withPathNote(line: string, path: UpgradePlanPath['kind']): string {
  return `${line}  # ${path === 'current' ? 'ImageService/Pull, LifecycleService/Upgrade, then Reboot' : 'legacy MachineService/Upgrade'}`;
}
