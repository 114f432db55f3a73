import type { WebSocket } from 'ws';
import type { LogFrameSink } from '../../shared/handlers';
import { logAckFrames } from '../../shared/log-frame';
import { STREAM_ID } from '../../shared/stream-keys';

/**
 * Browser mode: one WebSocket per log stream, opened by the log worker itself (`/ws/logs?stream=ID`), so
 * frames reach the worker without passing through the page's main thread, as the desktop's MessagePort
 * does. The worker acknowledges frames on the same socket (`{"ack": n}`); anything else closes it.
 */
export class LogSockets implements LogFrameSink {
  private readonly sockets = new Map<string, WebSocket>();

  constructor(private readonly ack: (streamId: string, frames: number) => void) {}

  attach(streamId: string, ws: WebSocket): void {
    if (!STREAM_ID.test(streamId)) return ws.close(1008, 'bad stream id');
    this.sockets.get(streamId)?.close(1000, 'replaced');
    this.sockets.set(streamId, ws);
    ws.on('close', () => {
      if (this.sockets.get(streamId) === ws) this.sockets.delete(streamId);
    });
    ws.on('message', (data, isBinary) => {
      const frames = isBinary ? null : ackCount(data.toString());
      if (frames === null) return ws.close(1008, 'only {"ack": n} is accepted on a log socket');
      this.ack(streamId, frames);
    });
  }

  send(streamId: string, frame: ArrayBuffer): boolean {
    const ws = this.sockets.get(streamId);
    if (!ws || ws.readyState !== ws.OPEN) return false;
    ws.send(frame, { binary: true });
    return true;
  }

  close(streamId: string): void {
    const ws = this.sockets.get(streamId);
    this.sockets.delete(streamId);
    ws?.close(1000, 'stream closed');
  }

  closeAll(): void {
    for (const ws of this.sockets.values()) ws.terminate();
    this.sockets.clear();
  }
}

function ackCount(text: string): number | null {
  try {
    return logAckFrames(JSON.parse(text));
  } catch {
    return null;
  }
}
