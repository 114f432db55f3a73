import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export function logHandlers({ sessions, logStreams }: HandlerDeps): HandlersFor<'logs'> {
  return {
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
