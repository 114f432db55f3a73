import { contextBridge, ipcRenderer } from 'electron';
import { channelNames, eventNames, type EventName } from '../../shared/contract';
import type { NodeglassApi } from '../../shared/api';

/** Exactly the contract: one function per channel and a listener per known event, nothing generic. */
const calls = Object.fromEntries(channelNames.map((channel) => [channel, (request: unknown) => ipcRenderer.invoke(channel, request)]));

const api: NodeglassApi = {
  host: 'desktop',
  calls: calls as unknown as NodeglassApi['calls'],
  on(name: EventName, listener) {
    if (!eventNames.includes(name)) throw new Error(`Unknown event ${String(name)}`);
    const wrapped = (_event: unknown, payload: unknown) => (listener as (p: unknown) => void)(payload);
    ipcRenderer.on(`event:${name}`, wrapped);
    return () => ipcRenderer.removeListener(`event:${name}`, wrapped);
  },
};

contextBridge.exposeInMainWorld('nodeglass', api);

// A log viewer hands the main process one end of a MessageChannel per stream (its worker holds the other),
// so log frames go straight to the worker. Ports cannot cross contextBridge; they come by window message.
type Port = NonNullable<Parameters<typeof ipcRenderer.postMessage>[2]>[number];
type PortMessage = { source: unknown; data: unknown; ports: readonly Port[] };
const page = globalThis as unknown as { addEventListener(type: 'message', listener: (event: PortMessage) => void): void };
page.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown; streamId?: unknown } | null;
  const port = event.ports[0];
  if (event.source !== globalThis || data?.type !== 'nodeglass:log-port' || !port) return;
  if (typeof data.streamId !== 'string' || !/^[A-Za-z0-9_-]{8,100}$/.test(data.streamId)) return;
  ipcRenderer.postMessage('logs:port', { streamId: data.streamId }, [port]);
});
