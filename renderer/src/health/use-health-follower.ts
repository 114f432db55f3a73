import { useEffect, useRef } from 'react';
import { useNodeStream } from '../lib/use-node-stream';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { HEALTH_REFRESH_MS, useHealth } from './health-store';

/**
 * Keeps the active session's health fresh for the whole app (sidebar and Overview): recomputed every 15 s, and at
 * once (debounced) when a node's MachineStatus changes, which Talos offers as a COSI Watch.
 */
export function useHealthFollower(): void {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const key = identity && nodes.length ? `${identity.id}|${nodes.join(',')}` : null;
  const soon = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!identity || !nodes.length) return;
    const refresh = () => void useHealth.getState().refresh(identity.id, nodes);
    refresh();
    const timer = setInterval(refresh, HEALTH_REFRESH_MS);
    return () => {
      clearInterval(timer);
      if (soon.current) clearTimeout(soon.current);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  useNodeStream(
    identity && nodes.length
      ? {
          identityId: identity.id,
          nodes,
          kind: 'resources',
          tail: 0,
          resource: { type: 'MachineStatuses.runtime.talos.dev', namespace: 'runtime', id: 'machine' },
        }
      : null,
    {
      'stream.resources': (batch) => {
        if (!identity || !batch.events.some((e) => e.kind === 'updated')) return;
        if (soon.current) clearTimeout(soon.current);
        soon.current = setTimeout(() => void useHealth.getState().refresh(identity.id, nodes), 1000);
      },
    },
  );
}
