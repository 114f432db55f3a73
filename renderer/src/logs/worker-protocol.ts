import type { LogFilter, LogRow } from './log-store';

export type ToWorker =
  | { type: 'init'; capacity: number }
  | { type: 'append'; source: number; text: string; arrivedAt: number }
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
  revision: number;
}

export type FromWorker =
  | ({ type: 'state' } & StoreState)
  | { type: 'filtered'; ms: number; error: string | null }
  | { type: 'rows'; id: number; rows: LogRow[] }
  | { type: 'found'; id: number; index: number }
  | { type: 'export'; id: number; parts: string[] }
  | { type: 'text'; id: number; text: string };
