import { getApi } from '.';

/**
 * A MessageChannel for one log stream's binary frames: the host gets one end, the log worker the other, so
 * frames never wait on the page's main thread (desktop) or are handed over without a copy (browser mode).
 */
export function openLogPort(streamId: string): { port: MessagePort; release(): void } {
  const channel = new MessageChannel();
  const api = getApi();
  if (api.attachLogPort) {
    const detach = api.attachLogPort(streamId, channel.port1);
    return {
      port: channel.port2,
      release: () => {
        detach();
        channel.port1.close();
      },
    };
  }
  // Desktop: the preload passes this end on to the main process (ports cannot cross contextBridge).
  window.postMessage({ type: 'nodeglass:log-port', streamId }, window.location.origin, [channel.port1]);
  return { port: channel.port2, release: () => undefined };
}
