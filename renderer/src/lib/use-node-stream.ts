import { useEffect, useRef } from 'react';
import type { EventName, EventPayload, Request } from '../../../shared/contract';
import { getApi } from '../api';
import { call, errorText } from '../api/call';
import { useUi } from '../stores/ui-store';

type StreamEvent = Extract<EventName, `stream.${string}`>;
type Handlers = { [E in StreamEvent]?: (payload: EventPayload<E>) => void };

/**
 * Opens a host stream while `request` is set and routes its events to `handlers`; events that arrive before
 * the stream id is known are held, not lost. The stream is closed when the request changes or the view goes.
 */
export function useNodeStream(request: Request<'stream.open'> | null, handlers: Handlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const key = JSON.stringify(request);
  useEffect(() => {
    if (!request) return;
    let streamId: string | null = null;
    let closed = false;
    const early: { name: StreamEvent; payload: { streamId: string } }[] = [];
    const deliver = (name: StreamEvent, payload: { streamId: string }) =>
      (latest.current[name] as ((p: unknown) => void) | undefined)?.(payload);
    const offs = (Object.keys(latest.current) as StreamEvent[]).map((name) =>
      getApi().on(name, (payload: { streamId: string }) => {
        if (streamId === null) early.push({ name, payload });
        else if (payload.streamId === streamId) deliver(name, payload);
      }),
    );
    call('stream.open', request).then(
      (r) => {
        streamId = r.streamId;
        if (closed) return void call('stream.close', { streamId: r.streamId });
        for (const e of early) if (e.payload.streamId === streamId) deliver(e.name, e.payload);
        early.length = 0;
      },
      (e) => useUi.getState().notify('error', errorText(e)),
    );
    return () => {
      closed = true;
      for (const off of offs) off();
      if (streamId) void call('stream.close', { streamId });
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
