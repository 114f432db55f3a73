import type { LogSocketAddress } from '../../../shared/api';
import type { LogFilter, LogRow } from './log-store';

export type ToWorker =
  | { type: 'init'; capacity: number }
  /**
   * Take the log frames of `streamId` from `port` (desktop) or from a WebSocket the worker opens (browser
   * mode; it also carries the acknowledgements); `keys[i]` is the stream part that is source i.
   */
  | { type: 'attach'; streamId: string; keys: string[]; port?: MessagePort; socket?: LogSocketAddress }
  | { type: 'detach' }
  /** While paused, frames wait unacknowledged, so the host holds lines back. */
  | { type: 'pause'; paused: boolean }
  | { type: 'mark'; source: number; text: string; at: number }
  | { type: 'filter'; filter: LogFilter }
  | { type: 'rows'; id: number; start: number; end: number }
  | { type: 'find'; id: number; from: number; direction: 1 | -1 }
  | { type: 'export'; id: number; scope: 'view' | 'all'; labels: string[] }
  | { type: 'text'; id: number; start: number; end: number; labels: string[] }
  | { type: 'clear' };

export interface StoreState {
  total: number;
  view: number;
  matches: number;
  dropped: number;
  received: number;
  /** Lines the host let go because the viewer fell further behind than its buffer holds. */
  lostBehind: number;
  revision: number;
}

export type FromWorker =
  | ({ type: 'state' } & StoreState)
  | { type: 'filtered'; ms: number; error: string | null }
  | { type: 'frameError'; message: string }
  | { type: 'rows'; id: number; rows: LogRow[] }
  | { type: 'found'; id: number; index: number }
  | { type: 'export'; id: number; parts: string[] }
  | { type: 'text'; id: number; text: string };
