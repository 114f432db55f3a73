import { createStore, type StoreApi } from 'zustand/vanilla';
import { logStreamKey } from '../../../shared/stream-keys';
import { getApi } from '../api';
import { call } from '../api/call';
import { openLogRoute } from '../api/log-port';
import { newStreamId } from '../api/stream-id';
import { NO_FILTER, type LogFilter, type LogRow } from './log-store';
import type { FromWorker, StoreState, ToWorker } from './worker-protocol';

export type LogSourceChoice = { kind: 'service' | 'container' | 'kernel'; id: string };

export interface LogSourceInfo {
  key: string;
  node: string;
  kind: string;
  id: string;
  label: string;
  color: string;
}

/** One color per node, from a palette each theme defines with enough contrast (styles.css: --source-N). */
const COLORS = Array.from({ length: 8 }, (_, i) => `var(--source-${i})`);

/** Everything a log session shows; it outlives the Logs view, so leaving and coming back finds it as it was. */
export interface LogSessionState extends StoreState {
  /** The identity and nodes the stream was opened for (shown with the lines), or null before the first start. */
  target: { identityId: string; identityName: string; nodes: string[] } | null;
  /** What the next Start opens. */
  choice: { sources: LogSourceChoice[]; tail: number; follow: boolean };
  capacity: number;
  sources: LogSourceInfo[];
  paused: boolean;
  /** Lines the viewer has not taken in yet: held by the host while it is paused or busy, or on their way. */
  behind: number;
  filter: LogFilter;
  filterMs: number | null;
  filterError: string | null;
  streamStates: Record<string, string>;
  running: boolean;
}

/**
 * One log session: its own buffer (a worker that owns the log store), its own stream and its own filters.
 * Lines come from the host as binary frames on a MessagePort straight into the worker (never through this
 * thread); while paused the worker stops taking frames in, so the host holds lines back and says how many.
 * It publishes the store's state at most once per frame.
 */
export class LogSession {
  readonly state: StoreApi<LogSessionState>;
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, (m: FromWorker) => void>();
  private pendingState: StoreState | null = null;
  private frame = 0;
  private streamId: string | null = null;
  private offs: (() => void)[] = [];
  private indexByKey = new Map<string, number>();

  constructor(capacity: number) {
    this.state = createStore<LogSessionState>(() => ({
      total: 0,
      view: 0,
      matches: 0,
      dropped: 0,
      received: 0,
      lostBehind: 0,
      revision: 0,
      target: null,
      choice: { sources: [{ kind: 'service', id: 'kubelet' }], tail: 1000, follow: true },
      capacity,
      sources: [],
      paused: false,
      behind: 0,
      filter: NO_FILTER,
      filterMs: null,
      filterError: null,
      streamStates: {},
      running: false,
    }));
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
        if (this.pendingState) this.state.setState(this.pendingState);
        this.pendingState = null;
      });
    } else if (m.type === 'filtered') {
      this.state.setState({ filterMs: m.ms, filterError: m.error });
    } else if (m.type === 'frameError') {
      console.warn(`[logs] ${m.message}`);
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

  setChoice(choice: Partial<LogSessionState['choice']>): void {
    this.state.setState((s) => ({ choice: { ...s.choice, ...choice } }));
  }

  /** Opens the chosen sources on `nodes` as `identity`; the buffer starts empty. */
  async open(identity: { id: string; name: string }, nodes: string[]): Promise<void> {
    const { sources, tail, follow } = this.state.getState().choice;
    await this.stop();
    this.send({ type: 'clear' });
    const streamId = newStreamId();
    this.streamId = streamId;
    const infos = nodes.flatMap((node, n) =>
      sources.map((s) => ({
        key: logStreamKey(node, s),
        node,
        kind: s.kind,
        id: s.id,
        label: `${node} ${s.kind === 'kernel' ? 'kernel' : s.id}`,
        color: COLORS[n % COLORS.length]!,
      })),
    );
    this.indexByKey = new Map(infos.map((s, i) => [s.key, i]));
    this.state.setState({
      target: { identityId: identity.id, identityName: identity.name, nodes },
      sources: infos,
      running: true,
      streamStates: {},
      paused: false,
      behind: 0,
    });
    // Lines come as binary frames on a port straight into the worker; only marks and states come as events.
    const route = openLogRoute(streamId);
    this.send({ type: 'pause', paused: false });
    this.worker.postMessage(
      { type: 'attach', streamId, keys: infos.map((s) => s.key), ...route } satisfies ToWorker,
      route.port ? [route.port] : [],
    );
    const api = getApi();
    this.offs.push(
      api.on('stream.behind', (b) => {
        if (b.streamId === streamId) this.state.setState({ behind: b.lines });
      }),
      api.on('stream.mark', (mark) => {
        const source = this.indexByKey.get(mark.key);
        if (mark.streamId === streamId && source !== undefined)
          this.send({ type: 'mark', source, text: `── ${mark.message} ──`, at: Date.now() });
      }),
      api.on('stream.state', (s) => {
        if (s.streamId !== streamId) return;
        this.state.setState((st) => ({
          streamStates: { ...st.streamStates, [s.key]: s.error ? `${s.state}: ${s.error.message}` : s.state },
        }));
      }),
    );
    try {
      await call('logs.open', {
        streamId,
        identityId: identity.id,
        nodes,
        sources,
        tail,
        follow,
        capLines: this.state.getState().capacity,
      });
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Closes the stream; the buffer stays. */
  async stop(): Promise<void> {
    for (const off of this.offs) off();
    this.offs = [];
    const streamId = this.streamId;
    this.streamId = null;
    this.send({ type: 'detach' });
    this.state.setState({ running: false, behind: 0 });
    if (streamId) await call('stream.close', { streamId }).catch(() => undefined);
  }

  /** A new buffer size empties the store; it applies to the next lines. */
  setCapacity(capacity: number): void {
    this.state.setState({ capacity });
    this.send({ type: 'init', capacity });
  }

  /** Paused, the worker stops taking frames in, so the host holds lines back (up to the buffer) and counts them. */
  setPaused(paused: boolean): void {
    this.state.setState({ paused });
    this.send({ type: 'pause', paused });
  }

  setFilter(filter: LogFilter): void {
    this.state.setState({ filter });
    this.send({ type: 'filter', filter });
  }

  rows(start: number, end: number): Promise<LogRow[]> {
    return this.request<Extract<FromWorker, { type: 'rows' }>>((id) => ({ type: 'rows', id, start, end })).then((m) => m.rows);
  }

  find(from: number, direction: 1 | -1): Promise<number> {
    return this.request<Extract<FromWorker, { type: 'found' }>>((id) => ({ type: 'find', id, from, direction })).then((m) => m.index);
  }

  private labels(): string[] {
    return this.state.getState().sources.map((s) => s.label);
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
    if (this.frame) cancelAnimationFrame(this.frame);
    this.worker.terminate();
  }
}
