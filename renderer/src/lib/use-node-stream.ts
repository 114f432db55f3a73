import { useEffect, useRef } from 'react';
import type { EventName, EventPayload, Request } from '../../../shared/contract';
import { getApi } from '../api';
import { call, errorText } from '../api/call';
import { newStreamId } from '../api/stream-id';
import { useUi } from '../stores/ui-store';

type StreamEvent = Extract<EventName, `stream.${string}`>;
type Handlers = { [E in StreamEvent]?: (payload: EventPayload<E>) => void };

/**
 * Opens a host stream (events, dmesg or a resource watch, one part per node, keyed by node address) while
 * `request` is set and routes its events to `handlers`. The id is chosen here, so no event can arrive
 * before it is known. The stream is closed when the request changes or the view goes.
 */
export function useNodeStream(request: Omit<Request<'stream.open'>, 'streamId'> | null, handlers: Handlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const key = JSON.stringify(request);
  useEffect(() => {
    if (!request) return;
    const streamId = newStreamId();
    const offs = (Object.keys(latest.current) as StreamEvent[]).map((name) =>
      getApi().on(name, (payload: { streamId: string }) => {
        if (payload.streamId === streamId) (latest.current[name] as ((p: unknown) => void) | undefined)?.(payload);
      }),
    );
    call('stream.open', { ...request, streamId }).catch((e) => useUi.getState().notify('error', errorText(e)));
    return () => {
      for (const off of offs) off();
      void call('stream.close', { streamId }).catch(() => undefined);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
