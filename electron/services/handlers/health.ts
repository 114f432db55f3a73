import type { HandlersFor } from '../../../shared/handlers';
import { assessHealth, collectCluster } from '../health/cluster-health';
import type { HandlerDeps } from './deps';

/** Cluster health: evidence read on the privileged side, checks and findings computed here, only the report crosses. */
export function healthHandlers({ identities, sessions }: HandlerDeps, now: () => number = Date.now): HandlersFor<'health'> {
  return {
    'health.cluster': async ({ identityId, nodes }) => {
      const meta = await identities.store.meta(identityId);
      const client = await sessions.client(identityId);
      const evidence = await collectCluster(
        client,
        nodes,
        { context: meta.name, roles: meta.roles, notAfter: meta.notAfter, caPem: meta.caPem },
        now,
      );
      return assessHealth(evidence, meta.name, now());
    },
  };
}
