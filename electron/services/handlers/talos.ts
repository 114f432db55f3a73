import { AppError } from '../../../shared/errors';
import { talosctl } from '../../../shared/talosctl';
import type { HandlersFor } from '../../../shared/handlers';
import type { TalosClient } from '../../talos/client';
import { nodeEtcd, nodeOverview } from '../node-views';
import type { HandlerDeps } from './deps';

const LIFECYCLE = {
  reboot: {
    method: '/machine.MachineService/Reboot',
    run: async (c: TalosClient, n: string) => ({ actorId: await c.reboot(n), message: 'Reboot requested' }),
  },
  shutdown: {
    method: '/machine.MachineService/Shutdown',
    run: async (c: TalosClient, n: string) => ({ actorId: await c.shutdown(n), message: 'Shutdown requested' }),
  },
  upgrade: {
    method: '/machine.MachineService/Upgrade',
    run: async (c: TalosClient, n: string, image: string) => {
      const u = await c.upgrade(n, image);
      return { actorId: u.actorId, message: u.ack };
    },
  },
} as const;

/** Per-node reads fan out; every change goes through the mutation gate. */
export function talosHandlers({ sessions, identities, mutate }: HandlerDeps): HandlersFor<'talos'> {
  const { perNode } = sessions;
  const contextOf = async (identityId: string) => (await identities.store.meta(identityId)).name;
  return {
    'talos.version': ({ identityId, nodes }) => perNode(identityId, nodes, (c, n) => c.version(n)),
    'talos.overview': ({ identityId, nodes }) => perNode(identityId, nodes, nodeOverview),
    'talos.services': ({ identityId, nodes }) => perNode(identityId, nodes, (c, n) => c.services(n)),
    'talos.processes': ({ identityId, nodes }) => perNode(identityId, nodes, (c, n) => c.processes(n)),
    'talos.memory': ({ identityId, nodes }) => perNode(identityId, nodes, (c, n) => c.memory(n)),
    'talos.mounts': ({ identityId, nodes }) => perNode(identityId, nodes, (c, n) => c.mounts(n)),
    'talos.containers': ({ identityId, nodes, namespace }) => perNode(identityId, nodes, (c, n) => c.containers(n, namespace)),
    'talos.etcd': ({ identityId, nodes }) => perNode(identityId, nodes, nodeEtcd),
    'talos.serviceAction': async ({ identityId, nodes, service, action }) => {
      const method = `/machine.MachineService/Service${action[0]!.toUpperCase()}${action.slice(1)}`;
      const command = talosctl.serviceAction({ context: await contextOf(identityId), nodes }, service, action);
      return mutate({ identityId, nodes, method, args: { id: service }, talosctl: command }, () =>
        perNode(identityId, nodes, async (c, n) => ({ message: await c.serviceAction(n, service, action) })),
      );
    },
    'talos.lifecycle': async ({ identityId, nodes, action, image }) => {
      if (action === 'upgrade' && !image)
        throw new AppError('INVALID_ARGUMENT', 'An upgrade needs the installer image, like ghcr.io/siderolabs/installer:v1.13.10.');
      const t = { context: await contextOf(identityId), nodes };
      const command =
        action === 'reboot' ? talosctl.reboot(t) : action === 'shutdown' ? talosctl.shutdown(t) : talosctl.upgrade(t, image ?? '');
      const { method, run } = LIFECYCLE[action];
      return mutate({ identityId, nodes, method, args: image ? { image } : {}, talosctl: command }, () =>
        perNode(identityId, nodes, (c, n) => run(c, n, image ?? '')),
      );
    },
  };
}
