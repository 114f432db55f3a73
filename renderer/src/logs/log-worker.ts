/// <reference lib="webworker" />
import { FrameIntake } from './frame-intake';
import { LogStore } from './log-store';
import { LIVE_MS, nextUpdateDelay, waitBeforeUpdate } from './update-pace';
import type { FromWorker, ToWorker } from './worker-protocol';

// The log store lives here, off the UI thread: appends, filters over a million lines and exports never block a frame.
// Log frames from the host arrive on a MessagePort straight into this worker.
let store = new LogStore(1_000_000);
let revision = 0;
/** Where frames come from and acknowledgements go: the desktop's MessagePort, or browser mode's log socket. */
let route: { close(): void; ack(frames: number): void } | null = null;

const post = (message: FromWorker) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);
const intake = new FrameIntake(
  () => store,
  (_streamId, frames) => route?.ack(frames),
  (message) => post({ type: 'frameError', message }),
);

const take = (data: unknown) => {
  if (!(data instanceof ArrayBuffer)) return;
  intake.receive(data);
  notify();
};

function openSocket(url: string, protocols: string[]): NonNullable<typeof route> {
  const ws = new WebSocket(url, protocols);
  ws.binaryType = 'arraybuffer';
  ws.onmessage = (e: MessageEvent<unknown>) => take(e.data);
  ws.onclose = (e) => {
    if (e.code !== 1000 && route?.close === close) post({ type: 'frameError', message: `the log socket closed (${e.code} ${e.reason})` });
  };
  const close = () => ws.close(1000);
  return { close, ack: (frames) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ ack: frames })) };
}

let postedReceived = 0;
let postedAt = 0;
let pace = LIVE_MS;
let timer: ReturnType<typeof setTimeout> | null = null;
let due = 0;

/** Tells the page that something changed, at the pace `waitBeforeUpdate` sets (`soon`: an operator's action). */
function notify(soon = false): void {
  revision++;
  const now = performance.now();
  const wait = waitBeforeUpdate(soon, now - postedAt, pace);
  if (timer !== null) {
    if (now + wait >= due) return;
    clearTimeout(timer);
  }
  due = now + wait;
  timer = setTimeout(postState, wait);
}

function postState(): void {
  timer = null;
  const now = performance.now();
  pace = nextUpdateDelay(Math.max(0, store.received - postedReceived), now - postedAt);
  postedReceived = store.received;
  postedAt = now;
  post({
    type: 'state',
    total: store.total,
    view: store.viewLength,
    matches: store.matchCount,
    dropped: store.dropped,
    received: store.received,
    lostBehind: intake.lostBehind,
    revision,
  });
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'init':
      store = new LogStore(m.capacity);
      notify(true);
      break;
    case 'attach': {
      route?.close();
      intake.attach(m.streamId, m.keys);
      const port = m.port;
      if (m.socket) route = openSocket(m.socket.url, m.socket.protocols);
      else if (port) {
        port.onmessage = (e: MessageEvent<unknown>) => take(e.data);
        route = { close: () => port.close(), ack: (frames) => port.postMessage({ ack: frames }) };
      }
      break;
    }
    case 'detach':
      route?.close();
      route = null;
      intake.detach();
      break;
    case 'pause':
      intake.setPaused(m.paused);
      notify(true);
      break;
    case 'mark':
      store.mark(m.source, m.text, m.at);
      notify(true);
      break;
    case 'filter': {
      const started = performance.now();
      try {
        store.setFilter(m.filter);
        post({ type: 'filtered', ms: performance.now() - started, error: null });
      } catch (error) {
        post({ type: 'filtered', ms: 0, error: error instanceof Error ? error.message : String(error) });
      }
      notify(true);
      break;
    }
    case 'rows':
      post({ type: 'rows', id: m.id, rows: store.rows(m.start, m.end) });
      break;
    case 'find':
      post({ type: 'found', id: m.id, index: store.findMatch(m.from, m.direction) });
      break;
    case 'export':
      post({ type: 'export', id: m.id, parts: store.exportText(m.scope, (s) => m.labels[s] ?? String(s)) });
      break;
    case 'text':
      post({
        type: 'text',
        id: m.id,
        text: store
          .rows(m.start, m.end)
          .map((r) => `${r.untimed ? '' : new Date(r.ts).toISOString()}\t${m.labels[r.source] ?? r.source}\t${r.text}`)
          .join('\n'),
      });
      break;
    case 'clear':
      store.clear();
      notify(true);
      break;
  }
};
