import { setMaxListeners } from 'node:events';
import { AppError } from '../../../shared/errors';
import type { Emit } from '../../../shared/handlers';
import type { TalosSessions } from '../talos-sessions';
import type { Backoff } from './reconnect';
import { runPart, type PartSpec } from './stream-parts';

interface OpenStream {
  identityId: string;
  abort: AbortController;
}

/**
 * Owns every server stream the renderer follows. The renderer picks the stream id, so it can route the
 * first event; each stream has parts (one per node and source) that share one reconnect policy and one
 * close path. Closing a stream, an identity's streams or all of them aborts the node calls and sends an
 * `ended` state for each part.
 */
export class StreamHub {
  private readonly open = new Map<string, OpenStream>();

  constructor(
    private readonly sessions: TalosSessions,
    private readonly emit: Emit,
    private readonly backoff?: Backoff,
  ) {}

  async start(streamId: string, identityId: string, parts: { key: string; spec: PartSpec }[]): Promise<void> {
    if (this.open.has(streamId)) throw new AppError('INVALID_ARGUMENT', `A stream with id ${streamId} is already open; pick a new id.`);
    const abort = new AbortController();
    setMaxListeners(0, abort.signal); // one listener per part
    this.open.set(streamId, { identityId, abort });
    try {
      const client = await this.sessions.client(identityId);
      if (abort.signal.aborted) return;
      for (const { key, spec } of parts) {
        const ctx = { client, streamId, key, signal: abort.signal, emit: this.emit, backoff: this.backoff };
        // A part that gives up has already reported why as its final `error` state.
        runPart(ctx, spec).catch(() => undefined);
      }
    } catch (error) {
      this.open.delete(streamId);
      throw error;
    }
  }

  /** Closes one stream; false when no such stream is open. */
  close(streamId: string): boolean {
    const stream = this.open.get(streamId);
    if (!stream) return false;
    this.open.delete(streamId);
    stream.abort.abort();
    return true;
  }

  /** Closes the streams of one identity (removed, changed, or its vault locked), or all of them. */
  closeAll(identityId?: string): void {
    for (const [id, stream] of this.open) if (!identityId || stream.identityId === identityId) this.close(id);
  }

  get size(): number {
    return this.open.size;
  }
}
