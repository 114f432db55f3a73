import type { Channel, EventName, EventPayload, Request, Response } from './contract';
import type { Result } from './result';

/** One function per channel: the only way the renderer reaches the host. */
export type ApiCalls = { [C in Channel]: (request: Request<C>) => Promise<Result<Response<C>>> };

export interface NodeglassApi {
  host: 'desktop' | 'browser';
  calls: ApiCalls;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}
