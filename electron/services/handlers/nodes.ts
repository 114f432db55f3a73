import type { NodeRef } from '../../../shared/domain/node';
import type { HandlersFor } from '../../../shared/handlers';
import type { HandlerDeps } from './deps';

export function nodeHandlers({ identities, sessions }: HandlerDeps): HandlersFor<'nodes'> {
  return {
    'nodes.list': async ({ identityId }) => {
      const meta = await identities.store.meta(identityId);
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
  };
}
