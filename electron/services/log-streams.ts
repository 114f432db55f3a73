import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { AppError } from '../../shared/errors';
import type { Emit } from '../../shared/handlers';
import type { TalosClient } from '../talos/client';
import { followLines } from '../talos/follow-lines';
import type { TalosSessions } from './talos-sessions';

export interface LogSourceRequest {
  kind: 'service' | 'container' | 'kernel';
  id: string;
}

const FLUSH_MS = 50;
const FLUSH_LINES = 5000;

function open(client: TalosClient, node: string, source: LogSourceRequest, follow: boolean) {
  return (tailLines: number, onLines: (lines: string[]) => void, signal: AbortSignal) => {
    if (source.kind === 'kernel') {
      let buffered: string[] = [];
      return client
        .dmesg(
          node,
          { follow, tail: tailLines === 0 },
          (line) => {
            buffered.push(line);
            if (buffered.length >= 256) {
              onLines(buffered);
              buffered = [];
            }
          },
          signal,
        )
        .finally(() => buffered.length && onLines(buffered));
    }
    return client.logs(
      node,
      { namespace: source.kind === 'container' ? 'k8s.io' : 'system', id: source.id, follow, tailLines },
      onLines,
      signal,
    );
  };
}

/** Log streams for the viewer: one per node and source, batched per source before they cross to the renderer. */
export class LogStreams {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly sessions: TalosSessions,
    private readonly emit: Emit,
  ) {}

  async open(identityId: string, nodes: string[], sources: LogSourceRequest[], tail: number, follow: boolean) {
    const client = await this.sessions.client(identityId);
    const streamId = randomUUID();
    const abort = new AbortController();
    setMaxListeners(0, abort.signal); // one listener per node and source
    this.running.set(streamId, abort);
    const streams = nodes.flatMap((node) =>
      sources.map((source) => ({ key: `${node}|${source.kind}|${source.id}`, node, kind: source.kind, id: source.id })),
    );
    for (const stream of streams) {
      let pending: string[] = [];
      const flush = () => {
        if (pending.length === 0) return;
        this.emit('stream.logs', { streamId, key: stream.key, text: pending.join('\n'), count: pending.length, arrivedAt: Date.now() });
        pending = [];
      };
      const timer = setInterval(flush, FLUSH_MS);
      abort.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
      void followLines({
        initialTail: tail,
        signal: abort.signal,
        open: open(client, stream.node, stream, follow),
        onLines: (lines) => {
          for (const line of lines) pending.push(line);
          if (pending.length >= FLUSH_LINES) flush();
        },
        onReconnect: ({ lost, error }) => {
          flush();
          this.emit('stream.logmark', {
            streamId,
            key: stream.key,
            lost,
            message: lost
              ? `stream reconnected after "${error.message}"; lines may be missing here`
              : `stream reconnected after "${error.message}"; no lines lost`,
          });
        },
        onState: (state, error) =>
          this.emit('stream.state', {
            streamId,
            node: stream.key,
            state,
            error: error ? { code: error.code, message: error.message } : null,
          }),
      })
        .catch((error: unknown) => {
          const e = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
          this.emit('stream.state', { streamId, node: stream.key, state: 'error', error: { code: e.code, message: e.message } });
        })
        .finally(() => {
          flush();
          clearInterval(timer);
        });
    }
    return { streamId, streams };
  }

  close(streamId: string): boolean {
    const abort = this.running.get(streamId);
    abort?.abort();
    return this.running.delete(streamId);
  }

  closeAll(): void {
    for (const id of [...this.running.keys()]) this.close(id);
  }
}
