import { AppError } from '../../shared/errors';
import type { NodeRef, PerNode } from '../../shared/domain/node';
import { talosctl } from '../../shared/talosctl';
import type { Handlers } from '../host/dispatch';
import type { TalosClient } from '../talos/client';
import { fanOut } from '../talos/fan-out';
import type { IdentityService } from './identity-service';
import type { LogStreams } from './log-streams';
import type { createMutationGate } from './mutations';
import { containersOf, etcdOf, memoryOf, mountsOf, processesOf } from './node-tables';
import { nodeOverview } from './overview';
import type { TalosSessions } from './talos-sessions';

type ConsoleHandlers = Pick<
  Handlers,
  | 'nodes.list'
  | 'talos.version'
  | 'talos.overview'
  | 'talos.services'
  | 'talos.serviceAction'
  | 'talos.lifecycle'
  | 'talos.processes'
  | 'talos.memory'
  | 'talos.mounts'
  | 'talos.containers'
  | 'talos.etcd'
  | 'configs.apply'
  | 'logs.sources'
  | 'logs.open'
>;

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

const APPLY_MODES = ['reboot', 'auto', 'no-reboot', 'staged', 'try'];

/** The console's operations on nodes: reads fan out per node; every change goes through the mutation gate. */
export function createConsoleHandlers(
  sessions: TalosSessions,
  identities: IdentityService,
  mutate: ReturnType<typeof createMutationGate>,
  logStreams: LogStreams,
): ConsoleHandlers {
  const perNode = async <T>(
    identityId: string,
    nodes: string[],
    fn: (client: TalosClient, node: string) => Promise<T>,
  ): Promise<PerNode<T>[]> => {
    const client = await sessions.client(identityId);
    return fanOut(nodes, (node) => fn(client, node));
  };
  const contextOf = async (identityId: string) => (await identities.meta(identityId)).name;

  return {
    'nodes.list': async ({ identityId }) => {
      const meta = await identities.meta(identityId);
      const nodes = new Map<string, NodeRef>();
      for (const address of meta.nodes) nodes.set(address, { address, hostname: null, machineType: null, source: 'context' });
      const client = await sessions.client(identityId);
      try {
        for (const m of await client.listResources(meta.nodes[0] ?? '', 'cluster', 'Members.cluster.talos.dev')) {
          const spec = m.spec as { addresses?: string[]; hostname?: string; machineType?: string };
          const address = spec.addresses?.[0];
          if (!address) continue;
          nodes.set(address, {
            address,
            hostname: spec.hostname ?? null,
            machineType: spec.machineType ?? null,
            source: nodes.has(address) ? 'both' : 'members',
          });
        }
      } catch {
        // Members is optional: older nodes or a reader without access still get the context's nodes.
      }
      return [...nodes.values()];
    },
    'talos.version': ({ identityId, nodes }) => perNode(identityId, nodes, (c, n) => c.version(n)),
    'talos.overview': ({ identityId, nodes }) => perNode(identityId, nodes, nodeOverview),
    'talos.services': ({ identityId, nodes }) => perNode(identityId, nodes, (c, n) => c.services(n)),
    'talos.processes': ({ identityId, nodes }) => perNode(identityId, nodes, processesOf),
    'talos.memory': ({ identityId, nodes }) => perNode(identityId, nodes, memoryOf),
    'talos.mounts': ({ identityId, nodes }) => perNode(identityId, nodes, mountsOf),
    'talos.containers': ({ identityId, nodes, namespace }) => perNode(identityId, nodes, (c, n) => containersOf(c, n, namespace)),
    'talos.etcd': ({ identityId, nodes }) => perNode(identityId, nodes, etcdOf),
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
    'configs.apply': async ({ identityId, node, yaml, mode, dryRun }) => {
      const command = talosctl.applyConfig({ context: await contextOf(identityId), nodes: [node] }, 'config.yaml', mode, dryRun);
      const request = {
        identityId,
        nodes: [node],
        method: '/machine.MachineService/ApplyConfiguration',
        args: { data: yaml, mode, dryRun },
        talosctl: command,
      };
      const [result] = await mutate(request, () =>
        perNode(identityId, [node], (c, n) => c.applyConfiguration(n, { data: yaml, mode, dryRun })),
      );
      if (!result || !result.ok) throw new AppError((result?.error.code as never) ?? 'INTERNAL', result?.error.message ?? 'Apply failed.');
      return {
        mode: APPLY_MODES[result.value.mode] ?? String(result.value.mode),
        modeDetails: result.value.modeDetails,
        warnings: result.value.warnings,
      };
    },
    'logs.sources': async ({ identityId, node }) => {
      const client = await sessions.client(identityId);
      const [services, containers] = await Promise.all([client.logsContainers(node), client.containers(node, 'k8s.io').catch(() => [])]);
      return {
        services: services.sort(),
        containers: containers.filter((c) => c.id.split(':').length === 3).map((c) => ({ id: c.id, name: c.name })),
      };
    },
    'logs.open': ({ identityId, nodes, sources, tail, follow }) => logStreams.open(identityId, nodes, sources, tail, follow),
  };
}
