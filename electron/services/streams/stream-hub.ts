import { setMaxListeners } from 'node:events';
import { AppError } from '../../../shared/errors';
import type { Emit, LogFrameSink } from '../../../shared/handlers';
import type { TalosSessions } from '../talos-sessions';
import { LogFlow } from './log-flow';
import type { Backoff } from './reconnect';
import { runPart, type PartSpec } from './stream-parts';

interface OpenStream {
  identityId: string;
  abort: AbortController;
  logs?: LogFlow;
}

export interface StreamHubOptions {
  backoff?: Backoff;
  /** Where log frames go (binary, to the viewer's worker); log streams need it. */
  logFrames?: LogFrameSink;
}

/** How often held log lines are offered to the viewer. */
const LOG_FLUSH_MS = 50;
/**
 * "N lines behind" changes with every frame while a fast stream runs; the viewer hears it at most this often
 * (the latest count), since each event re-renders the page.
 */
const BEHIND_EVENT_MS = 250;

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
    private readonly options: StreamHubOptions = {},
  ) {}

  /**
   * Starts a stream's parts. A log stream (`logs` given) sends its lines as binary frames through one
   * LogFlow, which holds them back while the viewer has not taken in earlier frames (see `ack`).
   */
  async start(streamId: string, identityId: string, parts: { key: string; spec: PartSpec }[], logs?: { capLines: number }): Promise<void> {
    if (this.open.has(streamId)) throw new AppError('INVALID_ARGUMENT', `A stream with id ${streamId} is already open; pick a new id.`);
    const abort = new AbortController();
    setMaxListeners(0, abort.signal); // one listener per part
    const flow = logs ? this.logFlow(streamId, logs.capLines, abort.signal) : undefined;
    this.open.set(streamId, { identityId, abort, logs: flow });
    try {
      const client = await this.sessions.client(identityId);
      if (abort.signal.aborted) return;
      for (const { key, spec } of parts) {
        const ctx = { client, streamId, key, signal: abort.signal, emit: this.emit, backoff: this.options.backoff, logs: flow };
        // A part that gives up has already reported why as its final `error` state.
        runPart(ctx, spec).catch(() => undefined);
      }
    } catch (error) {
      this.open.delete(streamId);
      abort.abort();
      throw error;
    }
  }

  private logFlow(streamId: string, capLines: number, signal: AbortSignal): LogFlow {
    const sink = this.options.logFrames;
    if (!sink) throw new AppError('INTERNAL', 'This host cannot carry log frames to the viewer.');
    const flow = new LogFlow({
      streamId,
      capLines,
      canSend: () => !signal.aborted,
      send: (frame) => sink.send(streamId, frame),
      onBehind: (lines) => {
        latestBehind = lines;
        behindTimer ??= setTimeout(() => {
          behindTimer = null;
          if (!signal.aborted) this.emit('stream.behind', { streamId, lines: latestBehind });
        }, BEHIND_EVENT_MS);
      },
    });
    let latestBehind = 0;
    let behindTimer: ReturnType<typeof setTimeout> | null = null;
    const timer = setInterval(() => flow.flush(), LOG_FLUSH_MS);
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(timer);
        if (behindTimer) clearTimeout(behindTimer);
        sink.close(streamId);
      },
      { once: true },
    );
    return flow;
  }

  /** The viewer took in `frames` more frames of a log stream; false when no such log stream is open. */
  ack(streamId: string, frames: number): boolean {
    const flow = this.open.get(streamId)?.logs;
    flow?.ack(frames);
    return flow !== undefined;
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
