import type { MessagePortMain } from 'electron';
import type { LogFrameSink } from '../../shared/handlers';
import { logAckFrames } from '../../shared/log-frame';
import { STREAM_ID } from '../../shared/stream-keys';

type Port = Pick<MessagePortMain, 'postMessage' | 'close' | 'start' | 'on'>;

/**
 * Desktop: the MessagePorts the renderer hands over for log streams, one per stream. Frames go from here
 * straight to the log worker that holds the other end, and its acknowledgements (`{ ack: n }`) come back the
 * same way, never through the page's main thread; anything else on a port closes it.
 */
export class LogPorts implements LogFrameSink {
  private readonly ports = new Map<string, Port>();

  constructor(private readonly ack: (streamId: string, frames: number) => void) {}

  attach(streamId: string, port: Port): void {
    if (!STREAM_ID.test(streamId)) {
      port.close();
      return;
    }
    this.ports.get(streamId)?.close();
    this.ports.set(streamId, port);
    port.on('close', () => {
      if (this.ports.get(streamId) === port) this.ports.delete(streamId);
    });
    port.on('message', (event) => {
      const frames = logAckFrames(event.data);
      if (frames === null) return this.close(streamId);
      this.ack(streamId, frames);
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
