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
