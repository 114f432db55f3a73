import type { Channel, EventName, EventPayload, Request, Response } from './contract';
import type { Result } from './result';

/** One function per channel: the only way the renderer reaches the host. */
export type ApiCalls = { [C in Channel]: (request: Request<C>) => Promise<Result<Response<C>>> };

export interface NodeglassApi {
  host: 'desktop' | 'browser';
  calls: ApiCalls;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Browser mode: where the log worker opens the socket that carries one stream's binary frames (and its
   * acknowledgements back). The desktop preload has no such function: there the page hands a MessagePort to
   * the main process.
   */
  logSocket?(streamId: string): LogSocketAddress;
}

/** A log stream's WebSocket: its URL and the subprotocols to offer (the token travels as one, never in the URL). */
export interface LogSocketAddress {
  url: string;
  protocols: string[];
}
