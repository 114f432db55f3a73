import type { LogSocketAddress } from '../../../shared/api';
import { getApi } from '.';

/** Where one log stream's binary frames reach the log worker, never through the page's main thread. */
export type LogFrameRoute = { port: MessagePort; socket?: undefined } | { socket: LogSocketAddress; port?: undefined };

/**
 * Desktop: a MessageChannel, one end to the main process (through the preload), the other to the worker.
 * Browser mode: the worker opens the stream's own WebSocket to the host.
 */
export function openLogRoute(streamId: string): LogFrameRoute {
  const api = getApi();
  if (api.logSocket) return { socket: api.logSocket(streamId) };
  const channel = new MessageChannel();
  // Ports cannot cross contextBridge: the preload passes this end on to the main process.
  window.postMessage({ type: 'nodeglass:log-port', streamId }, window.location.origin, [channel.port1]);
  return { port: channel.port2 };
}
