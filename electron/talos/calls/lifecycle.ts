import { Empty } from '../../../proto/gen/google/protobuf/empty';
import { MachineServiceService as M, RebootRequest_Mode, UpgradeRequest_RebootMode } from '../../../proto/gen/machine/machine';
import { AppError } from '../../../shared/errors';
import type { ImageStoreName } from '../../../shared/domain/compliance';
import { LifecycleServiceService } from '../../../proto/gen/machine/lifecycle';
import { containerdInstance } from './images';
import type { TalosConnection } from '../connection';

export type RebootMode = 'default' | 'powercycle' | 'force';

export interface UpgradeOptions {
  image: string;
  stage: boolean;
  force: boolean;
  preserve: boolean;
  rebootMode: 'default' | 'powercycle';
}

/** Where a boot is recognised: the kernel's boot id (os:admin may Read it), else the boot time (SystemStat, any role). */
export interface BootMarker {
  source: 'boot_id' | 'boot_time';
  value: string;
}

function first<T>(response: { messages: T[] }, method: string): T {
  const message = response.messages[0];
  if (!message) throw new AppError('INTERNAL', `${method} returned no message.`);
  return message;
}

const REBOOT_MODES: Record<RebootMode, RebootRequest_Mode> = {
  default: RebootRequest_Mode.DEFAULT,
  powercycle: RebootRequest_Mode.POWERCYCLE,
  force: RebootRequest_Mode.FORCE,
};

/** `talosctl reboot --mode …`: returns the actor id the reboot sequence's events carry. */
export async function reboot(connection: TalosConnection, node: string, mode: RebootMode): Promise<string> {
  return first(await connection.unary(M.reboot, { mode: REBOOT_MODES[mode] }, node), 'Reboot').actorId;
}

/** `talosctl shutdown [--force]`. */
export async function shutdown(connection: TalosConnection, node: string, force: boolean): Promise<string> {
  return first(await connection.unary(M.shutdown, { force }, node), 'Shutdown').actorId;
}

/** The legacy `MachineService/Upgrade`, the call that carries stage, force, preserve and the reboot mode. */
export async function upgrade(connection: TalosConnection, node: string, o: UpgradeOptions): Promise<{ ack: string; actorId: string }> {
  const rebootMode = o.rebootMode === 'powercycle' ? UpgradeRequest_RebootMode.POWERCYCLE : UpgradeRequest_RebootMode.DEFAULT;
  const u = first(
    await connection.unary(M.upgrade, { image: o.image, preserve: o.preserve, stage: o.stage, force: o.force, rebootMode }, node),
    'Upgrade',
  );
  return { ack: u.ack, actorId: u.actorId };
}

/** How an image installation ended: the installer's messages and its exit code (0 = installed). */
export interface InstallResult {
  messages: string[];
  exitCode: number;
}

/**
 * `LifecycleService/Upgrade` (os:admin), the upgrade path of talosctl >= v1.13: installs an installer image already
 * pulled with ImageService/Pull into the given store (talosctl: `system`), streaming the installer's messages. It
 * runs no sequence and does not reboot: the node runs the new version after a Reboot. Older nodes answer
 * UNIMPLEMENTED; use `upgrade` (MachineService/Upgrade) then.
 */
export async function installUpgrade(
  connection: TalosConnection,
  node: string,
  image: string,
  options: { store?: ImageStoreName; onMessage?: (message: string) => void; signal?: AbortSignal } = {},
): Promise<InstallResult> {
  const result: InstallResult = { messages: [], exitCode: -1 };
  await connection.stream(
    LifecycleServiceService.upgrade,
    { containerd: containerdInstance(options.store ?? 'system'), source: { imageName: image } },
    node,
    ({ progress }) => {
      if (progress?.message !== undefined) {
        result.messages.push(progress.message);
        options.onMessage?.(progress.message);
      }
      if (progress?.exitCode !== undefined) result.exitCode = progress.exitCode;
    },
    options.signal,
  );
  if (result.exitCode !== 0)
    throw new AppError(
      'INTERNAL',
      `The installer on ${node} ${result.exitCode < 0 ? 'ended without an exit code' : `exited with code ${result.exitCode}`}: ${result.messages.at(-1) ?? 'no output'}`,
    );
  return result;
}

/** As talosctl's tracker reads it before and after a reboot; without os:admin the boot time stands in for the id. */
export async function bootMarker(connection: TalosConnection, node: string, timeoutMs = 10_000): Promise<BootMarker> {
  try {
    const chunks: Buffer[] = [];
    await connection.stream(
      M.read,
      { path: '/proc/sys/kernel/random/boot_id' },
      node,
      (d) => chunks.push(Buffer.from(d.bytes)),
      AbortSignal.timeout(timeoutMs),
    );
    const id = Buffer.concat(chunks).toString('utf8').trim();
    if (id) return { source: 'boot_id', value: id };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'PERMISSION_DENIED') throw error;
  }
  const stat = first(await connection.unary(M.systemStat, Empty.fromPartial({}), node, { timeoutMs }), 'SystemStat');
  return { source: 'boot_time', value: String(stat.bootTime) };
}

/** The calls a rolling operation makes, bound to one connection: `client.lifecycle.reboot(node, mode)` and so on. */
export function lifecycleCalls(connection: TalosConnection) {
  return {
    reboot: (node: string, mode: RebootMode) => reboot(connection, node, mode),
    shutdown: (node: string, force: boolean) => shutdown(connection, node, force),
    upgrade: (node: string, options: UpgradeOptions) => upgrade(connection, node, options),
    installUpgrade: (node: string, image: string, options?: Parameters<typeof installUpgrade>[3]) =>
      installUpgrade(connection, node, image, options),
    bootMarker: (node: string, timeoutMs?: number) => bootMarker(connection, node, timeoutMs),
  };
}
export type LifecycleCalls = ReturnType<typeof lifecycleCalls>;
