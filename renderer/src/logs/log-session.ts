import { create } from 'zustand';
import { getApi } from '../api';
import { call } from '../api/call';
import { newStreamId } from '../api/stream-id';
import { logStreamKey } from '../../../shared/stream-keys';
import { NO_FILTER, type LogFilter, type LogRow } from './log-store';
import type { FromWorker, StoreState, ToWorker } from './worker-protocol';

export interface LogSourceInfo {
  key: string;
  node: string;
  kind: string;
  id: string;
  label: string;
  color: string;
}

const COLORS = ['#5aa9ff', '#3ecf8e', '#f2b84b', '#ff6b6b', '#c38cff', '#4dd6d6', '#ff9f5a', '#a3c95a'];

interface LogViewState extends StoreState {
  sources: LogSourceInfo[];
  paused: boolean;
  queued: number;
  filter: LogFilter;
  filterMs: number | null;
  filterError: string | null;
  streamStates: Record<string, string>;
  running: boolean;
}

export const useLogView = create<LogViewState>(() => ({
  total: 0,
  view: 0,
  matches: 0,
  dropped: 0,
  received: 0,
  revision: 0,
  sources: [],
  paused: false,
  queued: 0,
  filter: NO_FILTER,
  filterMs: null,
  filterError: null,
  streamStates: {},
  running: false,
}));

/**
 * The log viewer's controller on the UI thread: receives batches from the host, queues them while paused,
 * hands them to the worker that owns the store, and publishes the store's state at most once per frame.
 */
export class LogSession {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, (m: FromWorker) => void>();
  private queue: { source: number; text: string; arrivedAt: number }[] = [];
  private pendingState: StoreState | null = null;
  private frame = 0;
  private streamId: string | null = null;
  private offs: (() => void)[] = [];
  private indexByKey = new Map<string, number>();

  constructor(capacity = 1_000_000) {
    this.worker = new Worker(new URL('./log-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.send({ type: 'init', capacity });
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(m: FromWorker): void {
    if (m.type === 'state') {
      this.pendingState = m;
      this.frame ||= requestAnimationFrame(() => {
        this.frame = 0;
        if (this.pendingState) useLogView.setState(this.pendingState);
        this.pendingState = null;
      });
    } else if (m.type === 'filtered') {
      useLogView.setState({ filterMs: m.ms, filterError: m.error });
    } else {
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    }
  }

  private request<T extends FromWorker>(make: (id: number) => ToWorker): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (m) => resolve(m as T));
      this.send(make(id));
    });
  }

  async open(
    identityId: string,
    nodes: string[],
    sources: { kind: 'service' | 'container' | 'kernel'; id: string }[],
    tail: number,
    follow: boolean,
  ): Promise<void> {
    await this.stop();
    this.send({ type: 'clear' });
    const api = getApi();
    const streamId = newStreamId();
    this.streamId = streamId;
    const nodeOrder = [...nodes];
    const infos = nodes.flatMap((node) =>
      sources.map((s) => ({
        key: logStreamKey(node, s),
        node,
        kind: s.kind,
        id: s.id,
        label: `${node} ${s.kind === 'kernel' ? 'kernel' : s.id}`,
        color: COLORS[nodeOrder.indexOf(node) % COLORS.length]!,
      })),
    );
    this.indexByKey = new Map(infos.map((s, i) => [s.key, i]));
    useLogView.setState({ sources: infos, running: true, streamStates: {}, paused: false, queued: 0 });
    this.offs.push(
      api.on('stream.logs', (batch) => {
        const source = this.indexByKey.get(batch.key);
        if (batch.streamId !== streamId || source === undefined) return;
        if (useLogView.getState().paused) {
          this.queue.push({ source, text: batch.text, arrivedAt: batch.arrivedAt });
          useLogView.setState((s) => ({ queued: s.queued + batch.count }));
        } else {
          this.send({ type: 'append', source, text: batch.text, arrivedAt: batch.arrivedAt });
        }
      }),
      api.on('stream.mark', (mark) => {
        const source = this.indexByKey.get(mark.key);
        if (mark.streamId === streamId && source !== undefined)
          this.send({ type: 'mark', source, text: `── ${mark.message} ──`, at: Date.now() });
      }),
      api.on('stream.state', (s) => {
        if (s.streamId === streamId)
          useLogView.setState((st) => ({
            streamStates: { ...st.streamStates, [s.key]: s.error ? `${s.state}: ${s.error.message}` : s.state },
          }));
      }),
    );
    try {
      await call('logs.open', { streamId, identityId, nodes, sources, tail, follow });
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    for (const off of this.offs) off();
    this.offs = [];
    if (this.streamId) await call('stream.close', { streamId: this.streamId }).catch(() => undefined);
    this.streamId = null;
    useLogView.setState({ running: false });
  }

  /** A new buffer size empties the store; it applies to the next lines. */
  setCapacity(capacity: number): void {
    this.send({ type: 'init', capacity });
  }

  setPaused(paused: boolean): void {
    useLogView.setState({ paused });
    if (!paused) {
      for (const batch of this.queue) this.send({ type: 'append', ...batch });
      this.queue = [];
      useLogView.setState({ queued: 0 });
    }
  }

  setFilter(filter: LogFilter): void {
    useLogView.setState({ filter });
    this.send({ type: 'filter', filter });
  }

  rows(start: number, end: number): Promise<LogRow[]> {
    return this.request<Extract<FromWorker, { type: 'rows' }>>((id) => ({ type: 'rows', id, start, end })).then((m) => m.rows);
  }

  find(from: number, direction: 1 | -1): Promise<number> {
    return this.request<Extract<FromWorker, { type: 'found' }>>((id) => ({ type: 'find', id, from, direction })).then((m) => m.index);
  }

  private labels(): string[] {
    return useLogView.getState().sources.map((s) => s.label);
  }

  exportText(scope: 'view' | 'all'): Promise<string[]> {
    return this.request<Extract<FromWorker, { type: 'export' }>>((id) => ({ type: 'export', id, scope, labels: this.labels() })).then(
      (m) => m.parts,
    );
  }

  text(start: number, end: number): Promise<string> {
    return this.request<Extract<FromWorker, { type: 'text' }>>((id) => ({ type: 'text', id, start, end, labels: this.labels() })).then(
      (m) => m.text,
    );
  }

  dispose(): void {
    void this.stop();
    this.worker.terminate();
  }
}
