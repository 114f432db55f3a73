import type { HandlersFor } from '../../../shared/handlers';
import { collectTimeline } from '../timeline/collect';
import { TimelineStore } from '../timeline/timeline-store';
import type { HandlerDeps } from './deps';

/** The incident timeline: node history read here, merged with this operator's audit trail and with what earlier reads saw. */
export function timelineHandlers({ sessions, audit }: HandlerDeps, now: () => number = Date.now): HandlersFor<'timeline'> {
  const store = new TimelineStore();
  return {
    'timeline.collect': async ({ identityId, nodes, sinceMinutes }) => {
      const client = await sessions.client(identityId);
      // A trail that cannot be read (locked vault) leaves the node history; the timeline then shows no actions.
      const entries = await audit.entries().catch(() => []);
      const at = now();
      const fresh = await collectTimeline(client, nodes, entries, sinceMinutes, at);
      return store.merge(identityId, fresh, nodes, at - sinceMinutes * 60_000);
    },
  };
}
