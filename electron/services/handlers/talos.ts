import { talosctl } from '../../../shared/talosctl';
import type { HandlersFor } from '../../../shared/handlers';
import { nodeEtcd, nodeOverview } from '../node-views';
import type { HandlerDeps } from './deps';
import { perNodeOutcomes } from './outcomes';

/** Per-node reads fan out; changes are audited handlers the dispatcher runs through the audit trail. */
export function talosHandlers({ sessions, identities }: HandlerDeps): HandlersFor<'talos'> {
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
    'talos.serviceAction': {
      intent: async ({ identityId, nodes, service, action }) => ({
        identityId,
        nodes,
        method: `/machine.MachineService/Service${action[0]!.toUpperCase()}${action.slice(1)}`,
        args: { id: service },
        talosctl: talosctl.serviceAction({ context: await contextOf(identityId), nodes }, service, action),
      }),
      run: ({ identityId, nodes, service, action }) =>
        perNode(identityId, nodes, async (c, n) => ({ message: await c.serviceAction(n, service, action) })),
      outcomes: perNodeOutcomes,
    },
  };
}
