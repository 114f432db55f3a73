import type { Channel, EventName, EventPayload, Request, Response } from './contract';
import type { Result } from './result';

/** One function per channel: the only way the renderer reaches the host. */
export type ApiCalls = { [C in Channel]: (request: Request<C>) => Promise<Result<Response<C>>> };

export interface NodeglassApi {
  host: 'desktop' | 'browser';
  calls: ApiCalls;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Browser mode: routes the binary log frames of one stream to `port` (the log worker holds the other end).
   * The desktop preload has no such function: there the page hands the port to the main process.
   */
  attachLogPort?(streamId: string, port: FramePort): () => void;
}

/** The sending end of a MessagePort, as far as log frames need it. */
export interface FramePort {
  postMessage(frame: ArrayBuffer, transfer: ArrayBuffer[]): void;
}
