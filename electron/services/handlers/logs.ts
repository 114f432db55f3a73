import type { HandlersFor } from '../../../shared/handlers';
import { logStreamKey } from '../../../shared/stream-keys';
import type { HandlerDeps } from './deps';

export function logHandlers({ sessions, streams }: HandlerDeps): HandlersFor<'logs'> {
  return {
    /** The sources a node offers. Each list is kept when the other call fails; `errors` says which failed. */
    'logs.sources': async ({ identityId, node }) => {
      const client = await sessions.client(identityId);
      const [services, containers] = await Promise.allSettled([client.logsContainers(node), client.containers(node, 'k8s.io')]);
      const errors: { call: string; message: string }[] = [];
      if (services.status === 'rejected') errors.push({ call: 'LogsContainers', message: messageOf(services.reason) });
      if (containers.status === 'rejected') errors.push({ call: 'Containers', message: messageOf(containers.reason) });
      // Without LogsContainers, the service ids from ServiceList are the log ids Talos keeps (plus the kernel).
      let serviceIds = services.status === 'fulfilled' ? services.value : null;
      if (!serviceIds) {
        const listed = await client.services(node).catch(() => null);
        serviceIds = listed ? [...listed.map((s) => s.id), 'kernel'] : [];
      }
      return {
        services: [...new Set(serviceIds)].sort(),
        containers:
          containers.status === 'fulfilled'
            ? containers.value.filter((c) => c.id.split(':').length === 3).map((c) => ({ id: c.id, name: c.name }))
            : [],
        errors,
      };
    },
    'logs.open': async ({ streamId, identityId, nodes, sources, tail, follow, capLines }) => {
      const parts = nodes.flatMap((node) =>
        sources.map((source) => ({
          key: logStreamKey(node, source),
          node,
          source,
          spec: { kind: 'log' as const, node, source, tail, follow },
        })),
      );
      await streams.start(streamId, identityId, parts, { capLines });
      return { streams: parts.map((p) => ({ key: p.key, node: p.node, kind: p.source.kind, id: p.source.id })) };
    },
    'logs.ack': async ({ streamId, frames }) => ({ open: streams.ack(streamId, frames) }),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
