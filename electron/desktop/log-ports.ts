import type { MessagePortMain } from 'electron';
import type { LogFrameSink } from '../../shared/handlers';
import { STREAM_ID } from '../../shared/stream-keys';

/**
 * Desktop: the MessagePorts the renderer hands over for log streams, one per stream. Frames go from here
 * straight to the log worker that holds the other end, never through the page's main thread.
 */
export class LogPorts implements LogFrameSink {
  private readonly ports = new Map<string, Pick<MessagePortMain, 'postMessage' | 'close' | 'start' | 'on'>>();

  attach(streamId: string, port: Pick<MessagePortMain, 'postMessage' | 'close' | 'start' | 'on'>): void {
    if (!STREAM_ID.test(streamId)) {
      port.close();
      return;
    }
    this.ports.get(streamId)?.close();
    this.ports.set(streamId, port);
    port.on('close', () => {
      if (this.ports.get(streamId) === port) this.ports.delete(streamId);
    });
    port.start();
  }

  send(streamId: string, frame: ArrayBuffer): boolean {
    const port = this.ports.get(streamId);
    if (!port) return false;
    port.postMessage(frame);
    return true;
  }

  close(streamId: string): void {
    const port = this.ports.get(streamId);
    this.ports.delete(streamId);
    port?.close();
  }
}
