import type { ApiCalls, NodeglassApi } from '../../../shared/api';
import { channelNames, type EventName } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

const TOKEN_KEY = 'nodeglass.token';

/** Reads the one-time token from the URL fragment, keeps it for this tab and removes it from the address bar. */
export function takeToken(): string | null {
  const match = /token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The contract over the browser-mode WebSocket, shaped exactly like the desktop preload's API. */
export function createBrowserApi(token: string | null): NodeglassApi {
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;

  const unavailable = (message: string): Result<never> => ({ ok: false, error: { code: 'UNAVAILABLE', message } });

  function connect(): Promise<WebSocket> {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    if (opening) return opening;
    opening = new Promise<WebSocket>((resolve, reject) => {
      // The token goes in the Sec-WebSocket-Protocol header (offered as a subprotocol), never in the URL.
      const ws = new WebSocket(`ws://${window.location.host}/ws`, ['nodeglass.v1', `nodeglass.token.${token ?? ''}`]);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => {
        socket = ws;
        opening = null;
        resolve(ws);
      };
      ws.onerror = () => {
        opening = null;
        reject(new Error('connect failed'));
      };
      ws.onclose = () => {
        socket = null;
        for (const [, settle] of pending) settle(unavailable('The connection to the Nodeglass host closed.'));
        pending.clear();
      };
      ws.onmessage = (message: MessageEvent<string | ArrayBuffer>) => {
        if (typeof message.data !== 'string') return;
        const data = JSON.parse(message.data) as { id?: number; result?: Result<unknown>; event?: string; payload?: unknown };
        if (typeof data.id === 'number') {
          pending.get(data.id)?.(data.result as Result<unknown>);
          pending.delete(data.id);
        } else if (data.event) {
          for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
        }
      };
    });
    return opening;
  }

  const calls = Object.fromEntries(
    channelNames.map((channel) => [
      channel,
      async (request: unknown) => {
        let ws: WebSocket;
        try {
          ws = await connect();
        } catch {
          return unavailable(
            token
              ? 'Cannot reach the Nodeglass host. Is `npm start` still running?'
              : 'This page was opened without its access token. Open the full URL that `npm start` printed.',
          );
        }
        const id = nextId++;
        return new Promise<Result<unknown>>((resolve) => {
          pending.set(id, resolve);
          ws.send(JSON.stringify({ id, channel, request }));
        });
      },
    ]),
  ) as unknown as ApiCalls;

  return {
    host: 'browser',
    calls,
    on(name: EventName, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(name, set);
      void connect().catch(() => undefined);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    logSocket: (streamId) => ({
      url: `ws://${window.location.host}/ws/logs?stream=${encodeURIComponent(streamId)}`,
      protocols: ['nodeglass.logs.v1', `nodeglass.token.${token ?? ''}`],
    }),
  };
}
