import { MachineServiceService as M, ResetRequest_WipeMode as WipeMode } from '../../../proto/gen/machine/machine';
import type { TalosConnection } from '../connection';

export interface ResetOptions {
  graceful: boolean;
  reboot: boolean;
  mode: 'all' | 'system-disk' | 'user-disks';
  systemLabels: string[];
  userDisks: string[];
}

const MODES = { all: WipeMode.ALL, 'system-disk': WipeMode.SYSTEM_DISK, 'user-disks': WipeMode.USER_DISKS } as const;

/** `talosctl reset` (os:admin): returns the actor id its sequence's events carry. */
export async function reset(connection: TalosConnection, node: string, o: ResetOptions): Promise<string> {
  const response = await connection.unary(
    M.reset,
    {
      graceful: o.graceful,
      reboot: o.reboot,
      mode: MODES[o.mode],
      systemPartitionsToWipe: o.systemLabels.map((label) => ({ label, wipe: true })),
      userDisksToWipe: o.userDisks,
    },
    node,
  );
  return response.messages[0]?.actorId ?? '';
}

/** `talosctl rollback` (os:admin): reverts the boot entry and reboots; Talos returns no actor id. */
export async function rollback(connection: TalosConnection, node: string): Promise<void> {
  await connection.unary(M.rollback, {}, node);
}
