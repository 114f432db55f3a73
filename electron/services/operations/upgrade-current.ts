import { AppError } from '../../../shared/errors';
import type { ImagePullProgress } from '../../../shared/domain/compliance';
import type { TalosClient } from '../../talos/client';
import { lifecycleCalls } from '../../talos/calls/lifecycle';
import type { Of, SentStep } from './step-kinds';

const unimplemented = (error: unknown) => error instanceof AppError && error.code === 'UNIMPLEMENTED';

/**
 * talosctl's upgrade of a node newer than v1.13.0-alpha.2: ImageService/Pull of the installer into the system
 * containerd, LifecycleService/Upgrade (installer messages stream, no sequence runs, the stage stays `running`), then
 * Reboot, whose actor id the step's events carry. Resolves to null when the node answers UNIMPLEMENTED before anything
 * was installed, so the caller falls back to the legacy MachineService/Upgrade as talosctl does.
 */
export async function upgradeCurrentPath(
  client: TalosClient,
  node: string,
  action: Of<'upgrade'>,
  report: (detail: string) => void,
): Promise<SentStep | null> {
  const calls = lifecycleCalls(client.connection);
  const layers = new Map<string, ImagePullProgress['status']>();
  let pinned: string;
  try {
    report(`ImageService/Pull ${action.image} into the system containerd`);
    pinned = await client.images.pull(node, 'system', action.image, (p) => {
      if (layers.get(p.layerId) === p.status) return;
      layers.set(p.layerId, p.status);
      if (p.status !== 'downloading') report(`pull: layer ${p.layerId} ${p.status.replace('-', ' ')}`);
    });
    report(`pulled ${pinned}`);
    await calls.installUpgrade(node, action.image, { store: 'system', onMessage: (m) => report(`installer: ${m}`) });
  } catch (error) {
    if (!unimplemented(error)) throw error;
    report(`${node} answered UNIMPLEMENTED (${(error as Error).message}): falling back to the legacy MachineService/Upgrade`);
    return null;
  }
  const actorId = await calls.reboot(node, action.rebootMode === 'powercycle' ? 'powercycle' : 'default');
  return { actorId, message: `Installed ${action.image} (LifecycleService/Upgrade); reboot requested` };
}
