import { AppError } from '../../../shared/errors';

export type StreamState = 'open' | 'reconnecting' | 'ended' | 'error';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 10_000 };
const RETRYABLE = new Set(['UNAVAILABLE', 'INTERNAL', 'DEADLINE_EXCEEDED']);

export interface Attempt {
  /** The error that ended the previous attempt; null on the first. */
  lastError: AppError | null;
  /** When the stream first dropped since data last flowed (ms since the epoch), or null. */
  droppedAt: number | null;
  /** Call when data flows again: resets the backoff and the drop time. */
  healthy(): void;
}

export interface KeepOpenOptions {
  signal: AbortSignal;
  /** One connection: resolves when the stream ends by itself, rejects when it fails. */
  attempt(attempt: Attempt): Promise<void>;
  onState?(state: StreamState, error: AppError | null): void;
  backoff?: Backoff;
  now?: () => number;
}

/**
 * The one reconnect policy every server stream follows: retry transient failures (the node rebooting, a
 * dropped connection) with exponential backoff until closed; give up, with the error, on anything else
 * (permission denied, not found). Where a stream resumes (overlap, time) is the attempt's business.
 */
export async function keepOpen(options: KeepOpenOptions): Promise<void> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const now = options.now ?? Date.now;
  let delay = backoff.initialMs;
  let lastError: AppError | null = null;
  let droppedAt: number | null = null;
  const healthy = () => {
    delay = backoff.initialMs;
    droppedAt = null;
  };
  while (!options.signal.aborted) {
    try {
      options.onState?.('open', null);
      await options.attempt({ lastError, droppedAt, healthy });
      if (options.signal.aborted) break;
      options.onState?.('ended', null);
      return;
    } catch (error) {
      if (options.signal.aborted) break;
      const e = error instanceof AppError ? error : new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
      if (!RETRYABLE.has(e.code)) {
        options.onState?.('error', e);
        throw e;
      }
      lastError = e;
      droppedAt ??= now();
      options.onState?.('reconnecting', e);
      await sleep(delay, options.signal);
      delay = Math.min(delay * 2, backoff.maxMs);
    }
  }
  options.onState?.('ended', null);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
