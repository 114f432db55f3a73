/// <reference lib="webworker" />
import { FrameIntake } from './frame-intake';
import { LogStore } from './log-store';
import type { FromWorker, ToWorker } from './worker-protocol';

// The log store lives here, off the UI thread: appends, filters over a million lines and exports never block a frame.
// Log frames from the host arrive on a MessagePort straight into this worker.
let store = new LogStore(1_000_000);
let revision = 0;
let scheduled = false;
let port: MessagePort | null = null;

const post = (message: FromWorker) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);
const intake = new FrameIntake(
  () => store,
  (streamId, frames) => post({ type: 'acked', streamId, frames }),
  (message) => post({ type: 'frameError', message }),
);

function notify(): void {
  revision++;
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
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
  }, 16);
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'init':
      store = new LogStore(m.capacity);
      notify();
      break;
    case 'attach':
      port?.close();
      port = m.port;
      intake.attach(m.streamId, m.keys);
      port.onmessage = (e: MessageEvent<ArrayBuffer>) => {
        intake.receive(e.data);
        notify();
      };
      break;
    case 'detach':
      port?.close();
      port = null;
      intake.detach();
      break;
    case 'pause':
      intake.setPaused(m.paused);
      notify();
      break;
    case 'mark':
      store.mark(m.source, m.text, m.at);
      notify();
      break;
    case 'filter': {
      const started = performance.now();
      try {
        store.setFilter(m.filter);
        post({ type: 'filtered', ms: performance.now() - started, error: null });
      } catch (error) {
        post({ type: 'filtered', ms: 0, error: error instanceof Error ? error.message : String(error) });
      }
      notify();
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
      notify();
      break;
  }
};
